"""The events index: upcoming events soonest first, recordings of past ones, or a month as a calendar.

Filters by section, speaker and format combine, as plain links; ``?month=YYYY-MM`` shows that
month as a grid and ``?show=recordings`` every past event with a recording. The page costs a
fixed number of queries however many events there are.
"""

import calendar
import datetime
import re

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from home.facets import build_facet, clean_params, facet_url
from sections.models import SectionKind, SectionPage

from .models import EventFormat, localize_events
from .timing import in_kyiv, month_bounds

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
RECORDINGS_PREVIEW = 6
SPEAKER_FACET_SIZE = 15


def parse_month(value):
    match = MONTH.match(value or "")
    if not match:
        return None
    year, month = int(match[1]), int(match[2])
    return (year, month) if 2000 <= year <= 2100 and 1 <= month <= 12 else None


class EventListing:
    def __init__(self, index, request):
        self.index = index
        self.request = request
        self.locale_id = index.locale_id
        self.now = timezone.now()
        params = clean_params(request.GET)
        self.sections = {
            section.translation_key: section
            for section in SectionPage.objects.live().filter(locale_id=self.locale_id).order_by("order", "title")
        }
        self.filters = self._chosen_filters(params)
        self.month = parse_month(params.get("month"))
        self.show_recordings = params.get("show") == "recordings" and not self.month
        self.facets = [self._facet(param) for param in ("section", "format", "speaker")]

        events = self._filtered()
        if self.month:
            self._month_view(events)
        elif self.show_recordings:
            recordings = events.exclude(recording_url="").past(self.now).order_by("-start", "pk")
            self.page_obj = Paginator(recordings.for_listing(), index.per_page).get_page(request.GET.get("page"))
            self.items = localize_events(self.page_obj.object_list, self.locale_id)
        else:
            upcoming = events.upcoming(self.now).order_by("start", "pk")
            self.page_obj = Paginator(upcoming.for_listing(), index.per_page).get_page(request.GET.get("page"))
            self.items = localize_events(self.page_obj.object_list, self.locale_id)
            recordings = events.exclude(recording_url="").past(self.now).order_by("-start", "pk")
            self.recordings = localize_events(recordings.for_listing()[:RECORDINGS_PREVIEW], self.locale_id)

    def _chosen_filters(self, params):
        filters = {}
        section = next((s for s in self.sections.values() if s.slug == params.get("section")), None)
        if section:
            filters["section"] = (Q(sections__translation_key=section.translation_key), section.slug, section.title)
        if params.get("format") in EventFormat.values:
            event_format = EventFormat(params["format"])
            filters["format"] = (Q(format=event_format), event_format.value, event_format.label)
        if params.get("speaker"):
            from speakers.models import SpeakerPage

            speaker = SpeakerPage.objects.live().filter(locale_id=self.locale_id, slug=params["speaker"]).first()
            if speaker:
                filters["speaker"] = (Q(speakers__translation_key=speaker.translation_key), speaker.slug, speaker.title)
        return filters

    def _filtered(self, leave_out=None):
        events = self.index.events(self.request)
        for param, (condition, _value, _label) in self.filters.items():
            if param != leave_out:
                events = events.filter(condition)
        return events.distinct()

    def _counts(self, param, field):
        # Counted among what the view shows: the chosen month, the recordings, or the upcoming events.
        events = self._filtered(leave_out=param)
        if self.month:
            start, end = month_bounds(*self.month)
            events = events.filter(start__gte=start, start__lt=end)
        elif self.show_recordings:
            events = events.exclude(recording_url="").past(self.now)
        else:
            events = events.upcoming(self.now)
        rows = events.order_by().values_list(field).annotate(total=Count("pk", distinct=True))
        return {key: total for key, total in rows if key is not None}

    def _facet(self, param):
        chosen = self.filters.get(param)
        if param == "section":
            counts = self._counts(param, "sections__translation_key")
            values = [
                (s.slug, s.title, counts.get(key, 0)) for key, s in self.sections.items() if s.kind != SectionKind.CLUB
            ]
            title, all_label = _("Section"), _("All sections")
        elif param == "format":
            counts = self._counts(param, "format")
            values = [(value, label, counts.get(value, 0)) for value, label in EventFormat.choices]
            title, all_label = _("Format"), _("All formats")
        else:
            from speakers.models import SpeakerPage

            counts = self._counts(param, "speakers__translation_key")
            speakers = SpeakerPage.objects.live().filter(locale_id=self.locale_id, translation_key__in=counts)
            rows = sorted(speakers, key=lambda s: (-counts[s.translation_key], s.name_sort_key))
            values = [(s.slug, s.title, counts[s.translation_key]) for s in rows]
            if chosen and not any(value == chosen[1] for value, _label, _count in values):
                values.append((chosen[1], chosen[2], 0))
            title, all_label = _("Speaker"), _("All speakers")
        return build_facet(
            self.request, param, title, all_label, values, chosen[1] if chosen else None, SPEAKER_FACET_SIZE
        )

    def _month_view(self, events):
        year, month = self.month
        start, end = month_bounds(year, month)
        in_month = localize_events(
            events.filter(start__gte=start, start__lt=end).order_by("start", "pk").for_listing(), self.locale_id
        )
        by_day = {}
        for event in in_month:
            by_day.setdefault(in_kyiv(event.start).date(), []).append(event)
        today = in_kyiv(self.now).date()
        self.weeks = [
            [
                {"date": day, "events": by_day.get(day, []), "in_month": day.month == month, "today": day == today}
                for day in week
            ]
            for week in calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(year, month)
        ]
        self.month_events = in_month
        self.month_start = datetime.date(year, month, 1)
        previous = self.month_start - datetime.timedelta(days=1)
        following = self.month_start + datetime.timedelta(days=32)
        self.previous_month_url = facet_url(self.request, "month", f"{previous:%Y-%m}")
        self.next_month_url = facet_url(self.request, "month", f"{following:%Y-%m}")

    @property
    def upcoming_url(self):
        return facet_url(self.request, "month", None, drop=("page", "show"))

    @property
    def this_month_url(self):
        return facet_url(self.request, "month", f"{in_kyiv(self.now):%Y-%m}", drop=("page", "show"))

    @property
    def recordings_url(self):
        return facet_url(self.request, "show", "recordings", drop=("page", "month"))

    @property
    def chosen_facets(self):
        return [facet for facet in self.facets if facet.chosen]

    @property
    def is_filtered(self):
        return bool(self.filters)
