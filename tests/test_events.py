"""Events: Kyiv time across DST and midnight, series, the join link's window, the index, feeds, statistics."""

import datetime
import json
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.template import Context, Template
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from wagtail.embeds import embeds
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed
from wagtail.models import PageViewRestriction
from wagtail.test.utils import WagtailPageTestCase

from events import demo
from events.models import EventIndexPage, EventPage, EventSeriesPage
from events.models import event as event_models
from events.models.event import RECORDING_EMBED_WIDTH
from events.models.series import MAX_SERIES_EVENTS
from events.stats import Row, event_statistics
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

#: A task backend that keeps what is queued without running it.
QUEUE_ONLY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}

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

    def test_the_page_says_how_early_the_link_opens(self, client, event, monkeypatch):
        monkeypatch.setattr(timezone, "now", lambda: kyiv("2026-06-10T09:00").astimezone(UTC))
        monkeypatch.setattr(event_models, "JOIN_LINK_OPENS_BEFORE", datetime.timedelta(minutes=45))
        response = client.get(event.url)
        assert "10 червня, 10:15" in response.content.decode()
        assert response.context["join_link_opens_minutes"] == 45

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

    def republish(self, series, **fields):
        series = EventSeriesPage.objects.get(pk=series.pk)
        for name, value in fields.items():
            setattr(series, name, value)
        series.save_revision().publish()
        return series

    def events_of(self, series):
        return list(EventPage.objects.child_of(series).order_by("series_date"))

    def test_publishing_creates_each_dated_event_at_the_same_kyiv_time(self, events_index, sections):
        series = self.make_series(events_index, sections)
        events = self.events_of(series)
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
        assert [e.series_date for e in events] == [e.start.astimezone(KYIV).date() for e in events]
        assert series.occurrences.count() == 4

    def test_publishing_leaves_the_events_to_a_background_task(self, events_index, sections):
        from django_tasks import default_task_backend

        from events.tasks import update_series_events

        with override_settings(TASKS=QUEUE_ONLY):
            series = self.make_series(events_index, sections)
            assert not EventPage.objects.child_of(series).exists()  # the editor's request does not wait
            queued = [result.args for result in default_task_backend.results if result.task == update_series_events]
            assert queued == [[series.pk]]
        assert update_series_events.call(series.pk) == 4
        assert update_series_events.call(series.pk) == 0  # run twice, nothing twice
        assert EventPage.objects.child_of(series).count() == 4

    def test_each_event_is_edited_on_its_own_and_republishing_adds_only_what_is_missing(self, events_index, sections):
        series = self.make_series(events_index, sections)
        first = EventPage.objects.child_of(series).order_by("start").first()
        first.title = "Кабінет мера: спецвипуск"
        first.save_revision().publish()
        self.republish(series, until=datetime.date(2026, 4, 21))
        events = EventPage.objects.child_of(series).order_by("start")
        assert events.count() == 6
        assert events.first().title == "Кабінет мера: спецвипуск"

    def test_a_moved_event_stays_where_it_was_moved(self, events_index, sections):
        series = self.make_series(events_index, sections)
        moved = self.events_of(series)[1]
        moved.start, moved.end = kyiv("2026-03-25T15:00"), kyiv("2026-03-25T16:00")
        moved.save_revision().publish()
        self.republish(series, summary="Щотижня, о десятій.")  # matched on start, this used to be a 500
        events = self.events_of(series)
        assert len(events) == 4
        assert events[1].pk == moved.pk and events[1].start == kyiv("2026-03-25T15:00")

    def test_a_deleted_event_stays_cancelled(self, events_index, sections):
        series = self.make_series(events_index, sections)
        self.events_of(series)[2].delete()
        self.republish(series, until=datetime.date(2026, 4, 14))
        assert [e.series_date.isoformat() for e in self.events_of(series)] == [
            "2026-03-17",
            "2026-03-24",
            "2026-04-07",
            "2026-04-14",  # a new date is still added
        ]

    def test_a_new_time_moves_the_upcoming_events_the_series_gave_it(self, events_index, sections, monkeypatch):
        monkeypatch.setattr(timezone, "now", lambda: kyiv("2026-03-26T12:00").astimezone(UTC))
        series = self.make_series(events_index, sections)
        moved_on_its_own, with_a_draft = self.events_of(series)[2:]
        moved_on_its_own.start, moved_on_its_own.end = kyiv("2026-03-31T12:00"), kyiv("2026-03-31T13:00")
        moved_on_its_own.save_revision().publish()
        with_a_draft.title = "Чернетка"
        with_a_draft.save_revision()
        series = self.republish(series, first_start=kyiv("2026-03-17T11:00"), duration=90)
        times = [(e.start.astimezone(KYIV).strftime("%m-%d %H:%M"), e.end - e.start) for e in self.events_of(series)]
        hour, longer = datetime.timedelta(hours=1), datetime.timedelta(minutes=90)
        assert times == [("03-17 10:00", hour), ("03-24 10:00", hour), ("03-31 12:00", hour), ("04-07 10:00", hour)]
        # An event freed of its draft follows the next change again.
        EventPage.objects.get(pk=with_a_draft.pk).get_latest_revision().publish()
        self.republish(series, until=datetime.date(2026, 4, 14))
        times = [(e.start.astimezone(KYIV).strftime("%m-%d %H:%M"), e.end - e.start) for e in self.events_of(series)]
        assert times[3:] == [("04-07 11:00", longer), ("04-14 11:00", longer)]

    def test_a_taken_slug_gets_a_free_one(self, events_index, sections):
        series = self.make_series(events_index, sections)
        EventPageFactory(parent=series, title="Позачергова зустріч", slug="kabinet-mera-2026-04-14")
        self.republish(series, until=datetime.date(2026, 4, 14))
        added = EventPage.objects.child_of(series).get(series_date=datetime.date(2026, 4, 14))
        assert added.slug == "kabinet-mera-2026-04-14-2"

    def test_all_events_or_none(self, events_index, sections, monkeypatch):
        series = self.make_series(events_index, sections, until=datetime.date(2026, 3, 17))
        series = EventSeriesPage.objects.get(pk=series.pk)
        series.until = datetime.date(2026, 4, 7)
        series.save_revision().publish()  # keeps the events for the test's own run below
        EventPage.objects.child_of(series).exclude(series_date=datetime.date(2026, 3, 17)).delete()
        series.occurrences.exclude(date=datetime.date(2026, 3, 17)).delete()
        add_event = EventSeriesPage._add_event
        calls = []

        def failing_on_the_third(self, *args):
            calls.append(args)
            if len(calls) == 3:
                raise RuntimeError("the database went away")
            return add_event(self, *args)

        monkeypatch.setattr(EventSeriesPage, "_add_event", failing_on_the_third)
        with pytest.raises(RuntimeError):
            series.update_events()
        assert EventPage.objects.child_of(series).count() == 1
        assert series.occurrences.count() == 1

    def test_an_event_across_a_dst_change_keeps_its_length(self, events_index, sections):
        # 03:30 does not exist in Kyiv on 29 March 2026 (03:00 becomes 04:00): that meeting starts at 04:30.
        series = self.make_series(
            events_index, sections, first_start=kyiv("2026-03-22T03:30"), until=datetime.date(2026, 4, 5)
        )
        events = self.events_of(series)
        assert [e.start.astimezone(KYIV).strftime("%m-%d %H:%M") for e in events] == [
            "03-22 03:30",
            "03-29 04:30",
            "04-05 03:30",
        ]
        assert all(e.end - e.start == datetime.timedelta(hours=1) for e in events)

    def test_monthly_on_the_same_weekday(self):
        series = EventSeriesPage(
            first_start=kyiv("2026-01-08T15:00"),  # the second Thursday
            duration=90,
            frequency="monthly_weekday",
            until=datetime.date(2026, 6, 30),
        )
        assert [date.isoformat() for date in series.schedule()] == [
            "2026-01-08",
            "2026-02-12",
            "2026-03-12",
            "2026-04-09",
            "2026-05-14",
            "2026-06-11",
        ]

    def test_monthly_from_a_fifth_weekday_means_the_last(self):
        series = EventSeriesPage(
            first_start=kyiv("2026-01-29T15:00"),  # the fifth Thursday: February has none
            duration=60,
            frequency="monthly_weekday",
            until=datetime.date(2026, 5, 31),
        )
        assert [date.isoformat() for date in series.schedule()] == [
            "2026-01-29",
            "2026-02-26",
            "2026-03-26",
            "2026-04-30",
            "2026-05-28",
        ]

    def test_a_long_series_stops_at_its_limit(self):
        series = EventSeriesPage(
            first_start=kyiv("2026-01-05T10:00"), duration=60, frequency="weekly", until=datetime.date(9999, 12, 31)
        )
        assert len(series.schedule()) == MAX_SERIES_EVENTS

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


