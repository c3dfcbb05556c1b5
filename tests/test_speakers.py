"""Speakers: creation rules, the index's filters, Ukrainian order and pagination, the profile page."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from home.models import HomePage
from home.site_setup import ensure_site_tree, sync_language_trees
from sections.models import SectionCurator, SectionIndexPage, SectionKind
from speakers.models import SpeakerIndexPage, SpeakerKind, SpeakerPage
from tests.factories import (
    SectionIndexPageFactory,
    SectionPageFactory,
    SpeakerIndexPageFactory,
    SpeakerPageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


class TestCreationRules(WagtailPageTestCase):
    def test_the_index_lives_under_the_home_page_once(self):
        self.assertCanCreateAt(HomePage, SpeakerIndexPage)
        self.assertAllowedParentPageTypes(SpeakerIndexPage, {HomePage})
        self.assertEqual(SpeakerIndexPage.max_count_per_parent, 1)

    def test_speakers_live_under_the_index_only_and_have_no_children(self):
        self.assertAllowedParentPageTypes(SpeakerPage, {SpeakerIndexPage})
        self.assertAllowedSubpageTypes(SpeakerIndexPage, {SpeakerPage})
        self.assertAllowedSubpageTypes(SpeakerPage, {})
        self.assertCanNotCreateAt(HomePage, SpeakerPage)
        self.assertCanNotCreateAt(SectionIndexPage, SpeakerPage)


@pytest.fixture
def sections(home):
    index = SectionIndexPageFactory(parent=home)
    return {
        "energy": SectionPageFactory(parent=index, title="Енергетична стійкість", slug="", order=1),
        "grants": SectionPageFactory(parent=index, title="Грантова підтримка", slug="", order=2),
        "club": SectionPageFactory(parent=index, title="Кабінет мера", slug="", order=5, kind=SectionKind.CLUB),
    }


@pytest.fixture
def speaker_index(home):
    return SpeakerIndexPageFactory(parent=home, intro="Хто пропонує рішення громадам.")


def names_in_order(html):
    return re.findall(r'<h3 class="speaker-card__name"><a href="[^"]+">([^<]+)</a></h3>', html)


class TestIndexOrder:
    def test_speakers_are_in_ukrainian_alphabetical_order(self, client, speaker_index):
        people = [
            ("Ярослав Ящук", "Ящук Ярослав"),
            ("Іван Їжакевич", "Їжакевич Іван"),
            ("Ганна Гнатюк", "Гнатюк Ганна"),
            ("Євген Єрмак", "Єрмак Євген"),
            ("Ігор Іваненко", "Іваненко Ігор"),
            ("Ґанна Ґалаґан", "Ґалаґан Ґанна"),
            ("Ельвіра Еллер", "Еллер Ельвіра"),
            ("Олена Мар’янчук", "Мар’янчук Олена"),
            ("Ірина Марущак", "Марущак Ірина"),
            ("Юлія Иванів", "Иванів Юлія"),
        ]
        for title, sort_name in people:
            SpeakerPageFactory(parent=speaker_index, title=title, sort_name=sort_name)
        SpeakerPageFactory(parent=speaker_index, title="AirSense UA", kind=SpeakerKind.BUSINESS)
        SpeakerPageFactory(parent=speaker_index, title="ГО «Ґанок»", kind=SpeakerKind.NGO)
        assert names_in_order(client.get("/speakers/").content.decode()) == [
            "AirSense UA",
            "Ганна Гнатюк",
            "ГО «Ґанок»",
            "Ґанна Ґалаґан",
            "Ельвіра Еллер",
            "Євген Єрмак",
            "Юлія Иванів",
            "Ігор Іваненко",
            "Іван Їжакевич",
            "Ірина Марущак",  # the apostrophe is ignored: "Марянчук" sorts after "Марущак"
            "Олена Мар’янчук",
            "Ярослав Ящук",
        ]

    def test_the_english_index_sorts_the_english_names(self, client, speaker_index, translate):
        translate(speaker_index, {"Спікери": "Speakers"})
        for title, sort_name, english in [
            ("Ярослав Ящук", "Ящук Ярослав", "Yashchuk Yaroslav"),
            ("Ганна Гнатюк", "Гнатюк Ганна", "Hnatiuk Hanna"),
        ]:
            speaker = SpeakerPageFactory(parent=speaker_index, title=title, sort_name=sort_name)
            translate(speaker, {title: f"{english.split()[1]} {english.split()[0]}", sort_name: english})
        assert names_in_order(client.get("/en/speakers/").content.decode()) == ["Hanna Hnatiuk", "Yaroslav Yashchuk"]


class TestIndexFilters:
    @pytest.fixture
    def speakers(self, speaker_index, sections):
        energy, grants = sections["energy"], sections["grants"]
        return [
            SpeakerPageFactory(parent=speaker_index, title="Аліна Бондар", kind=SpeakerKind.EXPERT, sections=[energy]),
            SpeakerPageFactory(parent=speaker_index, title="Богдан Вовк", kind=SpeakerKind.EXPERT, sections=[grants]),
            SpeakerPageFactory(
                parent=speaker_index, title="ТОВ «СонцеГрід»", kind=SpeakerKind.BUSINESS, sections=[energy, grants]
            ),
            SpeakerPageFactory(
                parent=speaker_index, title="Фонд «Світанок»", kind=SpeakerKind.DONOR, sections=[grants]
            ),
        ]

    def test_by_section(self, client, speakers):
        html = client.get("/speakers/", {"section": "enerhetychna-stiikist"}).content.decode()
        assert names_in_order(html) == ["Аліна Бондар", "ТОВ «СонцеГрід»"]
        assert "2 спікери" in html

    def test_by_kind(self, client, speakers):
        html = client.get("/speakers/", {"kind": "expert"}).content.decode()
        assert names_in_order(html) == ["Аліна Бондар", "Богдан Вовк"]

    def test_filters_combine_and_their_links_keep_each_other(self, client, speakers):
        html = client.get("/speakers/", {"section": "hrantova-pidtrymka", "kind": "business"}).content.decode()
        assert names_in_order(html) == ["ТОВ «СонцеГрід»"]
        assert "1 спікер" in html
        # A kind link keeps the chosen section and drops the page number; a section link keeps the kind.
        assert 'href="?section=hrantova-pidtrymka&amp;kind=donor"' in html
        assert 'href="?section=enerhetychna-stiikist&amp;kind=business"' in html
        assert 'href="?section=hrantova-pidtrymka" aria-current' not in html

    def test_each_filter_counts_what_the_other_leaves(self, client, speakers):
        html = client.get("/speakers/", {"section": "hrantova-pidtrymka"}).content.decode()
        assert re.search(r'kind=expert"[^>]*>Експерт <span class="filter-count">1</span>', html)
        assert re.search(r'kind=donor"[^>]*>Донор <span class="filter-count">1</span>', html)

    @pytest.mark.parametrize(
        "params",
        [
            {"section": "no-such-section"},
            {"kind": "alien"},
            {"kind": ""},
            {"section": "<script>alert(1)</script>", "kind": "expert' OR 1=1 --"},
            {"section": "енергетична", "kind": "EXPERT"},
            {"section": "x" * 5000},
            {"kind": "\x00"},
        ],
    )
    def test_unknown_filter_values_are_ignored(self, client, speakers, params):
        response = client.get("/speakers/", params)
        assert response.status_code == 200
        assert len(names_in_order(response.content.decode())) == 4

    def test_a_filter_that_matches_nobody_says_so(self, client, speakers):
        html = client.get("/speakers/", {"kind": "public_body"}).content.decode()
        assert "0 спікерів" in html
        assert "Поки що немає спікерів за цими фільтрами." in html

    def test_the_english_index_filters_by_the_same_slugs(self, client, speakers, sections):
        sync_language_trees()
        html = client.get("/en/speakers/", {"section": "enerhetychna-stiikist"}).content.decode()
        assert names_in_order(html) == ["Аліна Бондар", "ТОВ «СонцеГрід»"]
        assert "2 speakers" in html


class TestPagination:
    @pytest.fixture
    def many(self, speaker_index):
        for number in range(SpeakerIndexPage.per_page + 5):
            SpeakerPageFactory(parent=speaker_index, title=f"Спікер {number:03d}")

    def test_pages_split_the_list(self, client, many):
        first = client.get("/speakers/").content.decode()
        second = client.get("/speakers/", {"page": 2}).content.decode()
        assert len(names_in_order(first)) == SpeakerIndexPage.per_page
        assert '<a href="?page=2" rel="next">' in first
        assert len(names_in_order(second)) == 5
        assert '<a href="?page=1" rel="prev">' in second
        assert "Сторінка 2 з 2" in second

    def test_the_next_page_keeps_the_filters(self, client, many):
        html = client.get("/speakers/", {"kind": "expert"}).content.decode()
        assert '<a href="?kind=expert&amp;page=2" rel="next">' in html

    @pytest.mark.parametrize("number", ["999", "-1", "0", "99999999999999999999999"])
    def test_a_page_number_out_of_range_gives_the_last_page(self, client, many, number):
        response = client.get("/speakers/", {"page": number})
        assert response.status_code == 200
        assert len(names_in_order(response.content.decode())) == 5

    @pytest.mark.parametrize("number", ["abc", "", "1.5", "%00"])
    def test_a_page_number_that_is_not_a_number_gives_the_first(self, client, many, number):
        response = client.get("/speakers/", {"page": number})
        assert response.status_code == 200
        assert len(names_in_order(response.content.decode())) == SpeakerIndexPage.per_page


class TestProfile:
    @pytest.fixture
    def speaker(self, speaker_index, sections):
        speaker = SpeakerPageFactory(
            parent=speaker_index,
            title="ТОВ «СонцеГрід»",
            slug="",
            kind=SpeakerKind.BUSINESS,
            short_bio="Сонячні станції та накопичувачі для шкіл і лікарень.",
            bio="<p>Понад сорок станцій у прифронтових громадах.</p>",
            website="https://sontsegrid.example",
            contact_email="hello@sontsegrid.example",
            show_contact_email=True,
            contact_phone="+380 44 000 00 00",
            show_contact_phone=False,
            solutions=[
                {
                    "type": "solution",
                    "value": {
                        "title": "Сонячна станція для школи",
                        "description": "Проєкт, монтаж і навчання персоналу.",
                        "link": "https://sontsegrid.example/school",
                        "price_note": "Для громад до 10 тис. мешканців — знижка 30 %",
                    },
                }
            ],
            sections=[sections["grants"], sections["energy"]],
        )
        speaker.tags.add("сонячні станції", "енергоаудит")
        speaker.save()
        return speaker

    def test_shows_sections_solutions_and_chosen_contacts(self, client, speaker):
        assert speaker.slug == "tov-sontsehrid"
        html = client.get(speaker.url).content.decode()
        assert html.index("Енергетична стійкість") < html.index("Грантова підтримка")  # the sections' own order
        assert "Сонячна станція для школи" in html
        assert "знижка 30 %" in html
        assert 'href="mailto:hello@sontsegrid.example"' in html
        assert "+380 44 000 00 00" not in html  # the speaker chose not to show the phone
        assert "енергоаудит" in html
        assert '<meta name="description" content="Сонячні станції та накопичувачі для шкіл і лікарень.">' in html

    def test_names_the_sections_it_curates(self, client, speaker, sections):
        SectionCurator.objects.create(section=sections["energy"], speaker=speaker)
        html = client.get(speaker.url).content.decode()
        assert "Куратор розділів" in html

    def test_a_section_page_lists_its_curators_and_speakers(self, client, speaker, sections):
        SectionCurator.objects.create(section=sections["energy"], speaker=speaker)
        html = client.get(sections["energy"].url).content.decode()
        assert "Куратор" in html
        assert "Спікери розділу" in html
        assert "/speakers/?section=enerhetychna-stiikist" in html

    def test_english_profile_names_the_english_sections(self, client, speaker, sections, translate):
        translate(sections["energy"].get_parent().specific, {"Розділи": "Sections"})
        translate(sections["energy"], {"Енергетична стійкість": "Energy resilience"})
        translate(speaker.get_parent().specific, {"Спікери": "Speakers"})
        english = translate(
            speaker,
            {
                "ТОВ «СонцеГрід»": "SontseGrid LLC",
                "Сонячні станції та накопичувачі для шкіл і лікарень.": "Solar plants and batteries for schools.",
                "Сонячна станція для школи": "A solar plant for a school",
            },
        )
        sync_language_trees()
        html = client.get(english.url).content.decode()
        assert english.url == "/en/speakers/tov-sontsehrid/"
        assert "SontseGrid LLC" in html
        assert "A solar plant for a school" in html
        assert "Energy resilience" in html
        assert '<ul class="plain-list tag-list" lang="uk">' in html  # tags stay in the source language
        assert "Грантова підтримка" in html  # not translated yet: its English copy shows the source title
        assert 'hreflang="uk"' in html

    def test_an_untranslated_profile_shows_in_ukrainian_with_a_notice(self, client, speaker):
        sync_language_trees()
        response = client.get("/en/speakers/tov-sontsehrid/")
        assert response.status_code == 200
        assert "has not been translated into English yet" in response.content.decode()

    def test_a_photo_has_its_description_as_alt_text(self, client, speaker):
        speaker.photo = get_image_model().objects.create(title="Логотип", file=get_test_image_file())
        speaker.photo_alt_text = "Логотип СонцеГрід"
        speaker.save()
        html = client.get(speaker.url).content.decode()
        assert 'alt="Логотип СонцеГрід"' in html
        assert '<meta property="og:image" content="http://testserver/media/images/' in html  # the link preview too


class TestAdmin:
    @pytest.fixture
    def editor(self, client):
        client.force_login(UserFactory(is_superuser=True, is_staff=True))
        return client

    def test_the_listing_filters_by_kind_and_section(self, editor, speaker_index, sections):
        SpeakerPageFactory(
            parent=speaker_index, title="Аліна Бондар", kind=SpeakerKind.EXPERT, sections=[sections["energy"]]
        )
        SpeakerPageFactory(
            parent=speaker_index, title="Фонд «Світанок»", kind=SpeakerKind.DONOR, sections=[sections["grants"]]
        )
        by_kind = editor.get("/admin/speakers/", {"kind": "donor"}).content.decode()
        assert "Фонд «Світанок»" in by_kind and "Аліна Бондар" not in by_kind
        by_section = editor.get("/admin/speakers/", {"section": sections["energy"].pk}).content.decode()
        assert "Аліна Бондар" in by_section and "Фонд «Світанок»" not in by_section

    def test_the_section_listing_filters_by_kind(self, editor, sections):
        html = editor.get("/admin/sections/", {"kind": "club"}).content.decode()
        assert "Кабінет мера" in html and "Грантова підтримка" not in html

    def test_the_edit_form_offers_the_sections_of_the_speakers_language(self, editor, speaker_index, sections):
        sync_language_trees()
        speaker = SpeakerPageFactory(parent=speaker_index, title="Аліна Бондар")
        html = editor.get(f"/admin/pages/{speaker.pk}/edit/").content.decode()
        assert html.count("Енергетична стійкість") == 1


class TestQueryBounds:
    """Both listings and both detail pages cost the same with 10 speakers as with 200."""

    URLS = ["/sections/", "/sections/enerhetychna-stiikist/", "/speakers/", "/speakers/target/", "/en/speakers/"]

    def add_speakers(self, index, sections, count, start):
        for number in range(start, start + count):
            speaker = SpeakerPageFactory(
                parent=index,
                title=f"Спікер {number:03d}",
                kind=list(SpeakerKind.values)[number % 5],
                photo=get_image_model().objects.create(title=f"Фото {number}", file=get_test_image_file()),
                sections=[sections[number % len(sections)], sections[(number + 1) % len(sections)]],
            )
            speaker.tags.add(f"тег {number}")
            speaker.save()

    def measure(self, client):
        counts = {}
        for url in self.URLS:
            assert client.get(url).status_code == 200, url  # fills the caches later requests find full
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            counts[url] = len(queries)
        return counts

    def test_query_counts_do_not_grow_with_speakers(self, client, home, speaker_index):
        section_index = SectionIndexPageFactory(parent=home)
        all_sections = [
            SectionPageFactory(parent=section_index, title=title, slug="")
            for title in ("Енергетична стійкість", "Грантова підтримка", "Освіта", "Транспорт і мобільність")
        ]
        target = SpeakerPageFactory(
            parent=speaker_index,
            title="Ціль",
            slug="target",
            photo=get_image_model().objects.create(title="Фото", file=get_test_image_file()),
            sections=all_sections[:1],
        )
        SectionCurator.objects.create(section=all_sections[0], speaker=target)
        self.add_speakers(speaker_index, all_sections, 10, 0)
        sync_language_trees()
        with_ten = self.measure(client)

        self.add_speakers(speaker_index, all_sections, 190, 10)
        target.sections.set(all_sections)
        for number in range(8):
            target.tags.add(f"мітка {number}")
        target.save()
        for section in all_sections:
            for curator in SpeakerPage.objects.child_of(speaker_index)[:3]:
                SectionCurator.objects.create(section=section, speaker=curator)
        sync_language_trees()
        with_two_hundred = self.measure(client)

        assert with_two_hundred == with_ten
        assert max(with_ten.values()) <= 40  # a section page also lists its materials and events


class TestPreview(WagtailPageTestCase):
    """Editors preview pages before publishing, unsaved relations included."""

    def setUp(self):
        home = ensure_site_tree()
        self.section_index = SectionIndexPageFactory(parent=home)
        self.section = SectionPageFactory(parent=self.section_index, title="Енергетична стійкість", slug="")
        self.speaker_index = SpeakerIndexPageFactory(parent=home)
        self.speaker = SpeakerPageFactory(parent=self.speaker_index, title="Аліна Бондар", sections=[self.section])
        self.editor = self.login()

    def index_data(self, page):
        return nested_form_data({"title": page.title, "slug": page.slug, "intro": "", "body": streamfield([])})

    def test_indexes_render_and_preview(self):
        for page in (self.section_index, self.speaker_index):
            self.assertPageIsRenderable(page)
            self.assertPageIsPreviewable(page, post_data=self.index_data(page))

    def test_a_section_previews_with_an_unsaved_curator(self):
        data = nested_form_data(
            {
                "title": "Енергетична стійкість (чернетка)",
                "slug": self.section.slug,
                "summary": "Чернетка опису.",
                "kind": "thematic",
                "order": 1,
                "icon": "bolt",
                "body": streamfield([("paragraph", rich_text("<p>Чернетка</p>"))]),
                "curators": inline_formset([{"speaker": self.speaker.pk}]),
                "membership_note": rich_text(""),
            }
        )
        self.assertPageIsRenderable(self.section)
        self.assertPageIsPreviewable(self.section, post_data=data)
        self.client.force_login(self.editor)  # the assertion signed its own user out
        response = self.client.post(f"/admin/pages/{self.section.pk}/edit/preview/", data)
        html = self.client.get(f"/admin/pages/{self.section.pk}/edit/preview/").content.decode()
        assert response.json()["is_valid"]
        assert "Енергетична стійкість (чернетка)" in html
        assert "Аліна Бондар" in html  # the curator not yet saved

    def test_a_speaker_previews_with_unsaved_sections_and_solutions(self):
        data = nested_form_data(
            {
                "title": "Аліна Бондар",
                "slug": self.speaker.slug,
                "kind": "expert",
                "short_bio": "Інженерка.",
                "bio": rich_text("<p>Біографія.</p>"),
                "solutions": streamfield(
                    [("solution", {"title": "Енергоаудит", "description": "Опис.", "link": "", "price_note": ""})]
                ),
                "social_links": streamfield([]),
                "tags": "енергоаудит",
            }
        )
        data["sections"] = [self.section.pk]  # a plain multiple choice, which nested_form_data would number
        self.assertPageIsRenderable(self.speaker)
        self.assertPageIsPreviewable(self.speaker, post_data=data)
        self.client.force_login(self.editor)
        self.client.post(f"/admin/pages/{self.speaker.pk}/edit/preview/", data)
        html = self.client.get(f"/admin/pages/{self.speaker.pk}/edit/preview/").content.decode()
        assert "Енергоаудит" in html
        assert "Енергетична стійкість" in html
