"""The set-up commands that `make run` and `make test` call."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail import hooks
from wagtail.models import Collection, Page

from communities.models import Community, NeedPage
from events.models import EventPage, EventSeriesPage
from home.models import HomePage, StandardPage
from library.models import LibraryDocument, MaterialPage
from sections.models import SectionKind, SectionPage
from speakers.models import SpeakerKind, SpeakerPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Runs a management command; what it leaves for the commit (publishing) runs too."""

    def _run(*args, **kwargs):
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command(*args, stdout=out, **kwargs)
        return out.getvalue()

    return _run


class TestEnsureAdmin:
    def test_uses_the_password_from_the_environment(self, run, monkeypatch):
        monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-long-pass-phrase")
        output = run("ensure_admin")
        admin = get_user_model().objects.get(username="admin")
        assert admin.is_superuser and admin.is_staff
        assert admin.check_password("a-long-pass-phrase")
        assert "a-long-pass-phrase" not in output

    def test_generates_and_prints_a_password_once(self, run, monkeypatch):
        monkeypatch.delenv("DJANGO_SUPERUSER_PASSWORD", raising=False)
        output = run("ensure_admin")
        password = output.split("shown only this once: ")[1].split()[0]
        assert get_user_model().objects.get(username="admin").check_password(password)
        second = run("ensure_admin")
        assert "exists already" in second
        assert password not in second
        assert get_user_model().objects.count() == 1


class TestLoadDemo:
    def test_fills_an_empty_site_in_both_languages(self, run, client):
        output = run("load_demo", "--if-empty")
        assert "Demo content loaded" in output
        uk_home = HomePage.objects.get(locale__language_code="uk")
        en_home = HomePage.objects.get(locale__language_code="en")
        assert uk_home.title == "Супермаркет рішень для громад"
        assert en_home.title == "Solutions Supermarket for Communities"
        assert en_home.alias_of_id is None  # a real translation, not a copy
        assert StandardPage.objects.filter(locale__language_code="en", title="How to join").exists()
        html = client.get("/en/").content.decode()
        assert "Join the platform" in html
        assert 'href="/en/yak-pryiednatysia/"' in html  # the call to action links the English page
        assert client.get("/yak-pryiednatysia/").status_code == 200
        self.check_sections_and_speakers(client)
        self.check_materials(client)
        self.check_events(client)
        self.check_needs(client)

    def check_sections_and_speakers(self, client):
        for language in ("uk", "en"):
            sections = SectionPage.objects.filter(locale__language_code=language, alias_of__isnull=True)
            assert sections.count() == 27
            assert all(section.body and section.summary for section in sections)
            assert sections.filter(curators__isnull=False).distinct().count() == 27
            speakers = SpeakerPage.objects.filter(locale__language_code=language, alias_of__isnull=True)
            assert speakers.count() >= 60
            assert set(speakers.values_list("kind", flat=True)) == set(SpeakerKind.values)
            assert not speakers.filter(sections__isnull=True).exists()
            assert all(speaker.tags.exists() for speaker in speakers)
        english = SectionPage.objects.get(locale__language_code="en", slug="enerhetychna-stiikist")
        assert english.title == "Energy resilience"
        club = SectionPage.objects.get(locale__language_code="en", kind=SectionKind.CLUB)
        assert club.membership_note.startswith("<p>") and "Mayors" in club.membership_note
        assert client.get(club.url).status_code == 403
        html = client.get("/en/speakers/").content.decode()
        assert "64 speakers" in html
        assert client.get("/sections/").status_code == 200

    def check_materials(self, client):
        # The tests load the first material of each section (LIBRARY_DEMO_PER_SECTION); `make run` loads all.
        for language in ("uk", "en"):
            assert MaterialPage.objects.filter(locale__language_code=language, alias_of__isnull=True).count() == 27
        sections = SectionPage.objects.filter(locale__language_code="uk")
        assert not sections.filter(materials__isnull=True).exists()
        documents = LibraryDocument.objects.all()
        assert documents.exists()
        assert set(documents.values_list("extraction_status", flat=True)) == {"done"}
        club = MaterialPage.objects.filter(members_only=True, locale__language_code="en").first()
        assert club is not None and client.get(club.url).status_code == 403
        assert client.get(club.document.url).status_code == 302  # to the sign-in form
        english = client.get("/en/library/").content.decode()
        assert "26 materials" in english  # the club's is not listed for outsiders
        assert client.get(MaterialPage.objects.filter(members_only=False).first().url).status_code == 200

    def check_events(self, client):
        # The tests load five one-off events of each file and a month of each series (EVENTS_DEMO_PER_FILE).
        uk_events = EventPage.objects.filter(locale__language_code="uk")
        assert EventSeriesPage.objects.filter(locale__language_code="uk").count() == 3
        assert uk_events.count() >= 10 + 5 + 2
        assert uk_events.filter(members_only=True).exists()  # the club's weekly meeting
        assert uk_events.upcoming().exists() and uk_events.past().exclude(recording_url="").exists()
        assert EventPage.objects.filter(locale__language_code="en", alias_of__isnull=True).count() >= 10
        assert "Upcoming events" in client.get("/en/events/").content.decode()
        assert client.get("/events/feed.ics").status_code == 200

    def check_needs(self, client):
        # The tests load the first needs and their communities (NEEDS_DEMO_SAMPLE).
        assert NeedPage.objects.filter(locale__language_code="uk").count() == 8
        assert NeedPage.objects.filter(locale__language_code="en", alias_of__isnull=True).count() == 8
        english = Community.objects.filter(locale__language_code="en")
        assert english.exists() and english.count() == Community.objects.filter(locale__language_code="uk").count()
        assert "Community needs" in client.get("/en/needs/").content.decode()
        assert client.get("/needs/export/").status_code == 200

    def test_a_second_run_changes_nothing(self, run):
        run("load_demo")
        pages = Page.objects.count()
        revisions = set(Page.objects.values_list("id", "latest_revision_id"))
        output = run("load_demo")
        assert "0 created" in output
        assert Page.objects.count() == pages
        assert set(Page.objects.values_list("id", "latest_revision_id")) == revisions

    def test_if_empty_leaves_a_site_with_content_alone(self, run, home):
        home.add_child(instance=StandardPage(title="Наша сторінка", slug="nasha"))
        output = run("load_demo", "--if-empty")
        assert "not loaded" in output
        assert not StandardPage.objects.filter(slug="pro-platformu").exists()


