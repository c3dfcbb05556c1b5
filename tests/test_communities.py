"""Communities and their needs: the register, the import, the board, the feed, the exports, the pages,
in Ukrainian and in English."""

import csv
import datetime
import io
import re
import xml.etree.ElementTree as ET
from io import StringIO

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Locale, Site

from communities.demo import demo_data
from communities.katotth import OBLAST_CODES, Oblast, validate_code, validate_code_in_oblast
from communities.models import CATEGORY_SECTION_SLUGS, Community, NeedCategory, NeedIndexPage, NeedPage, NeedStatus
from communities.models import Urgency as NeedUrgency
from home.models import SiteSettings
from home.text import latin_slug
from sections.demo import DATA_FILE as SECTIONS_DATA_FILE
from sections.models import SectionKind
from tests.bulk import bulk_pages
from tests.factories import (
    CommunityFactory,
    NeedIndexPageFactory,
    NeedPageFactory,
    SectionIndexPageFactory,
    SectionPageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
ENERGY_SLUG = CATEGORY_SECTION_SLUGS[NeedCategory.ENERGY]


def titles_in_order(html):
    return re.findall(r'<h3 class="need-item__title"><a href="[^"]+">([^<]+)</a></h3>', html)


def csv_rows(response, delimiter):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=delimiter))


@pytest.fixture
def board(home):
    return NeedIndexPageFactory(parent=home, intro="Що потрібно громадам.")


@pytest.fixture
def communities(home):
    return {
        "vinnytsia": CommunityFactory(
            name="Вінницька міська територіальна громада", oblast="vinnytsia", code="UA05020030000031571"
        ),
        "kharkiv": CommunityFactory(name="Балаклійська міська громада", oblast="kharkiv", code="UA63020010000040355"),
        "sumy": CommunityFactory(
            name="Охтирська міська громада", oblast="sumy", kind="city", code="UA59020030000081430"
        ),
    }


@pytest.fixture
def energy_section(home):
    index = SectionIndexPageFactory(parent=home)
    return SectionPageFactory(
        parent=index, title="Енергетична стійкість", slug=ENERGY_SLUG, icon="bolt", kind=SectionKind.THEMATIC
    )


class TestKatotth:
    @pytest.mark.parametrize(
        "code",
        [
            "UA05020030000031571",  # a hromada of Vinnytsia oblast
            "UA80000000000093317",  # Kyiv, a city with special status: one community
            "UA85000000000065278",  # Sevastopol, the same
        ],
    )
    def test_valid(self, code):
        validate_code(code)

    @pytest.mark.parametrize(
        "code",
        [
            "",
            "UA0502003000003157",
            "UA050200300000315710",
            "05020030000031571UA",
            "UA05O20030000031571",
            "UA99020030000031571",
            "UA 0502",
        ],
    )
    def test_invalid(self, code):
        with pytest.raises(ValidationError):
            validate_code(code)

    @pytest.mark.parametrize(
        "code",
        [
            "UA05000000000013043",  # the oblast itself
            "UA05020000000012345",  # a raion
            "UA05020030010012345",  # a settlement of the hromada
            "UA80000000000112345",  # a district of Kyiv
        ],
    )
    def test_only_a_community_level_code_is_a_community(self, code):
        with pytest.raises(ValidationError) as error:
            validate_code(code)
        assert error.value.code == "katotth_level"

    def test_the_code_must_match_the_oblast_and_be_unique(self, communities):
        wrong = Community(
            name="Х", oblast="lviv", kind="city", code="UA05020030000099999", locale=communities["sumy"].locale
        )
        with pytest.raises(ValidationError) as error:
            wrong.full_clean()
        assert "UA46" in str(error.value)
        twin = Community(
            name="Двійник",
            oblast="vinnytsia",
            kind="city",
            code="ua 0502 0030 0000 31571",
            locale=communities["sumy"].locale,
        )
        with pytest.raises(ValidationError) as error:
            twin.full_clean()
        assert "Вінницька" in str(error.value)  # normalised, then found taken

    def test_a_cyrillic_ua_typed_by_mistake_is_read_as_latin(self, home):
        community = Community(name="Громада", oblast="vinnytsia", kind="village", code="УА05020030000011111")
        community.locale = Locale.objects.get(language_code="uk")
        community.full_clean()
        assert community.code == "UA05020030000011111"


