"""Calendar feeds (RFC 5545) that Google Calendar, Outlook and Apple Calendar subscribe to.

Each event keeps one UID for ever (its translation key: the same in both languages), and its
SEQUENCE grows with every published revision, so calendars update the event instead of
adding it again. Join links stay on the event's page, where they show shortly before the start.
Times are Kyiv wall-clock times under a VTIMEZONE of two yearly rules; an event without an end
lasts OPEN_ENDED_DURATION, as everywhere on the site.
"""

import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard

from .timing import KYIV, effective_end, in_kyiv

UID_DOMAIN = "events.rishennia"
#: Feeds carry the past year and everything ahead: enough for a calendar, bounded however long the platform runs.
FEED_HISTORY = datetime.timedelta(days=366)
GOOGLE_TEMPLATE_URL = "https://calendar.google.com/calendar/render"


def kyiv_timezone():
    """Europe/Kyiv as Outlook, Google and Apple all read it: summer time from the last Sunday of March
    (03:00 → 04:00) to the last Sunday of October (04:00 → 03:00), as yearly rules.

    icalendar's own VTIMEZONE lists every change as a date of its own, which Outlook desktop mishandles.
    The rules are the ones Ukraine has kept since the autumn of 1996; the feeds carry no earlier event.
    """
    summer = TimezoneDaylight()
    summer.add("tzname", "EEST")
    summer.add("dtstart", datetime.datetime(1997, 3, 30, 3, 0))
    summer.add("tzoffsetfrom", datetime.timedelta(hours=2))
    summer.add("tzoffsetto", datetime.timedelta(hours=3))
    summer.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1su"})
    winter = TimezoneStandard()
    winter.add("tzname", "EET")
    winter.add("dtstart", datetime.datetime(1996, 10, 27, 4, 0))
    winter.add("tzoffsetfrom", datetime.timedelta(hours=3))
    winter.add("tzoffsetto", datetime.timedelta(hours=2))
    winter.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1su"})
    zone = Timezone()
    zone.add("tzid", str(KYIV))
    zone.add_component(summer)
    zone.add_component(winter)
    return zone


def event_uid(event):
    return f"{event.translation_key}@{UID_DOMAIN}"


def _description(event, url):
    return f"{event.summary}\n\n{url}"


def _vevent(event, request):
    url = event.get_full_url(request)
    vevent = Event()
    vevent.add("uid", event_uid(event))
    vevent.add("dtstamp", timezone.now())
    vevent.add("sequence", event.latest_revision_id or 0)
    if event.last_published_at:
        vevent.add("last-modified", event.last_published_at)
    vevent.add("summary", event.title)
    vevent.add("description", _description(event, url))
    vevent.add("url", url)
    vevent.add("dtstart", in_kyiv(event.start))
    vevent.add("dtend", in_kyiv(effective_end(event.start, event.end)))
    vevent.add("location", event.place or url)
    return vevent


def build_calendar(events, request, name):
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.WAGTAIL_SITE_NAME}//{request.LANGUAGE_CODE}")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", str(KYIV))
    calendar.add_component(kyiv_timezone())
    for event in events:
        calendar.add_component(_vevent(event, request))
    return calendar


def ics_response(calendar, filename):
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "public, max-age=900"
    return response


def calendar_feed(index, request):
    """/events/feed.ics, or one section's events with ?section=<slug>."""
    from sections.models import SectionKind, SectionPage

    from .models import EventPage

    # Calendars fetch the feed without a login: what anyone may see.
    events = EventPage.objects.descendant_of(index).visible_to().filter(start__gte=timezone.now() - FEED_HISTORY)
    name = f"{_('Solutions Supermarket for Communities')}: {_('events')}"
    slug = request.GET.get("section", "")
    if slug:
        section = (
            SectionPage.objects.live().filter(locale_id=index.locale_id, slug=slug[:255].replace("\x00", "")).first()
        )
        if section is None or section.kind == SectionKind.CLUB:
            events = events.none()
        else:
            events = events.filter(sections__translation_key=section.translation_key)
            name = f"{_('Solutions Supermarket for Communities')}: {section.title}"
    events = events.distinct().order_by("start")
    return ics_response(build_calendar(events, request, name), "events.ics")


def event_file(event, request):
    """One event as a file to open in any calendar ("add to calendar")."""
    return ics_response(build_calendar([event], request, event.title), f"{event.slug[:60]}.ics")


def google_calendar_url(event, request):
    """Google Calendar's "add event" form, filled in."""
    end = effective_end(event.start, event.end)
    utc = "%Y%m%dT%H%M%SZ"
    params = {
        "action": "TEMPLATE",
        "text": event.title,
        "dates": f"{event.start.astimezone(datetime.UTC):{utc}}/{end.astimezone(datetime.UTC):{utc}}",
        "details": _description(event, event.get_full_url(request)),
        "location": event.place or event.get_full_url(request),
        "ctz": str(KYIV),
    }
    return f"{GOOGLE_TEMPLATE_URL}?{urlencode(params)}"
