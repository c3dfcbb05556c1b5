"""Events: Kyiv time across DST and midnight, series, the join link's window, the index, feeds, statistics."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from wagtail.test.utils import WagtailPageTestCase

from events.models import EventIndexPage, EventPage, EventSeriesPage
from events.stats import event_statistics
from events.timing import KYIV, kyiv_datetime
from home.models import HomePage
from home.site_setup import sync_language_trees
from sections.access import MAYORS_GROUP_NAME
from sections.models import SectionKind
from tests.bulk import bulk_pages, bulk_relate
from tests.factories import (
    CommunityFactory,
    EventIndexPageFactory,
    EventPageFactory,
    SectionIndexPageFactory,
    SectionPageFactory,
    SpeakerIndexPageFactory,
    SpeakerPageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def kyiv(text):
    moment = datetime.datetime.fromisoformat(text)
    return kyiv_datetime(moment.date(), moment.time())


def titles_in_order(html):
    return re.findall(r'<h3 class="event-item__title"><a href="[^"]+">([^<]+)</a></h3>', html)


def when(event):
    return Template("{% load event_tags %}{% event_when event %}").render(Context({"event": event}))


@pytest.fixture
def sections(home):
    index = SectionIndexPageFactory(parent=home)
    return {
        "energy": SectionPageFactory(parent=index, title="Енергетична стійкість", slug="", order=1),
        "grants": SectionPageFactory(parent=index, title="Грантова підтримка", slug="", order=2),
        "club": SectionPageFactory(parent=index, title="Кабінет мера", slug="", order=5, kind=SectionKind.CLUB),
    }


@pytest.fixture
def speakers(home, sections):
    index = SpeakerIndexPageFactory(parent=home)
    return {
        "olena": SpeakerPageFactory(parent=index, title="Олена Коваленко", sections=[sections["energy"]]),
        "fund": SpeakerPageFactory(parent=index, title="Фонд «Світанок»", sections=[sections["grants"]]),
    }


@pytest.fixture
def events_index(home):
    return EventIndexPageFactory(parent=home, intro="Події платформи.")


class TestCreationRules(WagtailPageTestCase):
    def test_the_tree(self):
        self.assertCanCreateAt(HomePage, EventIndexPage)
        self.assertAllowedSubpageTypes(EventIndexPage, {EventPage, EventSeriesPage})
        self.assertAllowedParentPageTypes(EventPage, {EventIndexPage, EventSeriesPage})
        self.assertAllowedSubpageTypes(EventSeriesPage, {EventPage})
        self.assertAllowedSubpageTypes(EventPage, {})


class TestKyivTime:
    def test_stored_in_utc_across_both_dst_changes(self, events_index):
        before_spring = EventPageFactory(parent=events_index, start=kyiv("2026-03-28T10:00"))
        after_spring = EventPageFactory(parent=events_index, start=kyiv("2026-03-29T10:00"))
        after_autumn = EventPageFactory(parent=events_index, start=kyiv("2026-10-25T10:00"))
        for event in (before_spring, after_spring, after_autumn):
            event.refresh_from_db()
        assert before_spring.start.astimezone(UTC).hour == 8  # EET, UTC+2
        assert after_spring.start.astimezone(UTC).hour == 7  # EEST, UTC+3
        assert after_autumn.start.astimezone(UTC).hour == 8
        assert "10:00–11:00" in when(after_spring) and "EEST" in when(after_spring)
        assert "10:00–11:00" in when(after_autumn) and "(Київ, EET)" in when(after_autumn)

    def test_an_event_across_midnight_says_when_it_ends(self, events_index):
        event = EventPageFactory(parent=events_index, start=kyiv("2026-02-17T23:00"), end=kyiv("2026-02-18T00:30"))
        assert event.ends_another_day
        assert "23:00 – 18 лютого, 00:30" in when(event)
        assert "17 лютого 2026" in when(event)

    def test_an_event_without_an_end(self, events_index):
        event = EventPageFactory(parent=events_index, start=kyiv("2026-05-12T14:00"), end=None)
        assert re.search(r"12 травня 2026, 14:00</time>", when(event))
        assert not event.is_over(kyiv("2026-05-12T15:59")) and event.is_over(kyiv("2026-05-12T16:01"))

    def test_the_end_must_follow_the_start(self):
        event = EventPage(title="Подія", summary="…", start=kyiv("2026-05-12T14:00"), end=kyiv("2026-05-12T13:00"))
        with pytest.raises(Exception, match="end"):
            event.clean()


class TestJoinLink:
    @pytest.fixture
    def event(self, events_index):
        return EventPageFactory(
            parent=events_index,
            start=kyiv("2026-06-10T11:00"),
            end=kyiv("2026-06-10T12:30"),
            join_url="https://meet.example.org/room",
        )

    @pytest.mark.parametrize(
        ("moment", "open_"),
        [
            ("2026-06-10T10:29", False),
            ("2026-06-10T10:30", True),
            ("2026-06-10T12:30", True),
            ("2026-06-10T12:31", False),
        ],
    )
    def test_the_window(self, event, moment, open_):
        assert event.join_link_is_open(kyiv(moment)) is open_

    def test_the_page_shows_it_only_in_the_window(self, client, event, monkeypatch):
        monkeypatch.setattr(timezone, "now", lambda: kyiv("2026-06-10T09:00").astimezone(UTC))
        html = client.get(event.url).content.decode()
        assert "https://meet.example.org/room" not in html
        assert "10 червня, 10:30" in html  # when it will appear
        monkeypatch.setattr(timezone, "now", lambda: kyiv("2026-06-10T10:45").astimezone(UTC))
        response = client.get(event.url)
        assert "https://meet.example.org/room" in response.content.decode()
        assert "no-cache" in response["Cache-Control"]

    def test_an_open_ended_event_keeps_it_two_hours(self, events_index):
        event = EventPageFactory(
            parent=events_index, start=kyiv("2026-06-10T11:00"), end=None, join_url="https://meet.example.org/x"
        )
        assert event.join_link_is_open(kyiv("2026-06-10T12:59"))
        assert not event.join_link_is_open(kyiv("2026-06-10T13:01"))


class TestSeries:
    def make_series(self, events_index, sections, **fields):
        series = EventSeriesPage(
            **{
                "title": "Кабінет мера: щотижнева зустріч",
                "slug": "kabinet-mera",
                "summary": "Щотижня.",
                "first_start": kyiv("2026-03-17T10:00"),
                "duration": 60,
                "frequency": "weekly",
                "until": datetime.date(2026, 4, 7),
                **fields,
            }
        )
        series.sections = [sections["grants"]]
        events_index.add_child(instance=series)
        series.save_revision().publish()
        return series

    def test_publishing_creates_each_dated_event_at_the_same_kyiv_time(self, events_index, sections):
        series = self.make_series(events_index, sections)
        events = list(EventPage.objects.child_of(series).order_by("start"))
        assert [e.start.astimezone(KYIV).strftime("%m-%d %H:%M") for e in events] == [
            "03-17 10:00",
            "03-24 10:00",
            "03-31 10:00",  # after the change to summer time
            "04-07 10:00",
        ]
        assert events[1].start.astimezone(UTC).hour == 8 and events[2].start.astimezone(UTC).hour == 7
        assert all(e.live and e.end - e.start == datetime.timedelta(hours=1) for e in events)
        assert [s.pk for s in events[0].sections.all()] == [sections["grants"].pk]
        assert events[0].slug == "kabinet-mera-2026-03-17"

    def test_each_event_is_edited_on_its_own_and_republishing_adds_only_what_is_missing(self, events_index, sections):
        series = self.make_series(events_index, sections)
        first = EventPage.objects.child_of(series).order_by("start").first()
        first.title = "Кабінет мера: спецвипуск"
        first.save_revision().publish()
        series.until = datetime.date(2026, 4, 21)
        series.save_revision().publish()
        events = EventPage.objects.child_of(series).order_by("start")
        assert events.count() == 6
        assert events.first().title == "Кабінет мера: спецвипуск"

    def test_monthly_on_the_same_weekday(self, events_index, sections):
        series = self.make_series(
            events_index, sections, slug="hodyna", frequency="monthly_weekday", until=datetime.date(2026, 6, 30)
        )
        series.first_start = kyiv("2026-01-08T15:00")  # the second Thursday
        assert [s.strftime("%Y-%m-%d") for s in series.occurrence_starts()] == [
            "2026-01-08",
            "2026-02-12",
            "2026-03-12",
            "2026-04-09",
            "2026-05-14",
            "2026-06-11",
        ]

    def test_the_club_series_and_its_events_are_for_members(self, client, events_index, sections):
        series = EventSeriesPage(
            title="Кабінет мера",
            slug="klub",
            summary="…",
            first_start=kyiv("2026-03-17T10:00"),
            duration=60,
            frequency="weekly",
            until=datetime.date(2026, 3, 24),
        )
        series.sections = [sections["club"]]
        events_index.add_child(instance=series)
        series.save_revision().publish()
        event = EventPage.objects.child_of(series).first()
        assert event.members_only
        assert client.get(event.url).status_code == 403
        sync_language_trees()
        english = EventPage.objects.get(locale__language_code="en", translation_key=event.translation_key)
        assert client.get(english.url).status_code == 403


class TestIndex:
    @pytest.fixture
    def events(self, events_index, sections, speakers, monkeypatch):
        monkeypatch.setattr(timezone, "now", lambda: kyiv("2026-06-01T12:00").astimezone(UTC))
        energy, grants = sections["energy"], sections["grants"]
        return {
            "soon": EventPageFactory(
                parent=events_index,
                title="Генератори для лікарень",
                start=kyiv("2026-06-03T10:00"),
                sections=[energy],
                speakers=[speakers["olena"]],
            ),
            "later": EventPageFactory(
                parent=events_index,
                title="Грантові заявки: практикум",
                start=kyiv("2026-06-20T10:00"),
                format="offline",
                place="Вінниця",
                sections=[grants],
                speakers=[speakers["fund"]],
            ),
            "now": EventPageFactory(
                parent=events_index,
                title="Зараз у прямому ефірі",
                start=kyiv("2026-06-01T11:30"),
                end=kyiv("2026-06-01T13:00"),
                sections=[energy],
            ),
            "past": EventPageFactory(
                parent=events_index,
                title="Модульні котельні",
                start=kyiv("2026-05-20T10:00"),
                recording_url="https://video.example.org/kotelni",
                participants=120,
                communities=46,
                sections=[energy],
            ),
            "past_unrecorded": EventPageFactory(
                parent=events_index, title="Без запису", start=kyiv("2026-05-21T10:00"), sections=[grants]
            ),
            "club": EventPageFactory(
                parent=events_index,
                title="Закрита зустріч",
                start=kyiv("2026-06-02T10:00"),
                sections=[sections["club"]],
            ),
        }

    def test_upcoming_soonest_first_then_recordings(self, client, events):
        html = client.get("/events/").content.decode()
        upcoming, recordings = html.split("Записи минулих подій", 1)
        assert titles_in_order(upcoming) == [
            "Зараз у прямому ефірі",
            "Генератори для лікарень",
            "Грантові заявки: практикум",
        ]
        assert titles_in_order(recordings) == ["Модульні котельні"]
        assert "3 найближчі події" in upcoming
        assert "Закрита зустріч" not in html and "Без запису" not in html

    def test_filters_combine(self, client, events, speakers):
        assert titles_in_order(client.get("/events/", {"section": "enerhetychna-stiikist"}).content.decode())[:2] == [
            "Зараз у прямому ефірі",
            "Генератори для лікарень",
        ]
        html = client.get("/events/", {"format": "offline"}).content.decode()
        assert titles_in_order(html) == ["Грантові заявки: практикум"]
        html = client.get(
            "/events/", {"speaker": speakers["olena"].slug, "section": "enerhetychna-stiikist"}
        ).content.decode()
        assert titles_in_order(html) == ["Генератори для лікарень"]
        assert f'href="?speaker={speakers["olena"].slug}&amp;section=hrantova-pidtrymka"' in html

    def test_the_month_view_places_events_by_kyiv_day(self, client, events_index, events):
        # 00:30 in Kyiv on 1 July is still 30 June in UTC: it belongs to 1 July.
        EventPageFactory(parent=events_index, title="Нічна зустріч", start=kyiv("2026-07-01T00:30"))
        html = client.get("/events/", {"month": "2026-07"}).content.decode()
        assert "Липень 2026" in html
        day_one = re.search(r"<span class=\"month__day\">1<span.*?</td>", html, re.S).group(0)
        assert "Нічна зустріч" in day_one and "00:30" in day_one
        assert 'href="?month=2026-06"' in html and 'href="?month=2026-08"' in html
        june = client.get("/events/", {"month": "2026-06", "section": "hrantova-pidtrymka"}).content.decode()
        assert "Грантові заявки: практикум" in june and "Генератори для лікарень" not in june
        assert 'href="?month=2026-05&amp;section=hrantova-pidtrymka"' in june.replace(
            "section=hrantova-pidtrymka&amp;month=2026-05", "month=2026-05&amp;section=hrantova-pidtrymka"
        )

    def test_all_recordings(self, client, events):
        html = client.get("/events/", {"show": "recordings"}).content.decode()
        assert titles_in_order(html) == ["Модульні котельні"]
        assert "46 громад" in html

    def test_odd_values_are_ignored(self, client, events):
        for params in (
            {"month": "2026-13"},
            {"month": "99999-01"},
            {"month": "січень"},
            {"section": "x\x00"},
            {"speaker": "y" * 400},
            {"format": "telepathy"},
            {"show": "everything"},
            {"page": "-3"},
        ):
            assert client.get("/events/", params).status_code == 200, params


class TestEventPage:
    def test_after_the_event_its_recording_materials_and_attendance(self, client, events_index, sections, speakers):
        from tests.factories import LibraryPageFactory, MaterialPageFactory

        material = MaterialPageFactory(
            parent=LibraryPageFactory(parent=events_index.get_parent()), title="Слайди вебінару"
        )
        event = EventPageFactory(
            parent=events_index,
            title="Вебінар про котельні",
            start=kyiv("2025-11-12T11:00"),
            end=kyiv("2025-11-12T12:30"),
            recording_url="https://video.example.org/1",
            participants=140,
            communities=52,
            programme=[{"type": "item", "value": {"time": "11:00", "title": "Вступ", "description": ""}}],
            sections=[sections["energy"]],
            speakers=[speakers["olena"]],
        )
        event.materials = [material]
        event.attending_communities = [
            CommunityFactory(name="Вознесенська міська громада", oblast="mykolaiv", code="UA48020010000012345")
        ]
        event.save()
        html = client.get(event.url).content.decode()
        assert "Вознесенська міська громада" in html and "Миколаївська область" in html
        assert 'href="https://video.example.org/1"' in html
        assert "Слайди вебінару" in html and "Олена Коваленко" in html
        assert "52" in html and "140" in html and "Вступ" in html
        assert "Додати до календаря" not in html  # it is over


class TestCalendarFeeds:
    @pytest.fixture
    def events(self, events_index, sections):
        return [
            EventPageFactory(
                parent=events_index,
                title="Енергетична стійкість громад: вебінар",
                start=timezone.now() + datetime.timedelta(days=3),
                place="Житомир",
                join_url="https://meet.example.org/secret-room",
                sections=[sections["energy"]],
            ),
            EventPageFactory(parent=events_index, title="Грантові заявки", sections=[sections["grants"]]),
            EventPageFactory(parent=events_index, title="Закрита зустріч", sections=[sections["club"]]),
            EventPageFactory(
                parent=events_index, title="Давня подія", start=timezone.now() - datetime.timedelta(days=800)
            ),
        ]

    def parse(self, response):
        assert response.status_code == 200
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        return Calendar.from_ical(response.content)

    def test_the_feed_parses_back_with_kyiv_times_and_ukrainian_titles(self, client, events):
        calendar = self.parse(client.get("/events/feed.ics"))
        vevents = calendar.walk("VEVENT")
        assert sorted(str(e["summary"]) for e in vevents) == [
            "Грантові заявки",
            "Енергетична стійкість громад: вебінар",
        ]
        first = next(e for e in vevents if str(e["summary"]).startswith("Енергетична"))
        assert first["dtstart"].params["TZID"] == "Europe/Kyiv"
        assert first.decoded("dtstart") == events[0].start.replace(microsecond=0)
        assert str(first["location"]) == "Житомир"
        assert "secret-room" not in client.get("/events/feed.ics").content.decode()
        assert calendar.walk("VTIMEZONE")[0]["tzid"] == "Europe/Kyiv"

    def test_updates_keep_the_uid_and_raise_the_sequence(self, client, events):
        def entry():
            calendar = self.parse(client.get("/events/feed.ics"))
            return next(e for e in calendar.walk("VEVENT") if "Грантові" in str(e["summary"]))

        before = entry()
        events[1].title = "Грантові заявки: перенесено"
        events[1].start += datetime.timedelta(days=1)
        events[1].end += datetime.timedelta(days=1)
        events[1].save_revision().publish()
        after = entry()
        assert after["uid"] == before["uid"]
        assert int(after["sequence"]) > int(before["sequence"])

    def test_a_section_feed_and_the_club(self, client, events):
        energy = self.parse(client.get("/events/feed.ics", {"section": "enerhetychna-stiikist"}))
        assert [str(e["summary"]) for e in energy.walk("VEVENT")] == ["Енергетична стійкість громад: вебінар"]
        assert not self.parse(client.get("/events/feed.ics", {"section": "kabinet-mera"})).walk("VEVENT")
        assert not self.parse(client.get("/events/feed.ics", {"section": "nemaie\x00"})).walk("VEVENT")

    def test_add_to_calendar(self, client, events):
        event = events[0]
        html = client.get(event.url).content.decode()
        assert f'href="/events/event-{event.pk}.ics"' in html
        assert "https://calendar.google.com/calendar/render?action=TEMPLATE" in html
        single = self.parse(client.get(f"/events/event-{event.pk}.ics"))
        assert len(single.walk("VEVENT")) == 1
        assert client.get(f"/events/event-{events[2].pk}.ics").status_code == 404  # the club's

    def test_the_english_feed(self, client, events, events_index, translate):
        translate(events_index, {"Події": "Events", "Події платформи.": "Platform events."})
        translate(events[1], {"Грантові заявки": "Grant applications"})
        calendar = self.parse(client.get("/en/events/feed.ics"))
        assert "Grant applications" in [str(e["summary"]) for e in calendar.walk("VEVENT")]


class TestHoldings:
    def test_the_section_and_the_speaker_show_their_events(self, client, events_index, sections, speakers):
        EventPageFactory(
            parent=events_index,
            title="Майбутня енергетика",
            sections=[sections["energy"]],
            speakers=[speakers["olena"]],
        )
        EventPageFactory(
            parent=events_index,
            title="Минула енергетика",
            start=timezone.now() - datetime.timedelta(days=30),
            sections=[sections["energy"]],
            speakers=[speakers["olena"]],
        )
        html = client.get(sections["energy"].url).content.decode()
        assert "Майбутня енергетика" in html and "Минула енергетика" in html
        assert 'href="/events/feed.ics?section=enerhetychna-stiikist"' in html
        assert "Майбутня енергетика" in client.get(speakers["olena"].url).content.decode()
        assert "1 найближча подія" in client.get("/sections/").content.decode()


class TestStatistics:
    @pytest.fixture
    def events(self, events_index, sections, translate):
        energy, grants = sections["energy"], sections["grants"]
        made = [
            EventPageFactory(
                parent=events_index, start=kyiv("2025-03-10T10:00"), communities=40, participants=100, sections=[energy]
            ),
            EventPageFactory(
                parent=events_index, start=kyiv("2025-03-31T23:30"), communities=50, participants=90, sections=[grants]
            ),
            EventPageFactory(
                parent=events_index,
                start=kyiv("2025-04-02T10:00"),
                communities=60,
                participants=200,
                sections=[energy, grants],
            ),
            EventPageFactory(parent=events_index, start=kyiv("2025-04-20T10:00"), sections=[energy]),  # not recorded
            EventPageFactory(
                parent=events_index, start=kyiv("2025-06-02T10:00"), communities=10, participants=12
            ),  # outside
        ]
        translate(events_index, {"Події": "Events"})
        translate(made[0], {})  # a translation is not another event
        return made

    def test_the_arithmetic(self, events):
        stats = event_statistics(datetime.date(2025, 3, 1), datetime.date(2025, 4, 30))
        assert stats["total"].events == 4
        assert stats["total"].average_communities == 50  # (40 + 50 + 60) / 3 recorded
        assert stats["total"].participants == 390
        months = {row.label: (row.events, row.average_communities) for row in stats["months"]}
        # 23:30 in Kyiv on 31 March is 20:30 UTC: still March.
        assert months == {"2025-03": (2, 45), "2025-04": (2, 60)}
        sections = {row.label: (row.events, row.average_communities) for row in stats["sections"]}
        assert sections == {"Енергетична стійкість": (3, 50), "Грантова підтримка": (2, 55)}

    def test_one_section(self, events, sections):
        stats = event_statistics(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31), sections["grants"])
        assert stats["total"].events == 2 and stats["total"].average_communities == 55

    def test_the_admin_page(self, client, events):
        client.force_login(UserFactory(is_superuser=True, is_staff=True))
        html = client.get(
            reverse("events_statistics"), {"date_from": "2025-03-01", "date_to": "2025-04-30"}
        ).content.decode()
        assert "4 події, у середньому 50 громад" in html
        assert "<svg" in html and "<rect" in html
        assert not re.search(r'(x|y|width|height)="\d+,\d', html)  # no decimal commas in coordinates
        bad = client.get(reverse("events_statistics"), {"date_from": "2025-05-01", "date_to": "2025-01-01"})
        assert bad.status_code == 200 and "Період має починатися" in bad.content.decode()
        assert client.get(reverse("events_statistics"), {"date_from": "вчора"}).status_code == 200


class TestQueryBounds:
    def measure(self, client, urls):
        counts = {}
        for url in urls:
            assert client.get(url).status_code == 200, url
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            counts[url] = len(queries)
        return counts

    def add(self, events_index, count, sections, speakers):
        # By each page's number, not its id (PostgreSQL's ids keep growing between tests), so that
        # twenty events already hold past and upcoming ones, with and without recordings.
        now = timezone.now()

        def number(page):
            return int(page.title.rsplit(" ", 1)[1])

        pages = bulk_pages(
            events_index,
            EventPage,
            count,
            "masova",
            summary="Масово.",
            format="online",
            start=lambda page: now + datetime.timedelta(hours=number(page) % 24 * 10 - 120),
            end=lambda page: now + datetime.timedelta(hours=number(page) % 24 * 10 - 119),
            recording_url=lambda page: "https://video.example.org/x" if number(page) % 2 else "",
            communities=lambda page: number(page) % 60,
        )
        bulk_relate(EventPage, "sections", pages, sections)
        bulk_relate(EventPage, "speakers", pages, speakers)

    def test_query_counts_do_not_grow_with_events(self, client, events_index, sections, speakers):
        energy, grants = sections["energy"], sections["grants"]
        target = EventPageFactory(
            parent=events_index, title="Ціль", slug="target", sections=[energy], speakers=[speakers["olena"]]
        )
        month = f"{timezone.now():%Y-%m}"
        urls = [
            "/events/",
            f"/events/?section=enerhetychna-stiikist&speaker={speakers['olena'].slug}",
            f"/events/?month={month}",
            "/events/?show=recordings&page=2",
            target.url,
            energy.url,
            speakers["olena"].url,
            "/sections/",
            "/events/feed.ics?section=hrantova-pidtrymka",
        ]
        self.add(events_index, 19, [energy, grants], list(speakers.values()))
        with_twenty = self.measure(client, urls)
        self.add(events_index, 1980, [energy, grants], list(speakers.values()))
        with_two_thousand = self.measure(client, urls)
        assert with_two_thousand == with_twenty
        assert max(with_twenty.values()) <= 40


def test_club_members_see_the_club_events(client, events_index, sections):
    event = EventPageFactory(parent=events_index, title="Закрита зустріч", sections=[sections["club"]])
    member = UserFactory()
    member.groups.add(Group.objects.get(name=MAYORS_GROUP_NAME))
    client.force_login(member)
    assert client.get(event.url).status_code == 200
    assert "Закрита зустріч" in client.get("/events/").content.decode()