class TestImport:
    def run(self, tmp_path, text, encoding="utf-8"):
        path = tmp_path / "communities.csv"
        path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
        out = StringIO()
        call_command("import_communities", str(path), stdout=out, stderr=StringIO())
        return out.getvalue()

    def test_imports_reports_bad_rows_and_updates_on_a_second_run(self, home, tmp_path):
        text = (
            "name,oblast,kind,population,code\n"
            "Вознесенська міська громада,mykolaiv,city,52000,UA48020010000012345\n"
            "Погана громада,Марсіанська область,city,10,UA48020010000099999\n"
            "Хибний код,lviv,village,100,UA0502\n"
            "Чужий код,lviv,village,100,UA05020010000012345\n"
            "Безіменна,,city,1,UA46020010000012345\n"
            'Яворівська міська громада,Львівська область,міська,"60 000",UA46140010000012345\n'
            "Нечисло,lviv,village,багато,UA46140010000054321\n"
        )
        output = self.run(tmp_path, text)
        assert "Created 2, updated 0, failed 5." in output
        assert "line 3: unknown oblast 'Марсіанська область'" in output
        assert "line 4: code" in output and "line 5: code" in output
        assert "line 6: unknown oblast" in output or "line 6: no name" in output
        assert "line 8: the population 'багато'" in output
        yavoriv = Community.objects.get(code="UA46140010000012345")
        assert yavoriv.oblast == "lviv" and yavoriv.kind == "city" and yavoriv.population == 60000
        again = self.run(tmp_path, text.replace("52000", "53000"))
        assert "Created 0, updated 2, failed 5." in again
        assert Community.objects.get(code="UA48020010000012345").population == 53000
        assert Community.objects.count() == 2

    def test_an_excel_file_in_cp1251_with_semicolons(self, home, tmp_path):
        output = self.run(
            tmp_path,
            "name;oblast;kind;population;code\r\n"
            "Тульчинська міська громада;Вінницька область;міська;29000;UA05140010000011111\r\n",
            "cp1251",
        )
        assert "Created 1" in output

    def test_excel_unicode_text_in_utf16_with_tabs(self, home, tmp_path):
        output = self.run(
            tmp_path,
            "name\toblast\tkind\tpopulation\tcode\r\n"
            "Тульчинська міська громада\tВінницька область\tміська\t29000\tUA05140010000011111\r\n",
            "utf-16",
        )
        assert "Created 1" in output
        assert Community.objects.get().name == "Тульчинська міська громада"

    def test_the_same_code_twice_in_a_file_is_a_bad_row(self, home, tmp_path):
        output = self.run(
            tmp_path,
            "name,oblast,kind,population,code\n"
            "Тульчинська міська громада,vinnytsia,city,29000,UA05140010000011111\n"
            "Тульчинська (друга),vinnytsia,city,1,ua 0514 0010 0000 11111\n",
        )
        assert "Created 1, updated 0, failed 1." in output
        assert "line 3: the code UA05140010000011111 is already on line 2" in output
        assert Community.objects.get().name == "Тульчинська міська громада"

    def test_a_file_without_the_columns(self, home, tmp_path):
        with pytest.raises(CommandError, match="columns"):
            self.run(tmp_path, "назва,код\nА,Б\n")

    def test_a_workbook_passed_by_mistake(self, home, tmp_path):
        workbook = openpyxl.Workbook()
        workbook.active.append(["name", "oblast", "kind", "population", "code"])
        output = io.BytesIO()
        workbook.save(output)
        with pytest.raises(CommandError, match="workbook, not a CSV"):
            self.run(tmp_path, output.getvalue())

    def test_a_field_too_long_for_a_csv(self, home, tmp_path):
        text = "name,oblast,kind,population,code\nА,vinnytsia,city,1,UA05140010000011111\n" + '"' + "я" * 140_000
        with pytest.raises(CommandError, match="after line 2"):
            self.run(tmp_path, text)
        assert not Community.objects.exists()  # nothing half-imported


