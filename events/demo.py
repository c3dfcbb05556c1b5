"""Events over 2025 and 2026: past ones with recordings and attendance, upcoming ones with join links,
and series: the club's weekly meeting, the League's open weekly workshop and a monthly donors' hour.

Upcoming events in ``demo_data/events_*.json`` are given in days from the day of loading,
so the calendar has a future whenever the demo is loaded.
"""

import datetime
import json
import zlib
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from wagtail.models import Locale

from home.demo import BilingualText, ensure_index, publish_translated
from home.text import latin_slug
from home.translation import translate_page
from sections.models import SectionIndexPage, SectionPage
from speakers.models import SpeakerIndexPage, SpeakerPage

from .models import EventIndexPage, EventPage, EventSeriesPage, free_slug
from .timing import in_kyiv, kyiv_datetime, later_by

DATA_DIR = Path(__file__).parent / "demo_data"
SLUG_LENGTH = 70
RECORDINGS = "https://video.rishennia.example/"
MEETINGS = "https://meet.rishennia.example/"


def event_data(per_file=None):
    """The one-off events; with ``per_file``, the first few past and upcoming ones of each file (the tests' sample)."""
    items = []
    for part in sorted(DATA_DIR.glob("events_*.json")):
        part_items = json.loads(part.read_text(encoding="utf-8"))["events"]
        if per_file:
            past = [item for item in part_items if "start" in item][:per_file]
            upcoming = [item for item in part_items if "days_from_now" in item][:per_file]
            part_items = past + upcoming
        items.extend(part_items)
    return items


def event_start(item, today):
    if "start" in item:
        return kyiv_datetime(*_date_and_time(item["start"]))
    time = datetime.time.fromisoformat(item["time"])
    return kyiv_datetime(today + datetime.timedelta(days=item["days_from_now"]), time)


def _date_and_time(value):
    moment = datetime.datetime.fromisoformat(value)
    return moment.date(), moment.time()


def _programme(text, items):
    return [
        {
            "type": "item",
            "value": {"time": entry["time"], "title": text.uk(entry["title"]), "description": ""},
        }
        for entry in items
    ]


def _slug(title, start, taken):
    return free_slug(f"{latin_slug(title)[:SLUG_LENGTH].rstrip('-')}-{in_kyiv(start):%Y-%m-%d}", taken)


def _event(item, start, slug, now, sections_by_title, speakers_by_name):
    text = BilingualText()
    end = later_by(start, datetime.timedelta(minutes=item["duration_minutes"]))
    page = EventPage(
        slug=slug,
        title=text.uk(item["title"]),
        summary=text.uk(item["summary"]),
        format=item["format"],
        place=text.uk(item["place"]) if "place" in item else "",
        capacity_note=text.uk(item["capacity_note"]) if "capacity_note" in item else "",
        programme=_programme(text, item.get("programme", [])),
        start=start,
        end=end,
    )
    if end < now:
        page.participants, page.communities = item.get("participants"), item.get("communities")
        if item["format"] != "offline":
            page.recording_url = RECORDINGS + slug
    elif item["format"] != "offline":
        page.join_url = MEETINGS + slug
    page.sections = [sections_by_title[t] for t in [item["section"], *item.get("also_sections", [])]]
    page.speakers = [speakers_by_name[name] for name in item.get("speakers", []) if name in speakers_by_name]
    return page, text


def attendance(start):
    """Stable made-up figures for a past meeting of a series: about 46 communities, as the platform reports."""
    seed = zlib.crc32(start.isoformat().encode())
    communities = 30 + seed % 33
    return communities + 10 + seed % 90, communities


def _series_until(item):
    until = datetime.date.fromisoformat(item["until"])
    if settings.EVENTS_DEMO_PER_FILE:  # the tests' sample: a month of meetings
        until = min(until, datetime.date.fromisoformat(item["first_start"][:10]) + datetime.timedelta(days=35))
    return until


def _series(item, sections_by_title, speakers_by_name):
    text = BilingualText()
    page = EventSeriesPage(
        slug=latin_slug(item["title"]["uk"])[:SLUG_LENGTH].rstrip("-"),
        title=text.uk(item["title"]),
        summary=text.uk(item["summary"]),
        format=item["format"],
        programme=_programme(text, item["programme"]),
        first_start=kyiv_datetime(*_date_and_time(item["first_start"])),
        duration=item["duration"],
        frequency=item["frequency"],
        until=_series_until(item),
        join_url=MEETINGS + latin_slug(item["title"]["en"])[:40],
    )
    page.sections = [sections_by_title[title] for title in item["sections"]]
    page.speakers = [speakers_by_name[name] for name in item["speakers"]]
    return page, text


def _fill_series_events(series, text, item, now, locales):
    """Attendance and recordings of the series' past meetings; English for the public ones."""
    for event in EventPage.objects.child_of(series).order_by("start"):
        if event.end < now:
            event.participants, event.communities = attendance(event.start)
            if item["recordings"]:
                event.recording_url = RECORDINGS + event.slug
            event.save_revision().publish()
        if not series.members_only:
            for locale in locales:
                translate_page(event, locale, text.translations)


def load_events(home, log):
    data = json.loads((DATA_DIR / "index.json").read_text(encoding="utf-8"))
    index = ensure_index(home, EventIndexPage, "events", data["index"], log)
    sections_by_title = {
        section.title: section
        for section in SectionPage.objects.child_of(SectionIndexPage.objects.child_of(home).first())
    }
    speakers_by_name = {
        speaker.title: speaker
        for speaker in SpeakerPage.objects.child_of(SpeakerIndexPage.objects.child_of(home).first())
    }
    locales = list(Locale.objects.exclude(language_code=settings.LANGUAGE_CODE))
    now = timezone.now()
    today = in_kyiv(now).date()

    existing_series = set(EventSeriesPage.objects.child_of(index).values_list("slug", flat=True))
    for item in data["series"]:
        series, text = _series(item, sections_by_title, speakers_by_name)
        if series.slug in existing_series:
            continue
        publish_translated(index, series, text)
        # Publishing queues the making of the events; made here and now, whatever the queue (it is safe to repeat).
        series.update_events()
        _fill_series_events(series, text, item, now, locales)
        log(f"  {series.title}: {EventPage.objects.child_of(series).count()} events.")

    # One-off events are known by their title: upcoming ones move with the day of loading.
    taken = set(EventPage.objects.child_of(index).values_list("slug", flat=True))
    known = set(EventPage.objects.child_of(index).values_list("title", flat=True))
    items = event_data(settings.EVENTS_DEMO_PER_FILE)
    created = 0
    for number, item in enumerate(items, start=1):
        if item["title"]["uk"] in known:
            continue
        start = event_start(item, today)
        slug = _slug(item["title"]["uk"], start, taken)
        page, text = _event(item, start, slug, now, sections_by_title, speakers_by_name)
        publish_translated(index, page, text)
        taken.add(slug)
        created += 1
        if created % 25 == 0:
            log(f"  [{number}/{len(items)}] {page.title}")
    log(f"Events: {created} created, {len(items) - created} already there.")
