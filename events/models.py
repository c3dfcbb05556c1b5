import datetime

from dateutil import rrule
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from home.models import BasePage, ContentPage
from home.translation import in_language
from sections.access import is_club_member
from sections.forms import SectionsOfOwnLanguageForm
from sections.models import FiledInSections, SectionPage

from .timing import JOIN_LINK_OPENS_BEFORE, OPEN_ENDED_DURATION, effective_end, in_kyiv, kyiv_datetime

#: A series creates at most this many events at once (two years of weekly meetings).
MAX_SERIES_EVENTS = 110


class EventFormat(models.TextChoices):
    ONLINE = "online", _("Online")
    OFFLINE = "offline", _("In person")
    HYBRID = "hybrid", _("Hybrid")


class ProgrammeItemBlock(blocks.StructBlock):
    time = blocks.TimeBlock(label=_("Time (Kyiv)"), required=False)
    title = blocks.CharBlock(label=_("Item"), max_length=255)
    description = blocks.TextBlock(label=_("Details"), required=False)

    class Meta:
        icon = "time"
        label = _("Programme item")


class EventPageQuerySet(PageQuerySet):
    def visible_to(self, user):
        events = self.live()
        return events if is_club_member(user) else events.filter(members_only=False)

    def upcoming(self, now=None):
        """Events not yet over, soonest first: those with an end by it, the others by the usual length."""
        now = now or timezone.now()
        return self.filter(Q(end__gte=now) | Q(end__isnull=True, start__gte=now - OPEN_ENDED_DURATION))

    def past(self, now=None):
        now = now or timezone.now()
        return self.exclude(pk__in=self.upcoming(now).values("pk"))

    def for_listing(self):
        from speakers.models import SpeakerPage

        return self.prefetch_related(
            Prefetch("sections", queryset=SectionPage.objects.only("translation_key", "kind")),
            Prefetch("speakers", queryset=SpeakerPage.objects.only("translation_key")),
        )


def localize_events(events, locale_id):
    """Gives each event ``section_list`` and ``speaker_list`` in the listing's language: two queries in all."""
    from speakers.models import SpeakerPage

    events = list(events)
    sections = in_language(SectionPage, {s.translation_key for e in events for s in e.sections.all()}, locale_id)
    speakers = in_language(SpeakerPage, {s.translation_key for e in events for s in e.speakers.all()}, locale_id)
    for event in events:
        event.section_list = sorted(
            (sections[s.translation_key] for s in event.sections.all() if s.translation_key in sections),
            key=lambda section: (section.order, section.title),
        )
        event.speaker_list = [
            speakers[s.translation_key] for s in event.speakers.all() if s.translation_key in speakers
        ]
    return events


class EventIndexPage(ContentPage):
    """/events/: upcoming events soonest first, past ones with recordings, a month view, calendar feeds."""

    per_page = 20

    parent_page_types = ["home.HomePage"]
    subpage_types = ["events.EventPage", "events.EventSeriesPage"]
    max_count_per_parent = 1
    template = "pages/event_index_page.html"

    class Meta:
        verbose_name = _("event index")
        verbose_name_plural = _("event indexes")

    def events(self, request):
        return EventPage.objects.descendant_of(self).visible_to(request.user)

    def get_context(self, request, *args, **kwargs):
        from .listing import EventListing

        context = super().get_context(request, *args, **kwargs)
        context["listing"] = EventListing(self, request)
        return context