class TestDemoData:
    """The demo's files, checked without loading them."""

    def test_communities_cover_the_country_with_valid_codes(self):
        communities, _needs = demo_data()
        assert len(communities) >= 120
        oblasts = {community["oblast"] for community in communities}
        assert set(Oblast) - {Oblast.CRIMEA} <= oblasts  # the 24 oblasts, Kyiv and Sevastopol
        codes = [community["code"] for community in communities]
        assert len(set(codes)) == len(codes)
        for community in communities:
            validate_code(community["code"])
            validate_code_in_oblast(community["code"], community["oblast"])
            assert community["name"]["uk"] and community["name"]["en"]

    def test_needs_of_every_kind_with_their_history(self):
        communities, needs = demo_data()
        assert len(needs) >= 80
        assert {need["category"] for need in needs} == set(NeedCategory.values)
        assert {need["urgency"] for need in needs} == set(NeedUrgency.values)
        assert {need["status"] for need in needs} == set(NeedStatus.values)
        assert {need["community"] for need in needs} <= {community["code"] for community in communities}
        for need in needs:
            if need["status"] != NeedStatus.OPEN:
                assert need["updates"], need["title"]["uk"]

    def test_every_category_section_is_a_demo_section(self):
        import json

        sections = json.loads(SECTIONS_DATA_FILE.read_text(encoding="utf-8"))["sections"]
        assert set(CATEGORY_SECTION_SLUGS.values()) <= {latin_slug(section["title"]["uk"]) for section in sections}


@pytest.fixture
def needs(board, communities):
    return {
        "old_critical": NeedPageFactory(
            parent=board,
            title="Генератори для лікарні",
            community=communities["kharkiv"],
            urgency="critical",
            opened_on=datetime.date(2026, 1, 10),
        ),
        "new_critical": NeedPageFactory(
            parent=board,
            title="Укриття для школи",
            community=communities["sumy"],
            category="shelter",
            urgency="critical",
            opened_on=datetime.date(2026, 3, 1),
        ),
        "high": NeedPageFactory(
            parent=board,
            title="Очищення води",
            community=communities["vinnytsia"],
            category="water",
            urgency="high",
            status="partly_covered",
            opened_on=datetime.date(2026, 4, 1),
        ),
        "normal": NeedPageFactory(
            parent=board,
            title="Ноутбуки для ліцею",
            community=communities["vinnytsia"],
            category="education",
            opened_on=datetime.date(2026, 5, 1),
        ),
        "covered": NeedPageFactory(
            parent=board,
            title="Котельня для садочка",
            community=communities["kharkiv"],
            urgency="critical",
            status="covered",
            opened_on=datetime.date(2025, 10, 1),
            updates=[
                {"type": "update", "value": {"date": "2025-11-20", "text": "Отримано котельню від фонду «Тепло»."}}
            ],
        ),
    }


