"""Communities and their needs: the register, the import, the board, the feed, the CSV, the pages."""

import csv
import io
import re
import xml.etree.ElementTree as ET
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities.katotth import validate_code
from communities.models import Community, NeedPage
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


def titles_in_order(html):
    return re.findall(r'<h3 class="need-item__title"><a href="[^"]+">([^<]+)</a></h3>', html)


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


class TestKatotth:
    @pytest.mark.parametrize("code", ["UA05020030000031571", "UA80000000000093317"])
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
        community.locale = Community._meta.get_field("locale").related_model.objects.get(language_code="uk")
        community.full_clean()
        assert community.code == "UA05020030000011111"


class TestImport:
    def run(self, tmp_path, text, encoding="utf-8"):
        path = tmp_path / "communities.csv"
        path.write_bytes(text.encode(encoding))
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

    def test_a_file_without_the_columns(self, home, tmp_path):
        with pytest.raises(CommandError, match="columns"):
            self.run(tmp_path, "назва,код\nА,Б\n")


class TestBoard:
    @pytest.fixture
    def needs(self, board, communities):
        return {
            "old_critical": NeedPageFactory(
                parent=board,
                title="Генератори для лікарні",
                community=communities["kharkiv"],
                urgency="critical",
                opened_on="2026-01-10",
            ),
            "new_critical": NeedPageFactory(
                parent=board,
                title="Укриття для школи",
                community=communities["sumy"],
                category="shelter",
                urgency="critical",
                opened_on="2026-03-01",
            ),
            "high": NeedPageFactory(
                parent=board,
                title="Очищення води",
                community=communities["vinnytsia"],
                category="water",
                urgency="high",
                status="partly_covered",
                opened_on="2026-04-01",
            ),
            "normal": NeedPageFactory(
                parent=board,
                title="Ноутбуки для ліцею",
                community=communities["vinnytsia"],
                category="education",
                opened_on="2026-05-01",
            ),
            "covered": NeedPageFactory(
                parent=board,
                title="Котельня для садочка",
                community=communities["kharkiv"],
                urgency="critical",
                status="covered",
                opened_on="2025-10-01",
                updates=[
                    {"type": "update", "value": {"date": "2025-11-20", "text": "Отримано котельню від фонду «Тепло»."}}
                ],
            ),
        }

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

    def test_status_changes_are_dated(self, needs):
        need = needs["normal"]
        need.status_changed_on = "2026-05-01"
        need.save()
        need.status = "covered"
        need.save()
        need.refresh_from_db()
        assert need.status_changed_on != "2026-05-01"

    def test_the_atom_feed_lists_new_open_needs(self, client, needs):
        response = client.get("/needs/feed/")
        assert response["Content-Type"].startswith("application/atom+xml")
        root = ET.fromstring(response.content)
        titles = [entry.find(f"{ATOM}title").text for entry in root.iter(f"{ATOM}entry")]
        assert titles[0] == "Ноутбуки для ліцею — Вінницька міська територіальна громада"
        assert not any("Котельня" in title for title in titles) and not any("Очищення" in title for title in titles)

    def test_the_csv_follows_the_filter_and_opens_in_a_spreadsheet(self, client, needs, board):
        NeedPageFactory(parent=board, title='=HYPERLINK("x")', community=needs["normal"].community)
        response = client.get("/needs/export/", {"oblast": "vinnytsia"})
        assert response["Content-Disposition"].startswith("attachment;")
        assert response.content.startswith("\ufeff".encode())
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows[0][0] == "Потреба" and len(rows) == 4
        assert {row[0] for row in rows[1:]} == {"Очищення води", "Ноутбуки для ліцею", '\'=HYPERLINK("x")'}
        assert rows[1][2] == "UA05020030000031571"

    def test_a_community_page_with_its_open_and_past_needs(self, client, needs, communities):
        html = client.get("/needs/communities/UA63020010000040355/").content.decode()
        assert "Балаклійська міська громада" in html
        active, past = html.split("Покриті й закриті потреби")
        assert "Генератори для лікарні" in active and "Котельня для садочка" in past
        assert client.get("/needs/communities/UA00000000000000000/").status_code == 404
        assert "Охтирська" in client.get("/needs/communities/").content.decode()

    def test_the_section_shows_the_open_needs_of_its_category(self, client, needs, home):
        index = SectionIndexPageFactory(parent=home)
        energy = SectionPageFactory(
            parent=index, title="Енергетична стійкість", slug="", icon="bolt", kind=SectionKind.THEMATIC
        )
        html = client.get(energy.url).content.decode()
        assert "Генератори для лікарні" in html and "Котельня для садочка" not in html
        assert "1 відкрита потреба" in client.get("/sections/").content.decode()


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


def test_query_counts_do_not_grow_with_needs(client, board, communities):
    target = NeedPageFactory(parent=board, title="Ціль", slug="target", community=communities["sumy"])
    urls = [
        "/needs/",
        "/needs/?oblast=sumy&urgency=normal",
        "/needs/?status=covered&page=2",
        target.url,
        "/needs/communities/UA59020030000081430/",
        "/needs/feed/",
        "/needs/export/?oblast=kharkiv",
    ]

    def add(count):
        community = communities["sumy"]
        bulk_pages(
            board,
            NeedPage,
            count,
            "masova",
            community=community,
            category="energy",
            description="…",
            quantity="1",
            urgency=lambda page: ["critical", "high", "normal"][page.pk % 3],
            status=lambda page: ["open", "covered", "partly_covered", "closed"][page.pk % 4],
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