class TestSetupSite:
    # A real flush commits, as `manage.py flush` does: no test transaction to hide it.
    @pytest.mark.django_db(transaction=True)
    def test_rebuilds_the_tree_after_a_flush(self, run):
        call_command("flush", "--noinput", stdout=StringIO())
        assert "home page in en, uk" in run("setup_site")
        assert Collection.get_first_root_node() is not None
        assert HomePage.objects.filter(locale__language_code="en").exists()


def test_demo_pages_left_untranslated_still_appear_in_english(run, home):
    def load_a_ukrainian_only_page(home, log):
        home.add_child(instance=StandardPage(title="Лише українською", slug="lyshe-ukrainskoiu"))

    with hooks.register_temporarily("load_demo_content", load_a_ukrainian_only_page):
        run("load_demo")
    english = StandardPage.objects.get(locale__language_code="en", slug="lyshe-ukrainskoiu")
    assert english.alias_of_id is not None


def test_rerunning_setup_site_costs_the_same_however_many_pages(run, home, django_assert_max_num_queries):
    for number in range(3):
        home.add_child(instance=StandardPage(title=f"Сторінка {number}", slug=f"a-{number}"))
    with django_assert_max_num_queries(40) as with_few_pages:
        run("setup_site")
    queries_with_few_pages = len(with_few_pages.captured_queries)  # read now, before the log moves on
    for number in range(30):
        home.add_child(instance=StandardPage(title=f"Сторінка {number}", slug=f"b-{number}"))
    with django_assert_max_num_queries(queries_with_few_pages):
        run("setup_site")