def admin_add(client, parent, model, **fields):
    """Posts the admin's form for a new page, as publishing it; returns the form's errors (none: published)."""
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    data = {"slug": "nova", "programme-count": "0", "action-publish": "action-publish", **fields}
    url = reverse("wagtailadmin_pages:add", args=[model._meta.app_label, model._meta.model_name, parent.pk])
    response = client.post(url, data)
    assert response.status_code in (200, 302), response.status_code
    return dict(response.context["form"].errors) if response.status_code == 200 else {}


class TestEditorsForms:
    SERIES = {
        "title": "Ліга громад: практикум",
        "summary": "Щотижня.",
        "format": "online",
        "join_url": "https://meet.example.org/liha",
        "first_start": "2026-03-17 10:00",
        "duration": "60",
        "frequency": "weekly",
        "until": "2026-04-07",
    }

    @pytest.mark.parametrize(
        ("field", "value"),
        [("duration", "0"), ("duration", "100000"), ("until", "9999-12-31"), ("until", "2028-03-18")],
    )
    def test_series_settings_that_cannot_work_are_form_errors(self, client, events_index, field, value):
        errors = admin_add(client, events_index, EventSeriesPage, **{**self.SERIES, field: value})
        assert field in errors
        assert not EventPage.objects.exists()

    def test_a_series_of_two_years_is_accepted(self, client, events_index):
        with override_settings(TASKS=QUEUE_ONLY):  # its 105 events are not the point here
            assert admin_add(client, events_index, EventSeriesPage, **{**self.SERIES, "until": "2028-03-16"}) == {}
        assert len(EventSeriesPage.objects.get(locale__language_code="uk").schedule()) == 105

    def test_a_new_time_published_in_the_admin_moves_the_upcoming_events(self, client, events_index, monkeypatch):
        monkeypatch.setattr(timezone, "now", lambda: kyiv("2026-03-20T12:00").astimezone(UTC))
        assert admin_add(client, events_index, EventSeriesPage, **self.SERIES) == {}
        series = EventSeriesPage.objects.get(locale__language_code="uk")
        edit = reverse("wagtailadmin_pages:edit", args=[series.pk])
        data = {**self.SERIES, "slug": series.slug, "programme-count": "0", "action-publish": "action-publish"}
        assert client.post(edit, {**data, "first_start": "2026-03-17 18:30"}).status_code == 302
        starts = [e.start.astimezone(KYIV).strftime("%m-%d %H:%M") for e in EventPage.objects.child_of(series)]
        assert sorted(starts) == ["03-17 10:00", "03-24 18:30", "03-31 18:30", "04-07 18:30"]
        english = EventPage.objects.filter(locale__language_code="en").order_by("start").last()
        assert english.start.astimezone(KYIV).strftime("%m-%d %H:%M") == "04-07 18:30"

    @pytest.mark.parametrize(
        ("fields", "error"),
        [
            ({"format": "offline", "place": ""}, "place"),
            ({"format": "hybrid", "place": "Вінниця", "join_url": ""}, "join_url"),
            ({"format": "online", "join_url": ""}, "join_url"),
        ],
    )
    def test_an_event_says_where_to_come_or_how_to_join(self, client, events_index, fields, error):
        event = {"title": "Практикум", "summary": "Про все.", "start": "2030-05-12 10:00", "end": "2030-05-12 11:00"}
        errors = admin_add(client, events_index, EventPage, **event, **fields)
        assert list(errors) == [error]
        assert admin_add(client, events_index, EventPage, **event, **fields, **{"action-publish": ""}) == {}  # a draft

    def test_a_past_online_event_needs_no_link(self, client, events_index):
        event = {"title": "Було", "summary": "Про все.", "start": "2025-05-12 10:00", "format": "online"}
        assert admin_add(client, events_index, EventPage, **event) == {}


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

    def test_the_english_page_names_communities_known_in_ukrainian_only(self, client, events_index, translate):
        event = EventPageFactory(parent=events_index, title="Вебінар", start=kyiv("2025-11-12T11:00"), communities=2)
        event.attending_communities = [
            # Both come from the register in Ukrainian; only one is translated below.
            CommunityFactory(name="Вознесенська міська громада", oblast="mykolaiv", code="UA48020010000012345"),
            CommunityFactory(name="Ірпінська міська громада", oblast="kyiv", code="UA32080130000028521"),
        ]
        event.save()
        translate(
            event.attending_communities.get(name="Ірпінська міська громада"), {"Ірпінська міська громада": "Irpin"}
        )
        translate(events_index, {"Події": "Events"})
        english = translate(event, {"Вебінар": "Webinar"})
        html = client.get(english.url).content.decode()
        assert "Communities that took part" in html
        assert "Вознесенська міська громада" in html and "Irpin" in html and "Ірпінська" not in html

    def test_a_recording_plays_on_the_page_when_its_provider_offers_a_player(self, client, events_index):
        url = "https://www.youtube.com/watch?v=abcdefghijk"
        # What publishing the event put into Wagtail's cache of embeds (the tests have no network).
        Embed.objects.create(
            url=url,
            max_width=RECORDING_EMBED_WIDTH,
            hash=get_embed_hash(url, RECORDING_EMBED_WIDTH),
            type="video",
            html='<iframe src="https://www.youtube.com/embed/abcdefghijk" title="Запис"></iframe>',
            width=960,
            height=540,
        )
        event = EventPageFactory(parent=events_index, start=kyiv("2025-11-12T11:00"), recording_url=url)
        event.save_revision().publish()
        html = client.get(event.url).content.decode()
        assert '<iframe src="https://www.youtube.com/embed/abcdefghijk"' in html
        assert f'href="{url}"' in html  # the link stays beside the player

    def test_without_a_player_the_page_links_the_recording(self, client, events_index, monkeypatch):
        event = EventPageFactory(
            parent=events_index, start=kyiv("2025-11-12T11:00"), recording_url="https://video.example.org/zapys"
        )
        event.save_revision().publish()  # no provider plays this address: nothing is cached
        assert not Embed.objects.exists()

        def no_asking_a_provider_on_a_visit(*args, **kwargs):
            raise AssertionError("the page asked a provider")

        monkeypatch.setattr(embeds, "get_finder_for_embed", no_asking_a_provider_on_a_visit)
        html = client.get(event.url).content.decode()
        assert '<a class="button" href="https://video.example.org/zapys"' in html
        assert "<iframe" not in html


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

    def test_times_across_dst_changes_and_midnight_and_without_an_end(self, client, events_index, monkeypatch):
        monkeypatch.setattr(timezone, "now", lambda: kyiv("2026-03-01T12:00").astimezone(UTC))
        for title, start, end in [
            ("Весна", "2026-03-29T10:00", "2026-03-29T11:30"),
            ("Осінь", "2026-10-25T10:00", "2026-10-25T11:00"),
            ("Північ", "2026-10-24T23:30", "2026-10-25T01:00"),
            ("Без кінця", "2026-03-29T02:00", None),
        ]:
            EventPageFactory(parent=events_index, title=title, start=kyiv(start), end=end and kyiv(end))
        calendar = self.parse(client.get("/events/feed.ics"))
        zone = calendar.walk("VTIMEZONE")[0].to_tz(lookup_tzid=False)  # the feed's own rules, not the system's

        def utc(vevent, name):
            assert vevent[name].params["TZID"] == "Europe/Kyiv"
            return vevent.decoded(name).replace(tzinfo=zone).astimezone(UTC).strftime("%m-%d %H:%M")

        times = {str(e["summary"]): (utc(e, "dtstart"), utc(e, "dtend")) for e in calendar.walk("VEVENT")}
        assert times == {
            "Весна": ("03-29 07:00", "03-29 08:30"),  # summer time: UTC+3
            "Осінь": ("10-25 08:00", "10-25 09:00"),  # winter time again: UTC+2
            "Північ": ("10-24 20:30", "10-24 22:00"),
            "Без кінця": ("03-29 00:00", "03-29 02:00"),  # two hours, as the site counts it, across the change
        }

    def test_the_time_zone_is_two_yearly_rules(self, client, events):
        calendar = self.parse(client.get("/events/feed.ics"))
        [zone] = calendar.walk("VTIMEZONE")
        rules = {r.name: (r["rrule"].to_ical().decode(), r["dtstart"].dt.time()) for r in zone.subcomponents}
        assert rules == {
            "DAYLIGHT": ("FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3", datetime.time(3, 0)),
            "STANDARD": ("FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10", datetime.time(4, 0)),
        }
        assert not any("RDATE" in part for part in zone.subcomponents)
        # The rules give Kyiv's offsets hour by hour for a week around each change, for ten years.
        rules_zone = zone.to_tz(lookup_tzid=False)
        for year in range(2025, 2036):
            for week in (datetime.datetime(year, 3, 24, tzinfo=UTC), datetime.datetime(year, 10, 24, tzinfo=UTC)):
                for moment in (week + datetime.timedelta(hours=hour) for hour in range(24 * 8)):
                    assert moment.astimezone(rules_zone).utcoffset() == moment.astimezone(KYIV).utcoffset(), moment

    def test_google_and_the_file_give_an_open_ended_event_the_sites_two_hours(self, client, events_index):
        event = EventPageFactory(parent=events_index, start=kyiv("2030-05-12T14:00"), end=None)
        assert "20300512T110000Z%2F20300512T130000Z" in client.get(event.url).content.decode()
        [vevent] = self.parse(client.get(event.get_calendar_url())).walk("VEVENT")
        assert vevent.decoded("dtend") - vevent.decoded("dtstart") == datetime.timedelta(hours=2)

    def test_an_impossible_event_number_is_not_found(self, client, events):
        assert client.get("/events/event-99999999999999999999.ics").status_code == 404

    def test_the_english_feed(self, client, events, events_index, translate):
        translate(events_index, {"Події": "Events", "Події платформи.": "Platform events."})
        translate(events[1], {"Грантові заявки": "Grant applications"})
        calendar = self.parse(client.get("/en/events/feed.ics"))
        assert "Grant applications" in [str(e["summary"]) for e in calendar.walk("VEVENT")]