class TestBoard:
    def test_open_needs_by_urgency_then_newest(self, client, needs):
        html = client.get("/needs/").content.decode()
        assert titles_in_order(html) == [
            "Укриття для школи",
            "Генератори для лікарні",
            "Очищення води",
            "Ноутбуки для ліцею",
        ]
        assert "4 потреби" in html
        assert "Харківська область" in html  # the oblasts at a glance

    def test_filters_combine_and_covered_needs_stay_readable(self, client, needs, board):
        html = client.get("/needs/", {"oblast": "kharkiv", "urgency": "critical"}).content.decode()
        assert titles_in_order(html) == ["Генератори для лікарні"]
        html = client.get("/needs/", {"oblast": "kharkiv", "status": "covered"}).content.decode()
        assert titles_in_order(html) == ["Котельня для садочка"]
        assert re.search(
            r'status=covered"[^>]*>Покрито <span class="filter-count">1</span>', client.get("/needs/").content.decode()
        )
        page = client.get(needs["covered"].url).content.decode()
        assert "Отримано котельню від фонду «Тепло»." in page and "20 листопада 2025" in page
        for params in ({"oblast": "mars"}, {"status": "x\x00"}, {"page": "999"}, {"urgency": "a" * 500}):
            assert client.get("/needs/", params).status_code == 200

    def test_the_oblast_overview_keeps_the_other_filters_and_counts_under_them(self, client, needs):
        html = client.get("/needs/", {"urgency": "critical", "page": "1"}).content.decode()
        overview = html.split('id="by-oblast"')[1].split("</details>")[0]
        # Vinnytsia's needs are high and normal: none critical, so it is not offered.
        assert "Харківська область" in overview and "Вінницька область" not in overview
        assert 'href="?urgency=critical&amp;oblast=kharkiv"' in overview
        assert "1 відкрита потреба" in overview  # Kharkiv's critical open need, not its covered one

    def test_status_changes_are_dated(self, needs):
        need = needs["normal"]
        need.status_changed_on = datetime.date(2026, 5, 1)
        need.save_revision().publish()
        need.status = NeedStatus.COVERED
        need.save_revision().publish()
        need.refresh_from_db()
        assert need.status_changed_on == timezone.localdate()

        need.status, need.status_changed_on = NeedStatus.CLOSED, datetime.date(2026, 6, 2)
        need.save_revision().publish()
        need.refresh_from_db()
        assert need.status_changed_on == datetime.date(2026, 6, 2)  # the date the editor set

    def test_text_pasted_from_word_loses_its_control_characters_on_save(self, board):
        need = NeedPageFactory(parent=board, title="Генератори\x01", description="Перший рядок\x0bдругий\ufffe")
        need.refresh_from_db()
        assert need.title == "Генератори" and need.description == "Перший рядок\nдругий"

    def test_the_atom_feed_lists_new_open_needs(self, client, needs):
        response = client.get("/needs/feed/")
        assert response["Content-Type"].startswith("application/atom+xml")
        root = ET.fromstring(response.content)
        entries = list(root.iter(f"{ATOM}entry"))
        titles = [entry.find(f"{ATOM}title").text for entry in entries]
        assert titles[0] == "Ноутбуки для ліцею — Вінницька міська територіальна громада"
        assert not any("Котельня" in title for title in titles) and not any("Очищення" in title for title in titles)
        assert entries[0].find(f"{ATOM}id").text == needs["normal"].translation_key.urn
        summary = entries[0].find(f"{ATOM}summary")
        assert summary.get("type") == "text" and summary.text.startswith("Звичайна · Освіта · 5 генераторів")

    def test_the_feed_stays_valid_xml_whatever_the_text_holds(self, client, needs):
        # Saved in bulk, as an import would: the feed cannot count on the cleaning on save.
        NeedPage.objects.filter(pk=needs["normal"].pk).update(
            title="Ноутбуки\x0bдля ліцею", description="Опис\x01 з Word\ufffe", quantity="5\x1f шт."
        )
        response = client.get("/needs/feed/")
        assert response.status_code == 200
        entry = ET.fromstring(response.content).find(f"{ATOM}entry")
        assert entry.find(f"{ATOM}title").text.startswith("Ноутбуки\nдля ліцею")
        assert "5 шт." in entry.find(f"{ATOM}summary").text

    def test_the_csv_follows_the_filter_and_opens_in_a_ukrainian_excel(self, client, needs, board):
        NeedPageFactory(parent=board, title='=HYPERLINK("x")', community=needs["normal"].community)
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/needs/export/", {"oblast": "vinnytsia"})
        assert not any("GROUP BY" in query["sql"] for query in queries)  # no filter counts for a download
        assert response["Content-Disposition"].startswith("attachment;")
        assert response.content.startswith("\ufeff".encode())
        assert not response.content.decode("utf-8-sig").startswith("sep=")
        rows = csv_rows(response, delimiter=";")
        assert rows[0][0] == "Потреба" and len(rows) == 4
        assert {row[0] for row in rows[1:]} == {"Очищення води", "Ноутбуки для ліцею", '\'=HYPERLINK("x")'}
        assert rows[1][2] == "UA05020030000031571"

    @pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
    def test_the_csv_never_starts_a_cell_as_a_formula(self, client, board, communities, start):
        NeedPageFactory(parent=board, community=communities["sumy"], quantity=f"{start}1+1")
        rows = csv_rows(client.get("/needs/export/"), delimiter=";")
        assert rows[1][5] == f"'{start}1+1"

    def test_the_xlsx_holds_the_same_rows_with_text_kept_as_text(self, client, needs, board):
        NeedPageFactory(parent=board, title='=HYPERLINK("x")', community=needs["normal"].community)
        html = client.get("/needs/", {"oblast": "vinnytsia"}).content.decode()
        assert 'href="/needs/export/xlsx/?oblast=vinnytsia"' in html
        response = client.get("/needs/export/xlsx/", {"oblast": "vinnytsia"})
        assert response["Content-Disposition"].startswith("attachment;") and ".xlsx" in response["Content-Disposition"]
        sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
        assert rows[0][0] == "Потреба" and len(rows) == 4
        assert {row[0] for row in rows[1:]} == {"Очищення води", "Ноутбуки для ліцею", '=HYPERLINK("x")'}
        formula_row = next(row for row in sheet.iter_rows(min_row=2) if row[0].value.startswith("="))
        assert formula_row[0].data_type == "s"
        assert rows[1][1] == "Вінницька міська територіальна громада"
        assert {row[9] for row in rows[1:]} >= {datetime.datetime(2026, 4, 1)}  # dates stay dates

    def test_a_community_page_with_its_open_and_past_needs(self, client, needs, communities):
        html = client.get("/needs/communities/UA63020010000040355/").content.decode()
        assert "Балаклійська міська громада" in html
        active, past = html.split("Покриті й закриті потреби")
        assert "Генератори для лікарні" in active and "Котельня для садочка" in past
        assert client.get("/needs/communities/UA00000000000000000/").status_code == 404
        assert "Охтирська" in client.get("/needs/communities/").content.decode()

    def test_a_community_page_is_paginated_open_needs_first(self, client, needs, monkeypatch):
        monkeypatch.setattr(NeedIndexPage, "per_page", 1)
        first = client.get("/needs/communities/UA63020010000040355/").content.decode()
        assert titles_in_order(first) == ["Генератори для лікарні"] and 'rel="next"' in first
        second = client.get("/needs/communities/UA63020010000040355/", {"page": "2"}).content.decode()
        assert titles_in_order(second) == ["Котельня для садочка"]
        assert "Відкритих потреб немає" not in second  # they were on the first page

    def test_the_community_list_is_in_ukrainian_alphabetical_order(self, client, board):
        for name, code in [
            ("Єланецька селищна громада", "UA48040050000012345"),
            ("Арбузинська", "UA48020010000054321"),
        ]:
            CommunityFactory(name=name, oblast="mykolaiv", code=code)
        html = client.get("/needs/communities/").content.decode()
        assert html.index("Арбузинська") < html.index("Єланецька")  # Є comes before А in Unicode

    def test_the_section_shows_the_open_needs_of_its_category(self, client, needs, energy_section):
        html = client.get(energy_section.url).content.decode()
        assert "Генератори для лікарні" in html and "Котельня для садочка" not in html
        assert "1 відкрита потреба" in client.get("/sections/").content.decode()

    def test_a_category_badge_links_to_its_section_whatever_the_icon(self, client, needs, energy_section):
        energy_section.icon = "climate"
        energy_section.save_revision().publish()
        link = f'<a class="badge" href="{energy_section.url}">Енергетика</a>'
        assert link in client.get(needs["old_critical"].url).content.decode()
        board_html = client.get("/needs/").content.decode()
        assert link in board_html
        assert '<span class="badge">Освіта</span>' in board_html  # no education section here
        assert "1 відкрита потреба" in client.get("/sections/").content.decode()