class EventDetails(FiledInSections, BasePage):
    """What an event and a series of events have in common."""

    summary = models.TextField(_("summary"), max_length=600, help_text=_("What participants will learn or do."))
    programme = StreamField(
        [("item", ProgrammeItemBlock())],
        verbose_name=_("programme"),
        blank=True,
        help_text=_("The agenda, item by item, with Kyiv times."),
    )
    format = models.CharField(_("format"), max_length=10, choices=EventFormat.choices, default=EventFormat.ONLINE)
    join_url = models.URLField(
        _("join link"),
        blank=True,
        help_text=_("Shown to visitors only from 30 minutes before the start until the end."),
    )
    place = models.CharField(_("place"), max_length=255, blank=True, help_text=_("For in-person and hybrid events."))
    sections = ParentalManyToManyField(
        "sections.SectionPage", verbose_name=_("sections"), related_name="%(class)s_set", blank=True
    )
    speakers = ParentalManyToManyField(
        "speakers.SpeakerPage", verbose_name=_("speakers"), related_name="%(class)s_set", blank=True
    )
    registration_url = models.URLField(_("registration link"), blank=True)
    capacity_note = models.CharField(
        _("capacity"), max_length=255, blank=True, help_text=_("E.g. “Up to 40 participants, two a community”.")
    )

    base_form_class = SectionsOfOwnLanguageForm
    detail_panels = [
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("format"), FieldPanel("place")]),
        FieldPanel("sections", widget=forms.CheckboxSelectMultiple),
        FieldPanel("speakers"),
        MultiFieldPanel(
            [FieldPanel("join_url"), FieldPanel("registration_url"), FieldPanel("capacity_note")],
            heading=_("Taking part"),
        ),
        FieldPanel("programme"),
    ]
    translatable_fields = [
        *BasePage.translatable_fields,
        TranslatableField("summary"),
        TranslatableField("programme"),
        TranslatableField("place"),
        TranslatableField("capacity_note"),
        SynchronizedField("format"),
        SynchronizedField("join_url"),
        SynchronizedField("sections"),
        SynchronizedField("speakers"),
        SynchronizedField("registration_url"),
    ]

    class Meta:
        abstract = True

    @property
    def meta_description(self):
        return self.search_description or self.summary

    def search_facets(self):
        """The values the site search filters and counts this event by (slugs are the same in both languages)."""
        return {
            "section": [section.slug for section in self.sections.all()],
            "speaker": [speaker.slug for speaker in self.speakers.all()],
        }

    def get_speakers(self):
        from speakers.models import SpeakerPage

        keys = [speaker.translation_key for speaker in self.speakers.all()]
        return list(SpeakerPage.objects.live().filter(locale_id=self.locale_id, translation_key__in=keys).with_photos())


class EventPage(EventDetails):
    """One dated event: online, in person or both; with its recording and attendance once it is over."""

    start = models.DateTimeField(_("start"), db_index=True, help_text=_("Kyiv time."))
    end = models.DateTimeField(_("end"), null=True, blank=True, help_text=_("Kyiv time; leave empty if open-ended."))
    recording_url = models.URLField(
        _("recording"), blank=True, help_text=_("A link to the recording, once there is one.")
    )
    materials = ParentalManyToManyField(
        "library.MaterialPage",
        verbose_name=_("materials"),
        related_name="events",
        blank=True,
        help_text=_("Presentations and other materials of the event, from the library."),
    )
    participants = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    communities = models.PositiveIntegerField(
        _("communities"), null=True, blank=True, help_text=_("How many communities took part.")
    )
    attending_communities = ParentalManyToManyField(
        "communities.Community",
        verbose_name=_("which communities"),
        related_name="attended_events",
        blank=True,
        help_text=_("Optional: the communities that took part, from the register."),
    )

    objects = PageManager.from_queryset(EventPageQuerySet)()

    parent_page_types = ["events.EventIndexPage", "events.EventSeriesPage"]
    subpage_types: list[str] = []
    template = "pages/event_page.html"

    content_panels = [
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
        *EventDetails.detail_panels,
        MultiFieldPanel(
            [
                FieldPanel("recording_url"),
                FieldPanel("materials"),
                FieldRowPanel([FieldPanel("participants"), FieldPanel("communities")]),
                FieldPanel("attending_communities"),
            ],
            heading=_("After the event"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("programme"),
        index.SearchField("place"),
        index.FilterField("format"),
        index.FilterField("start"),
        index.FilterField("members_only"),
    ]
    translatable_fields = [
        *EventDetails.translatable_fields,
        SynchronizedField("start"),
        SynchronizedField("end"),
        SynchronizedField("recording_url"),
        SynchronizedField("materials"),
        SynchronizedField("participants"),
        SynchronizedField("communities"),
        SynchronizedField("attending_communities"),
    ]

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [models.Index(fields=["start", "end"])]

    def clean(self):
        super().clean()
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("The end must come after the start.")})
        if self.participants is not None and self.communities is not None and self.communities > self.participants:
            raise ValidationError({"communities": _("There cannot be more communities than participants.")})

    def search_facets(self):
        return {**super().search_facets(), "year": [self.local_start.year]}

    # Times in Kyiv, for templates and feeds.
    @property
    def local_start(self):
        return in_kyiv(self.start)

    @property
    def local_end(self):
        return in_kyiv(self.end)

    @property
    def ends_another_day(self):
        return bool(self.end) and self.local_end.date() != self.local_start.date()

    def is_over(self, now=None):
        return (now or timezone.now()) > effective_end(self.start, self.end)

    def join_link_is_open(self, now=None):
        now = now or timezone.now()
        return bool(self.join_url) and self.start - JOIN_LINK_OPENS_BEFORE <= now <= effective_end(self.start, self.end)

    @property
    def join_link_opens_at(self):
        return in_kyiv(self.start - JOIN_LINK_OPENS_BEFORE)

    def get_materials(self, request):
        from library.models import MaterialPage, localize_listing

        keys = [material.translation_key for material in self.materials.all()]
        materials = (
            MaterialPage.objects.visible_to(request.user)
            .filter(locale_id=self.locale_id, translation_key__in=keys)
            .for_listing()
        )
        return localize_listing(materials, self.locale_id)

    def get_attending_communities(self):
        """The communities that took part, in this page's language, by oblast."""
        from communities.models import Community

        keys = [community.translation_key for community in self.attending_communities.all()]
        return list(
            Community.objects.filter(locale_id=self.locale_id, translation_key__in=keys).order_by("oblast", "name")
        )

    def get_context(self, request, *args, **kwargs):
        from .calendar import google_calendar_url

        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        context.update(
            {
                "event_sections": self.get_sections(),
                "event_speakers": self.get_speakers(),
                "event_materials": self.get_materials(request),
                "is_over": self.is_over(now),
                "join_link_is_open": self.join_link_is_open(now),
                "google_calendar_url": google_calendar_url(self, request),
                "attending": self.get_attending_communities(),
            }
        )
        return context

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        # What shows (the join link) depends on the time of the request.
        response["Cache-Control"] = "no-cache"
        return response

    def get_calendar_url(self):
        return reverse("event_calendar_file", args=[self.pk])