class TestPrivacy:
    """Wagtail's page privacy (a password, a login, a group) holds in every list and feed, not only the club's rule."""

    @pytest.fixture
    def events(self, events_index, sections, speakers):
        def event(title, parent=events_index):
            return EventPageFactory(
                parent=parent, title=title, sections=[sections["energy"]], speakers=[speakers["olena"]]
            )

        def restrict(page, kind, **fields):
            restriction = PageViewRestriction.objects.create(page=page, restriction_type=kind, **fields)
            if kind == PageViewRestriction.GROUPS:
                restriction.groups.add(Group.objects.create(name="Редакція"))

        made = {"open": event("Відкрита подія")}
        made["password"] = event("Закрита паролем")
        restrict(made["password"], PageViewRestriction.PASSWORD, password="таємниця")
        made["login"] = event("Для тих, хто увійшов")
        restrict(made["login"], PageViewRestriction.LOGIN)
        made["group"] = event("Для редакції")
        restrict(made["group"], PageViewRestriction.GROUPS)
        series = EventSeriesPage(
            title="Закрита серія", slug="zakryta", summary="…", first_start=timezone.now(), frequency="weekly"
        )
        series.until = series.first_start.date()
        events_index.add_child(instance=series)  # not published: its one event is made here
        restrict(series, PageViewRestriction.PASSWORD, password="таємниця")
        made["in_a_closed_series"] = event("Подія закритої серії", parent=series)
        return made

    def shown(self, client, url):
        html = client.get(url).content.decode()
        return {title for title in CLOSED_TITLES if title in html}, "Відкрита подія" in html

    def test_anyone_sees_the_open_event_only(self, client, events, sections, speakers):
        for url in ("/events/", "/events/feed.ics", sections["energy"].url, speakers["olena"].url):
            assert self.shown(client, url) == (set(), True), url
        assert "1 найближча подія" in client.get("/sections/").content.decode()
        assert client.get(events["open"].get_calendar_url()).status_code == 200
        for closed in ("password", "login", "group", "in_a_closed_series"):
            assert client.get(events[closed].get_calendar_url()).status_code == 404, closed

    def test_a_signed_in_visitor_also_sees_what_a_login_opens(self, client, events):
        client.force_login(UserFactory())
        assert self.shown(client, "/events/") == ({"Для тих, хто увійшов"}, True)
        assert client.get(events["login"].get_calendar_url()).status_code == 200
        assert "Для тих, хто увійшов" not in client.get("/events/feed.ics").content.decode()  # feeds are for anyone

    def test_the_english_copies_follow_their_source(self, client, events, events_index, translate):
        translate(events_index, {"Події": "Events"})
        sync_language_trees()
        # Closed after its English copy was made: Wagtail copies a restriction into a new alias only,
        # and then serves the alias under its source's restrictions.
        PageViewRestriction.objects.create(page=events["open"], restriction_type=PageViewRestriction.LOGIN)
        for url in ("/en/events/", "/en/events/feed.ics"):
            assert self.shown(client, url) == (set(), False), url


