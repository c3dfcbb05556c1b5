"""Recurring events: a series, its rule, and the dates it has scheduled."""

import datetime
from itertools import islice

from dateutil import rrule
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from ..timing import in_kyiv, kyiv_datetime, later_by
from .event import EventDetails, EventPage

#: A series creates at most this many events (two years of weekly meetings)...
MAX_SERIES_EVENTS = 110
#: ...over at most this long from its first event.
MAX_SERIES_SPAN = datetime.timedelta(days=731)
#: The longest meeting of a series, in minutes.
MAX_SERIES_DURATION = 12 * 60
#: The series' slug is cut to this in its events' slugs, to leave room for the date and a number ("-2026-03-17-2").
SERIES_SLUG_LENGTH = 240


class SeriesFrequency(models.TextChoices):
    WEEKLY = "weekly", _("Every week")
    FORTNIGHTLY = "fortnightly", _("Every two weeks")
    MONTHLY_WEEKDAY = "monthly_weekday", _("Every month, on the same weekday (e.g. the second Tuesday)")


def free_slug(base, taken):
    """``base``, else ``base-2``, ``base-3``…: the first of them that ``taken`` does not hold."""
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


class EventSeriesPage(EventDetails):
    """A recurring event (a weekly meeting, a monthly webinar cycle): its dated events are its children.

    Publishing the series brings its events in line with its rule, in the background (see
    ``update_events``); each event is then a page of its own, edited, moved or deleted on its own.
    """

    first_start = models.DateTimeField(
        _("first event starts"), help_text=_("Kyiv time; later events keep the same Kyiv time.")
    )
    duration = models.PositiveIntegerField(
        _("length in minutes"),
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_SERIES_DURATION)],
    )
    frequency = models.CharField(_("repeats"), max_length=20, choices=SeriesFrequency.choices)
    until = models.DateField(
        _("last date"),
        help_text=_("No event of the series is created after this date, at most two years after the first event."),
    )

    parent_page_types = ["events.EventIndexPage"]
    subpage_types = ["events.EventPage"]
    template = "pages/event_series_page.html"

    content_panels = [
        FieldPanel("title"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("first_start"), FieldPanel("duration")]),
                FieldRowPanel([FieldPanel("frequency"), FieldPanel("until")]),
            ],
            heading=_("Dates"),
            help_text=_(
                "Publishing creates the events of new dates and moves the upcoming events not changed on their "
                "own to a new time or length. It never deletes an event, nor brings back one you deleted: "
                "to cancel a meeting, delete its event."
            ),
        ),
        *EventDetails.detail_panels,
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary")]
    translatable_fields = [
        *EventDetails.translatable_fields,
        SynchronizedField("first_start"),
        SynchronizedField("duration"),
        SynchronizedField("frequency"),
        SynchronizedField("until"),
    ]

    class Meta:
        verbose_name = _("event series")
        verbose_name_plural = _("event series")

    def clean(self):
        super().clean()
        if not (self.first_start and self.until):
            return
        first_date = in_kyiv(self.first_start).date()
        if self.until < first_date:
            raise ValidationError({"until": _("The last date cannot come before the first event.")})
        if self.until > first_date + MAX_SERIES_SPAN:
            raise ValidationError({"until": _("A series runs for at most two years: choose an earlier last date.")})

    def schedule(self):
        """The rule's dates, each with its start and end: the first event's Kyiv time on every date, whatever
        the DST of the day (a time the clocks skip in spring starts an hour later), and the length in real time."""
        first = in_kyiv(self.first_start)
        week_of_month = (first.day - 1) // 7 + 1
        rules = {
            SeriesFrequency.WEEKLY: {"freq": rrule.WEEKLY},
            SeriesFrequency.FORTNIGHTLY: {"freq": rrule.WEEKLY, "interval": 2},
            SeriesFrequency.MONTHLY_WEEKDAY: {
                "freq": rrule.MONTHLY,
                # A first date in a month's fifth week means the last such weekday: not every month has a fifth.
                "byweekday": rrule.weekday(first.weekday(), week_of_month if week_of_month < 5 else -1),
            },
        }
        naive_starts = rrule.rrule(
            dtstart=first.replace(tzinfo=None),
            until=datetime.datetime.combine(self.until, datetime.time.max),
            **rules[SeriesFrequency(self.frequency)],
        )
        length = datetime.timedelta(minutes=self.duration)
        schedule = {}
        for naive_start in islice(naive_starts, MAX_SERIES_EVENTS):
            start = kyiv_datetime(naive_start.date(), naive_start.time())
            schedule[naive_start.date()] = (start, later_by(start, length))
        return schedule

    def update_events(self, now=None):
        """Brings the series' events in line with its rule, in every language; returns the events it created.

        - A date the series has never scheduled gets its event (with a free slug if the usual one is taken).
        - A date whose event was deleted stays cancelled: the series remembers the dates it scheduled.
        - An upcoming event still at the time the series gave it follows a new time or length; one with
          unpublished changes follows once they are published, at the series' next publishing. One moved
          on its own and past ones stay as they are.
        - Events of dates the rule no longer names stay for the editors to delete: the series deletes none.
        - Each event has an alias under each translation of the series, as wagtail-localize gives a page
          created in the admin: far cheaper than synchronising the whole tree.

        All of it or nothing, and safe to run again: publishing a series runs it in the background.
        """
        now = now or timezone.now()
        with transaction.atomic():
            # The lock keeps a second run from adding the same events meanwhile. The tree counter is
            # counted afresh: a page object saved since it was loaded may have written a stale one,
            # and the new events' places in the tree are taken from it.
            series = EventSeriesPage.objects.select_for_update().get(pk=self.pk)
            children = Page.objects.child_of(series)
            if series.numchild != children.count():
                series.numchild = children.count()
                EventSeriesPage.objects.filter(pk=series.pk).update(numchild=series.numchild)
            taken_slugs = set(children.values_list("slug", flat=True))
            scheduled = {occurrence.date: occurrence for occurrence in series.occurrences.all()}
            events = {
                event.series_date: event for event in EventPage.objects.child_of(series).exclude(series_date=None)
            }
            created = []
            for date, (start, end) in series.schedule().items():
                occurrence, event = scheduled.get(date), events.get(date)
                if occurrence is None:
                    SeriesOccurrence.objects.create(series=series, date=date, start=start, end=end)
                    if event is None:  # else an event copied with the series, or made before it kept dates
                        created.append(series._add_event(date, start, end, taken_slugs))
                elif (occurrence.start, occurrence.end) != (start, end) and occurrence.start > now:
                    series._reschedule(occurrence, event, start, end)
            series._alias_events_in_other_languages()
            return created

    def _add_event(self, date, start, end, taken_slugs):
        slug = free_slug(f"{self.slug[:SERIES_SLUG_LENGTH].rstrip('-')}-{date:%Y-%m-%d}", taken_slugs)
        taken_slugs.add(slug)
        event = EventPage(
            title=self.title,
            slug=slug,
            summary=self.summary,
            programme=self.programme.raw_data,
            format=self.format,
            join_url=self.join_url,
            place=self.place,
            registration_url=self.registration_url,
            capacity_note=self.capacity_note,
            start=start,
            end=end,
            series_date=date,
            live=True,
        )
        event.sections = list(self.sections.all())
        event.speakers = list(self.speakers.all())
        self.add_child(instance=event)
        event.save_revision().publish()
        return event

    @staticmethod
    def _reschedule(occurrence, event, start, end):
        if event is not None and event.follows(occurrence):
            if event.has_unpublished_changes:
                return  # the occurrence keeps the old time, so the event still counts as following it
            event.start, event.end = start, end
            event.save_revision().publish()
        occurrence.start, occurrence.end = start, end
        occurrence.save(update_fields=["start", "end"])

    def _alias_events_in_other_languages(self):
        events = list(EventPage.objects.child_of(self))
        keys = [event.translation_key for event in events]
        for translation in self.get_translations().select_related("locale"):
            present = set(
                Page.objects.filter(locale_id=translation.locale_id, translation_key__in=keys).values_list(
                    "translation_key", flat=True
                )
            )
            for event in events:
                if event.translation_key not in present:
                    event.copy_for_translation(translation.locale, alias=True)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        events = EventPage.objects.child_of(self).visible_to(request.user).order_by("start")
        now = timezone.now()
        context["upcoming_events"] = list(events.upcoming(now)[:10])
        context["past_events"] = list(events.past(now).order_by("-start")[:10])
        context["event_sections"] = self.get_sections()
        context["event_speakers"] = self.get_speakers()
        context["rule_start"] = in_kyiv(self.first_start)
        return context


class SeriesOccurrence(models.Model):
    """A date a series has scheduled, with the time it gave it.

    It outlives the date's event: a deleted (cancelled) meeting is not created again when the series
    is published again, and an event at another time than its occurrence's was moved on its own.
    """

    series = models.ForeignKey(EventSeriesPage, on_delete=models.CASCADE, related_name="occurrences")
    date = models.DateField()
    start = models.DateTimeField()
    end = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["series", "date"], name="one_occurrence_a_series_date")]

    def __str__(self):
        return f"{self.series_id}: {self.date}"