class SeriesFrequency(models.TextChoices):
    WEEKLY = "weekly", _("Every week")
    FORTNIGHTLY = "fortnightly", _("Every two weeks")
    MONTHLY_WEEKDAY = "monthly_weekday", _("Every month, on the same weekday (e.g. the second Tuesday)")


class EventSeriesPage(EventDetails):
    """A recurring event (a weekly meeting, a monthly webinar cycle): its dated events are its children.

    Publishing the series creates the events its rule names that do not exist yet; each is
    then a page of its own, edited (or moved, or cancelled) on its own.
    """

    first_start = models.DateTimeField(
        _("first event starts"), help_text=_("Kyiv time; later events keep the same Kyiv time.")
    )
    duration = models.PositiveIntegerField(_("length in minutes"), default=60)
    frequency = models.CharField(_("repeats"), max_length=20, choices=SeriesFrequency.choices)
    until = models.DateField(_("last date"), help_text=_("No event of the series is created after this date."))

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
            help_text=_("Publishing creates the events of these dates that do not exist yet."),
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
        if self.first_start and self.until and self.until < in_kyiv(self.first_start).date():
            raise ValidationError({"until": _("The last date cannot come before the first event.")})

    def occurrence_starts(self):
        """The starts the rule names, keeping the Kyiv wall-clock time across DST changes."""
        first = in_kyiv(self.first_start)
        rules = {
            SeriesFrequency.WEEKLY: {"freq": rrule.WEEKLY},
            SeriesFrequency.FORTNIGHTLY: {"freq": rrule.WEEKLY, "interval": 2},
            SeriesFrequency.MONTHLY_WEEKDAY: {
                "freq": rrule.MONTHLY,
                "byweekday": rrule.weekday(first.weekday(), (first.day - 1) // 7 + 1),
            },
        }
        until = datetime.datetime.combine(self.until, datetime.time.max)
        naive_starts = rrule.rrule(
            dtstart=first.replace(tzinfo=None), until=until, count=None, **rules[SeriesFrequency(self.frequency)]
        )
        return [kyiv_datetime(start.date(), start.time()) for start in list(naive_starts)[:MAX_SERIES_EVENTS]]

    def create_events(self):
        """Adds the events of the rule's dates that are missing; returns how many it added."""
        existing = set(EventPage.objects.child_of(self).values_list("start", flat=True))
        # Count the children afresh: a page object saved since it was loaded may have written
        # a stale tree counter, and the new events' places in the tree are taken from it.
        parent = EventSeriesPage.objects.get(pk=self.pk)
        actual = Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1).count()
        if parent.numchild != actual:
            EventSeriesPage.objects.filter(pk=parent.pk).update(numchild=actual)
            parent.numchild = actual
        created = 0
        for start in self.occurrence_starts():
            if start in existing:
                continue
            event = EventPage(
                title=self.title,
                slug=f"{self.slug}-{in_kyiv(start):%Y-%m-%d}",
                summary=self.summary,
                programme=self.programme.raw_data,
                format=self.format,
                join_url=self.join_url,
                place=self.place,
                registration_url=self.registration_url,
                capacity_note=self.capacity_note,
                start=start,
                end=start + datetime.timedelta(minutes=self.duration),
                live=True,
            )
            event.sections = list(self.sections.all())
            event.speakers = list(self.speakers.all())
            parent.add_child(instance=event)
            event.save_revision().publish()
            created += 1
        return created

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