CLOSED_TITLES = ("Закрита паролем", "Для тих, хто увійшов", "Для редакції", "Подія закритої серії")


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
        speaker_page = client.get(speakers["olena"].url).content.decode()
        assert "Майбутня енергетика" in speaker_page and "Минула енергетика" in speaker_page
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

    def test_every_month_of_the_period_has_its_row_and_bar(self, events):
        stats = event_statistics(datetime.date(2025, 2, 1), datetime.date(2025, 5, 31))
        assert [(row.label, row.events, row.average_communities) for row in stats["months"]] == [
            ("2025-02", 0, None),
            ("2025-03", 2, 45),
            ("2025-04", 2, 60),
            ("2025-05", 0, None),
        ]
        assert [bar["height"] == 0 for bar in stats["chart"]["bars"]] == [True, False, False, True]

    def test_averages_round_half_up(self, events_index):
        for communities in (46, 47):
            EventPageFactory(parent=events_index, start=kyiv("2024-05-10T10:00"), communities=communities)
        stats = event_statistics(datetime.date(2024, 5, 1), datetime.date(2024, 5, 31))
        assert stats["total"].average_communities == 47  # 46.5; Python's round() says 46

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

    @pytest.mark.parametrize(
        "params",
        [
            {"date_from": "2025-01-01", "date_to": "9999-12-31"},
            {"date_from": "0001-01-01", "date_to": "2025-01-01"},
            {"date_from": "2025-01-01", "date_to": "2025-02-01", "section": "99999999999999999999999"},
        ],
    )
    def test_odd_periods_are_form_errors(self, client, params):
        client.force_login(UserFactory(is_superuser=True, is_staff=True))
        response = client.get(reverse("events_statistics"), params)
        assert response.status_code == 200
        assert response.context["form"].errors and "statistics" not in response.context