class TestEnglish:
    """The English board: untranslated content shows in Ukrainian, never a 404."""

    @pytest.fixture
    def en_board(self, board, needs, communities, translate):
        translated = translate(board, {"Потреби громад": "Community needs"})
        translate(communities["vinnytsia"], {"Вінницька міська територіальна громада": "Vinnytsia urban hromada"})
        for need, title in [
            (needs["normal"], "Laptops for the lyceum"),
            (needs["old_critical"], "Hospital generators"),
        ]:
            translate(need, {need.title: title})
        return translated

    def test_a_community_without_an_english_copy_shows_in_ukrainian(self, client, en_board):
        response = client.get("/en/needs/communities/UA63020010000040355/")
        assert response.status_code == 200
        html = response.content.decode()
        assert "Балаклійська міська громада" in html and "Hospital generators" in html
        assert client.get("/en/needs/communities/UA00000000000000000/").status_code == 404

    def test_a_translated_community_shows_in_english(self, client, en_board):
        html = client.get("/en/needs/communities/UA05020030000031571/").content.decode()
        assert "Vinnytsia urban hromada" in html and "Laptops for the lyceum" in html

    def test_the_community_list_has_every_community(self, client, en_board):
        html = client.get("/en/needs/communities/").content.decode()
        assert "Vinnytsia urban hromada" in html and "Вінницька міська" not in html
        assert "Балаклійська міська громада" in html and "Охтирська міська громада" in html
        assert 'href="/en/needs/communities/UA63020010000040355/"' in html

    def test_the_board_feed_and_csv_name_communities_in_english_where_translated(self, client, en_board):
        html = client.get("/en/needs/").content.decode()
        assert titles_in_order(html) == ["Hospital generators", "Laptops for the lyceum"]
        assert "Vinnytsia urban hromada" in html and "Балаклійська міська громада" in html
        feed = ET.fromstring(client.get("/en/needs/feed/").content)
        titles = [entry.find(f"{ATOM}title").text for entry in feed.iter(f"{ATOM}entry")]
        assert titles == [
            "Laptops for the lyceum — Vinnytsia urban hromada",
            "Hospital generators — Балаклійська міська громада",
        ]
        rows = csv_rows(client.get("/en/needs/export/"), delimiter=",")
        assert rows[0][:2] == ["Need", "Community"]
        assert [row[:2] for row in rows[1:]] == [
            ["Hospital generators", "Балаклійська міська громада"],
            ["Laptops for the lyceum", "Vinnytsia urban hromada"],
        ]


