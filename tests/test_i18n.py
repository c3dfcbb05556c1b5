"""The language switcher, hreflang links, the catalogues and the admin's languages."""

import re
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from wagtail.models import Locale, Page, Site
from wagtail.users.models import UserProfile
from wagtail_localize.models import LocaleSynchronization

from tests.factories import (
    CommunityFactory,
    NeedIndexPageFactory,
    NeedPageFactory,
    SpeakerIndexPageFactory,
    StandardPageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def switcher_links(html):
    """{language code: href} of the links in the language switcher."""
    switcher = re.search(r'<nav class="language-switcher".*?</nav>', html, re.S).group(0)
    return {code: href for href, code in re.findall(r'<a href="([^"]+)" hreflang="(\w+)"', switcher)}


def hreflang_links(html):
    return dict(re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)">', html))


class TestSiteSetUp:
    def test_locales_and_both_home_pages_exist_after_set_up(self, home, en_home):
        assert set(Locale.objects.values_list("language_code", flat=True)) == {"uk", "en"}
        assert Site.objects.get(is_default_site=True).root_page.specific == home
        assert en_home.locale.language_code == "en"
        assert en_home.live

    def test_english_tree_is_kept_in_step_by_wagtail_localize(self, home):
        sync = LocaleSynchronization.objects.get(locale__language_code="en")
        assert sync.sync_from.language_code == "uk"

    def test_wagtail_welcome_page_is_gone(self, home):
        assert not Page.objects.filter(depth=2, title__startswith="Welcome").exists()

    def test_setup_is_idempotent(self, home):
        pages_before = Page.objects.count()
        call_command("setup_site", stdout=StringIO())
        call_command("setup_site", stdout=StringIO())
        assert Page.objects.count() == pages_before


class TestLanguageSwitcher:
    def test_home_links_the_other_language(self, client, home):
        assert switcher_links(client.get("/").content.decode()) == {"en": "/en/"}
        assert switcher_links(client.get("/en/").content.decode()) == {"uk": "/"}

    def test_page_links_its_translation(self, client, home, translate):
        page = StandardPageFactory(parent=home, title="Про платформу", slug="pro-platformu")
        translate(page, {"Про платформу": "About the platform"})
        assert switcher_links(client.get("/pro-platformu/").content.decode()) == {"en": "/en/pro-platformu/"}
        assert switcher_links(client.get("/en/pro-platformu/").content.decode()) == {"uk": "/pro-platformu/"}

    def test_page_without_translation_links_the_other_home(self, client, home):
        StandardPageFactory(parent=home, title="Лише українською", slug="lyshe-ukrainskoiu")
        assert switcher_links(client.get("/lyshe-ukrainskoiu/").content.decode()) == {"en": "/en/"}

    def test_current_language_is_marked_not_linked(self, client, home):
        html = client.get("/en/").content.decode()
        assert '<span aria-current="true" lang="en">EN</span>' in html

    def test_search_page_links_the_same_search_in_the_other_language(self, client, home):
        html = client.get("/search/?q=grant").content.decode()
        assert switcher_links(html) == {"en": "/en/search/?q=grant"}

    def test_not_found_page_links_each_home(self, client, home):
        html = client.get("/en/nemaie-takoi/").content.decode()
        assert switcher_links(html) == {"uk": "/"}

    def test_a_listing_keeps_its_filters_in_the_other_language(self, client, home, translate):
        speakers = SpeakerIndexPageFactory(parent=home)
        translate(speakers, {speakers.title: "Speakers"})
        html = client.get("/speakers/?kind=donor&page=2").content.decode()
        assert switcher_links(html) == {"en": "/en/speakers/?kind=donor&amp;page=2"}
        assert hreflang_links(html)["en"] == "http://testserver/en/speakers/"

    def test_a_route_of_a_page_links_the_same_route_in_the_other_language(self, client, home, translate):
        board = NeedIndexPageFactory(parent=home)
        translate(board, {board.title: "Community needs"})
        community = CommunityFactory(oblast="sumy", code="UA59020030000081430")
        translate(community, {community.name: "Okhtyrka city hromada"})
        NeedPageFactory(parent=board, community=community)
        html = client.get("/en/needs/communities/UA59020030000081430/").content.decode()
        assert switcher_links(html) == {"uk": "/needs/communities/UA59020030000081430/"}
        assert hreflang_links(html) == {
            "uk": "http://testserver/needs/communities/UA59020030000081430/",
            "en": "http://testserver/en/needs/communities/UA59020030000081430/",
            "x-default": "http://testserver/needs/communities/UA59020030000081430/",
        }


class TestHreflang:
    def test_every_page_carries_both_languages(self, client, home, translate):
        page = StandardPageFactory(parent=home, title="Гранти", slug="hranty")
        translate(page, {"Гранти": "Grants"})
        for url in ("/hranty/", "/en/hranty/"):
            links = hreflang_links(client.get(url).content.decode())
            assert links == {
                "uk": "http://testserver/hranty/",
                "en": "http://testserver/en/hranty/",
                "x-default": "http://testserver/hranty/",
            }

    def test_home_pages(self, client, home):
        links = hreflang_links(client.get("/en/").content.decode())
        assert links["uk"] == "http://testserver/"
        assert links["en"] == "http://testserver/en/"

    def test_not_found_page_claims_no_alternates(self, client, home):
        assert hreflang_links(client.get("/en/no-such-page/").content.decode()) == {}

    def test_a_page_without_translation_names_only_itself(self, client, home):
        StandardPageFactory(parent=home, title="Лише українською", slug="lyshe-ukrainskoiu")
        links = hreflang_links(client.get("/lyshe-ukrainskoiu/").content.decode())
        assert links == {
            "uk": "http://testserver/lyshe-ukrainskoiu/",
            "x-default": "http://testserver/lyshe-ukrainskoiu/",
        }


class TestCatalogues:
    def test_both_languages_have_a_catalogue(self):
        for code, _name in settings.LANGUAGES:
            assert (settings.BASE_DIR / "locale" / code / "LC_MESSAGES" / "django.po").exists()

    def test_compile_catalogues_builds_mo_files_without_gettext(self, tmp_path, settings):
        po_dir = tmp_path / "uk" / "LC_MESSAGES"
        po_dir.mkdir(parents=True)
        (po_dir / "django.po").write_text(
            'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "Search"\nmsgstr "Пошук"\n',
            encoding="utf-8",
        )
        settings.LOCALE_PATHS = [tmp_path]
        call_command("compile_catalogues", stdout=StringIO())
        mo_file = po_dir / "django.mo"
        assert mo_file.exists()
        assert "Пошук".encode() in mo_file.read_bytes()


class TestAdminLanguages:
    def test_editors_may_choose_ukrainian_or_english(self):
        assert dict(settings.WAGTAILADMIN_PERMITTED_LANGUAGES) == {"uk": "Українська", "en": "English"}

    @pytest.mark.parametrize(("language", "expected"), [("uk", "Панель"), ("en", "Dashboard")])
    def test_admin_speaks_the_editors_language(self, client, home, language, expected):
        user = UserFactory(is_superuser=True, is_staff=True)
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = language
        profile.save()
        client.force_login(user)
        response = client.get("/admin/")
        assert response.status_code == 200
        html = response.content.decode()
        assert f'lang="{language}"' in html
        assert expected in html