@pytest.mark.parametrize(
    ("communities_total", "reported", "average"), [(91, 2, 46), (93, 2, 47), (1, 2, 1), (137, 3, 46), (0, 4, 0)]
)
def test_the_average_rounds_half_up(communities_total, reported, average):
    assert Row("", reported, 0, communities_total, reported).average_communities == average


def test_the_demo_has_150_events_over_2025_and_2026_and_a_public_weekly_series(settings):
    settings.EVENTS_DEMO_PER_FILE = None  # all of the demo, not the tests' sample
    series_data = json.loads((demo.DATA_DIR / "index.json").read_text(encoding="utf-8"))["series"]
    sections = json.loads((Path(settings.BASE_DIR) / "sections/demo_data/sections.json").read_text(encoding="utf-8"))
    club_sections = {section["title"]["uk"] for section in sections["sections"] if section["kind"] == SectionKind.CLUB}
    dates = [datetime.date.fromisoformat(item["start"][:10]) for item in demo.event_data() if "start" in item]
    public_weekly = []
    for item in series_data:
        series = EventSeriesPage(
            first_start=kyiv(item["first_start"]),
            duration=item["duration"],
            frequency=item["frequency"],
            until=demo._series_until(item),
        )
        series.clean()  # within a series' limits
        dates.extend(series.schedule())
        if item["frequency"] == "weekly" and not club_sections & set(item["sections"]):
            public_weekly.append(item["title"]["uk"])
    assert sum(date.year in (2025, 2026) for date in dates) >= 150
    assert public_weekly


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
        recorded = EventPageFactory(
            parent=events_index,
            slug="recorded",
            start=timezone.now() - datetime.timedelta(days=3),
            recording_url="https://video.example.org/recorded",
            sections=[energy],
        )
        month = f"{timezone.now():%Y-%m}"
        urls = [
            "/events/",
            f"/events/?section=enerhetychna-stiikist&speaker={speakers['olena'].slug}",
            f"/events/?month={month}",
            "/events/?show=recordings&page=2",
            target.url,
            recorded.url,
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