class TestContact:
    @pytest.mark.parametrize(
        ("visibility", "anonymous", "signed_in"),
        [("public", True, True), ("registered", False, True), ("on_request", False, False)],
    )
    def test_shown_as_the_community_allows(self, client, board, visibility, anonymous, signed_in):
        need = NeedPageFactory(
            parent=board,
            contact_name="Олена Мельник",
            contact_email="olena@hromada.example",
            contact_visibility=visibility,
        )
        assert ("olena@hromada.example" in client.get(need.url).content.decode()) is anonymous
        client.force_login(UserFactory())
        assert ("olena@hromada.example" in client.get(need.url).content.decode()) is signed_in

    def test_on_request_the_donor_is_told_how_to_reach_the_platform(self, client, board):
        site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
        site_settings.contact_email = "info@rishennia.example.org"
        site_settings.save()
        need = NeedPageFactory(parent=board, title="Генератори", contact_name="Олена", contact_visibility="on_request")
        html = client.get(need.url).content.decode()
        assert (
            'href="mailto:info@rishennia.example.org?subject=%D0%9F%D0%BE%D1%82%D1%80%D0%B5%D0%B1%D0%B0%3A%20' in html
        )


def test_query_counts_do_not_grow_with_needs(client, board, communities, energy_section, translate):
    uk = Locale.objects.get(language_code="uk")
    en = Locale.objects.get(language_code="en")
    en_board = translate(board, {})
    target = NeedPageFactory(parent=board, title="Ціль", slug="target", community=communities["sumy"])
    en_target = translate(target, {})
    en_board.refresh_from_db()  # its count of children, which the bulk pages' paths follow
    translate(communities["sumy"], {"Охтирська міська громада": "Okhtyrka urban hromada"})
    # Communities in every oblast, a third of them translated: the needs spread over them all.
    oblasts = list(Oblast)
    many = Community.objects.bulk_create(
        Community(
            name=f"Громада {number}",
            oblast=oblasts[number % len(oblasts)],
            kind="village",
            code=f"UA{OBLAST_CODES[oblasts[number % len(oblasts)]]}01{number:03d}00000{number:05d}",
            locale=uk,
        )
        for number in range(90)
    )
    Community.objects.bulk_create(
        Community(
            name=f"Hromada {c.pk}",
            oblast=c.oblast,
            kind=c.kind,
            code=c.code,
            locale=en,
            translation_key=c.translation_key,
        )
        for c in many[::3]
    )
    categories, urgencies = NeedCategory.values, NeedUrgency.values
    statuses = NeedStatus.values
    urls = [
        "/needs/",
        "/needs/?oblast=sumy&urgency=normal",
        "/needs/?status=covered&page=2",
        target.url,
        "/needs/communities/",
        "/needs/communities/UA59020030000081430/",
        f"/needs/communities/{many[1].code}/",
        "/needs/feed/",
        "/needs/export/?oblast=vinnytsia",
        "/needs/export/xlsx/?oblast=vinnytsia",
        "/en/needs/",
        "/en/needs/?category=water",
        en_target.url,
        "/en/needs/communities/",
        "/en/needs/communities/UA59020030000081430/",
        f"/en/needs/communities/{many[1].code}/",  # untranslated: shown in Ukrainian
        "/en/needs/feed/",
        "/en/needs/export/?oblast=vinnytsia",
        energy_section.url,
        "/sections/",
    ]

    def number(page):
        """The page's place under its board: the first twenty needs go to the first communities."""
        return int(page.slug.rsplit("-", 1)[1])

    def add(count):
        for parent, prefix in [(board, "masova"), (en_board, "bulk")]:
            bulk_pages(
                parent,
                NeedPage,
                count,
                prefix,
                community=lambda page: many[number(page) % len(many)],
                category=lambda page: categories[number(page) % len(categories)],
                description="…",
                quantity="1",
                urgency=lambda page: urgencies[number(page) % len(urgencies)],
                status=lambda page: statuses[number(page) % len(statuses)],
            )

    def measure():
        counts = {}
        for url in urls:
            assert client.get(url).status_code == 200, url
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            counts[url] = len(queries)
        return counts

    add(19)
    with_twenty = measure()
    add(1980)
    with_two_thousand = measure()
    assert with_two_thousand == with_twenty
    assert max(with_twenty.values()) <= 30


