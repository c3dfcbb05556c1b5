"""Thematic sections: creation rules, Latin slugs, rendering in both languages and the closed club."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from home.models import HomePage, StandardPage
from home.site_setup import sync_language_trees
from sections.access import MAYORS_GROUP_NAME
from sections.models import SectionIndexPage, SectionKind, SectionPage
from speakers.models import SpeakerIndexPage
from tests.factories import (
    SectionIndexPageFactory,
    SectionPageFactory,
    SpeakerIndexPageFactory,
    SpeakerPageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

CLUB_SECRET = "Протокол закритої зустрічі голів громад"


class TestCreationRules(WagtailPageTestCase):
    def test_the_index_lives_under_the_home_page_once(self):
        self.assertCanCreateAt(HomePage, SectionIndexPage)
        self.assertCanNotCreateAt(StandardPage, SectionIndexPage)
        self.assertAllowedParentPageTypes(SectionIndexPage, {HomePage})
        self.assertEqual(SectionIndexPage.max_count_per_parent, 1)

    def test_sections_live_under_the_index_only_and_have_no_children(self):
        self.assertAllowedParentPageTypes(SectionPage, {SectionIndexPage})
        self.assertAllowedSubpageTypes(SectionIndexPage, {SectionPage})
        self.assertAllowedSubpageTypes(SectionPage, {})
        self.assertCanNotCreateAt(HomePage, SectionPage)
        self.assertCanNotCreateAt(SpeakerIndexPage, SectionPage)


@pytest.fixture
def section_index(home):
    return SectionIndexPageFactory(parent=home, intro="Усі розділи платформи.")


@pytest.fixture
def club(section_index):
    club = SectionPageFactory(
        parent=section_index,
        title="Кабінет мера",
        kind=SectionKind.CLUB,
        icon="club",
        summary="Закритий клуб для голів громад.",
        membership_note="<p>Клуб для голів громад. Напишіть нам з офіційної адреси ради.</p>",
        body=[{"type": "paragraph", "value": f"<p>{CLUB_SECRET}</p>"}],
    )
    sync_language_trees()  # its English copy, as the admin would make it
    return club


@pytest.fixture
def mayor():
    user = UserFactory()
    user.groups.add(Group.objects.get(name=MAYORS_GROUP_NAME))
    return user


class TestSlugs:
    def test_a_new_section_gets_a_latin_slug_by_the_national_rules(self, section_index):
        page = SectionPageFactory(parent=section_index, title="Енергетична стійкість", slug="")
        assert page.slug == "enerhetychna-stiikist"
        assert page.url == "/sections/enerhetychna-stiikist/"

    def test_a_cyrillic_slug_is_transliterated(self, section_index):
        page = SectionPageFactory(parent=section_index, title="Охорона здоров'я", slug="охорона-здоровя")
        assert page.slug == "okhorona-zdorovia"

    def test_the_admin_turns_the_prefilled_cyrillic_slug_into_latin(self, client, section_index):
        client.force_login(UserFactory(is_superuser=True, is_staff=True))
        data = nested_form_data(
            {
                "title": "Енергетична стійкість",
                "slug": "енергетична-стійкість",  # what the admin fills in from the title
                "summary": "Генератори, сонячні станції та енергоаудит для громад.",
                "kind": "thematic",
                "order": 1,
                "icon": "bolt",
                "body": streamfield([("paragraph", rich_text("<p>Текст</p>"))]),
                "curators-TOTAL_FORMS": 0,
                "curators-INITIAL_FORMS": 0,
                "curators-MIN_NUM_FORMS": 0,
                "curators-MAX_NUM_FORMS": 1000,
                "membership_note": rich_text(""),
            }
        )
        response = client.post(f"/admin/pages/add/sections/sectionpage/{section_index.pk}/", data)
        assert response.status_code == 302, response.content.decode()[:2000]
        assert {page.slug for page in SectionPage.objects.filter(title="Енергетична стійкість")} == {
            "enerhetychna-stiikist"
        }

    def test_the_english_page_keeps_the_slug_of_its_source(self, section_index, translate):
        page = SectionPageFactory(parent=section_index, title="Грантова підтримка", slug="")
        translate(section_index, {"Розділи": "Sections"})
        english = translate(page, {"Грантова підтримка": "Grant support"})
        assert english.title == "Grant support"
        assert english.slug == page.slug == "hrantova-pidtrymka"
        assert english.url == "/en/sections/hrantova-pidtrymka/"


class TestIndex:
    def test_thematic_sections_are_cards_and_special_ones_apart(self, client, section_index, club):
        SectionPageFactory(parent=section_index, title="Енергетична стійкість", order=1)
        SectionPageFactory(parent=section_index, title="Ліга громад", kind=SectionKind.TRAINING, order=4)
        html = client.get("/sections/").content.decode()
        thematic, special = html.split('id="special-sections"')
        assert "Енергетична стійкість" in thematic
        assert "Ліга громад" not in thematic
        assert "Ліга громад" in special and "Кабінет мера" in special
        assert "Навчання" in special  # the kind is named on a special card

    def test_cards_count_the_speakers_of_the_section_in_each_language(self, client, home, section_index, translate):
        energy = SectionPageFactory(parent=section_index, title="Енергетична стійкість")
        speakers = SpeakerIndexPageFactory(parent=home)
        for number in range(3):
            SpeakerPageFactory(parent=speakers, title=f"Спікер {number}", sections=[energy])
        SpeakerPageFactory(parent=speakers, title="Без розділу")
        translate(section_index, {"Розділи": "Sections"})
        translate(energy, {"Енергетична стійкість": "Energy resilience"})
        translate(speakers, {"Спікери": "Speakers"})
        for speaker in speakers.get_children():
            translate(speaker.specific, {})
        assert "3 спікери" in client.get("/sections/").content.decode()
        english = client.get("/en/sections/").content.decode()
        assert "Energy resilience" in english
        assert "3 speakers" in english

    def test_an_untranslated_section_shows_in_ukrainian_with_a_notice(self, client, section_index):
        SectionPageFactory(parent=section_index, title="Освіта", slug="osvita")
        sync_language_trees()
        response = client.get("/en/sections/osvita/")
        assert response.status_code == 200
        html = response.content.decode()
        assert "Освіта" in html
        assert "has not been translated into English yet" in html
        assert '<main id="main" tabindex="-1" lang="uk">' in html

    def test_open_graph_and_description_come_from_the_summary(self, client, section_index):
        SectionPageFactory(parent=section_index, title="Освіта", slug="osvita", summary="Школи й укриття.")
        html = client.get("/sections/osvita/").content.decode()
        assert '<meta name="description" content="Школи й укриття.">' in html
        assert '<meta property="og:description" content="Школи й укриття.">' in html
        assert '<meta property="og:title" content="Освіта">' in html


class TestClosedClub:
    def test_a_club_section_is_restricted_to_the_mayors_group(self, club):
        restriction = PageViewRestriction.objects.get(page=club)
        assert restriction.restriction_type == PageViewRestriction.GROUPS
        assert list(restriction.groups.values_list("name", flat=True)) == [MAYORS_GROUP_NAME]

    def test_its_english_copy_is_restricted_too(self, club, en_locale):
        english = club.get_translation(en_locale)
        restriction = PageViewRestriction.objects.get(page=english)  # one, not a copy beside our own
        assert list(restriction.groups.values_list("name", flat=True)) == [MAYORS_GROUP_NAME]

    def test_a_section_that_becomes_a_club_closes_in_both_languages(self, section_index, en_locale):
        section = SectionPageFactory(parent=section_index, title="Освіта")
        sync_language_trees()
        section.kind = SectionKind.CLUB
        section.save_revision().publish()  # Wagtail updates the English alias on publishing
        for page in (section, section.get_translation(en_locale)):
            assert PageViewRestriction.objects.filter(page=page, groups__name=MAYORS_GROUP_NAME).count() == 1

    def test_anonymous_visitors_see_who_it_is_for_and_how_to_join(self, client, club):
        response = client.get(club.url)
        html = response.content.decode()
        assert response.status_code == 403
        assert "Кабінет мера" in html
        assert "Напишіть нам з офіційної адреси ради." in html
        assert "/_util/login/?next=/sections/" in html
        assert CLUB_SECRET not in html
        assert "no-store" in response["Cache-Control"]

    def test_a_signed_in_non_member_is_told_the_account_is_not_a_member(self, client, club):
        client.force_login(UserFactory(username="olena"))
        response = client.get(club.url)
        html = response.content.decode()
        assert response.status_code == 403
        assert "olena" in html
        assert CLUB_SECRET not in html

    def test_members_read_the_content(self, client, club, mayor):
        client.force_login(mayor)
        response = client.get(club.url)
        assert response.status_code == 200
        assert CLUB_SECRET in response.content.decode()

    def test_a_member_signs_in_from_the_club_page_and_comes_back_to_it(self, client, club, mayor):
        assert f"/_util/login/?next={club.url}" in client.get(club.url).content.decode()
        form = client.get("/_util/login/", {"next": club.url})
        assert form.status_code == 200
        assert "Увійти" in form.content.decode()
        wrong = client.post("/_util/login/", {"username": mayor.username, "password": "wrong", "next": club.url})
        assert wrong.status_code == 200  # the form again, with its error
        response = client.post(
            "/_util/login/", {"username": mayor.username, "password": "correct-horse-battery", "next": club.url}
        )
        assert response.status_code == 302
        assert response["Location"] == club.url
        assert CLUB_SECRET in client.get(club.url).content.decode()

    def test_a_member_signs_out_from_the_header(self, client, club, mayor):
        client.force_login(mayor)
        html = client.get(club.url).content.decode()
        assert '<form class="sign-out" method="post" action="/account/sign-out/">' in html
        assert client.get("/account/sign-out/").status_code == 405  # only a form's POST signs out
        response = client.post("/en/account/sign-out/", {"next": "/en/sections/"})
        assert response.status_code == 302
        assert response["Location"] == "/en/sections/"  # back where the reader was
        assert client.get(club.url).status_code == 403

    def test_the_english_copy_is_closed_and_open_alike(self, client, club, mayor):
        url = f"/en{club.url}"
        assert client.get(url).status_code == 403
        client.force_login(mayor)
        assert CLUB_SECRET in client.get(url).content.decode()

    def test_the_card_shows_without_what_the_club_holds(self, client, home, section_index, club):
        speakers = SpeakerIndexPageFactory(parent=home)
        SpeakerPageFactory(parent=speakers, sections=[club])
        html = client.get("/sections/").content.decode()
        assert "Кабінет мера" in html
        assert "Лише для учасників" in html
        assert "1 спікер" not in html
        assert CLUB_SECRET not in html

    def test_members_see_the_card_with_its_counts(self, client, home, section_index, club, mayor):
        speakers = SpeakerIndexPageFactory(parent=home)
        SpeakerPageFactory(parent=speakers, sections=[club])
        client.force_login(mayor)
        assert "1 спікер" in client.get("/sections/").content.decode()

    def test_its_content_is_not_in_search_or_the_sitemap(self, client, club, mayor):
        assert "0 результатів" in client.get("/search/", {"q": "Протокол закритої"}).content.decode()
        client.force_login(mayor)  # not even for members: search and the sitemap list public pages only
        assert f'href="{club.url}"' not in client.get("/search/", {"q": "Протокол закритої"}).content.decode()
        sitemap = client.get("/sitemap.xml").content.decode()
        assert "/sections/" in sitemap
        assert club.url not in sitemap