class TestAdmin:
    def test_editors_search_and_filter_communities_and_the_form_checks_the_code(self, client, communities, board):
        client.force_login(UserFactory(is_superuser=True, is_staff=True))
        listing = client.get("/admin/snippets/communities/community/", {"oblast": "kharkiv"}).content.decode()
        assert "Балаклійська" in listing and "Вінницька міська" not in listing
        found = client.get("/admin/snippets/communities/community/", {"q": "Охтир"}).content.decode()
        assert "Охтирська" in found
        response = client.post(
            "/admin/snippets/communities/community/add/",
            {
                "name": "Нова громада",
                "oblast": "lviv",
                "kind": "village",
                "population": "1200",
                "code": "UA05000000000000001",
            },
        )
        assert response.status_code == 200 and "UA46" in response.content.decode()
        assert client.get("/admin/needs/", {"status": "open"}).status_code == 200

    def test_a_code_typed_with_spaces_is_accepted_and_stored_as_the_register_writes_it(self, client, home):
        client.force_login(UserFactory(is_superuser=True, is_staff=True))
        response = client.post(
            "/admin/snippets/communities/community/add/",
            {
                "name": "Яворівська",
                "oblast": "lviv",
                "kind": "city",
                "population": "",
                "code": "ua 46 14 001 000 00 12345",
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        assert Community.objects.get(name="Яворівська").code == "UA46140010000012345"
