"""Events: the index, a dated event, and what an event and a series have in common."""

import datetime

from django import forms
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.db.models.functions import Length, Substr
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed
from wagtail.fields import StreamField
from wagtail.models import Page, PageManager, PageViewRestriction
from wagtail.query import PageQuerySet
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from home.models import BasePage, ContentPage
from home.translation import in_language
from sections.access import is_club_member
from sections.models import FiledInSections, SectionPage

from ..forms import EventDetailsForm
from ..timing import JOIN_LINK_OPENS_BEFORE, OPEN_ENDED_DURATION, effective_end, in_kyiv

#: The width asked of a video provider for the recording's player.
RECORDING_EMBED_WIDTH = 960
MINUTE = datetime.timedelta(minutes=1)


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


def restrictions_keeping_out(user):
    """The page view restrictions ``user`` does not pass. A password one always counts: a list cannot ask for it."""
    restrictions = PageViewRestriction.objects.all()
    if user.is_authenticated:
        groups = Q(restriction_type=PageViewRestriction.GROUPS)
        if not user.is_superuser:
            groups &= Q(groups__in=user.groups.all())
        restrictions = restrictions.exclude(Q(restriction_type=PageViewRestriction.LOGIN) | groups)
    return restrictions


def applies_to(restrictions, path):
    """Whether one of ``restrictions`` applies to the page at ``path`` (an outer reference): on it or above it."""
    return Exists(restrictions.filter(page__path=Substr(path, 1, Length("page__path"))))


class EventPageQuerySet(PageQuerySet):
    def visible_to(self, user=None):
        """Live events ``user`` may read; without a user, what anyone may (feeds are read without a login).

        The club's events are its members'. Wagtail's view restrictions (a password, a login, groups),
        on the event or above it, keep it out for whoever would not pass them; an alias follows the
        restrictions of its source, as Wagtail does when serving it. A subquery, not ``public()``:
        that one writes a condition per restriction into the SQL, and every club event has one.
        """
        user = user or AnonymousUser()
        closed = restrictions_keeping_out(user)
        events = (
            self.live()
            .exclude(applies_to(closed, OuterRef("path")))
            .exclude(applies_to(closed, OuterRef("alias_of__path")))
        )
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
        from ..listing import EventListing

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
        help_text=format_lazy(
            _("Shown to visitors only from {minutes} minutes before the start until the end."),
            minutes=JOIN_LINK_OPENS_BEFORE // MINUTE,
        ),
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

    base_form_class = EventDetailsForm
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
        _("recording"),
        blank=True,
        help_text=_("The address of the recording, once there is one: a YouTube or Vimeo video plays on the page."),
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
    # The date of its series' rule the event was created for: it stays when the event is moved,
    # so that publishing the series again knows the event (EventSeriesPage.update_events).
    series_date = models.DateField(_("date in the series"), null=True, blank=True, editable=False)

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
        SynchronizedField("series_date"),
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
        """The communities that took part, by oblast: in this page's language, or in Ukrainian while
        a community has no translation (imported ones have none)."""
        from communities.models import Community

        keys = self.attending_communities.values("translation_key")
        return list(
            Community.objects.shown_in(self.locale_id).filter(translation_key__in=keys).order_by("oblast", "name")
        )

    def get_recording_embed(self):
        """The recording's player, from Wagtail's cache of embeds; None when no provider offers one.

        The cache is filled when the event is published (events.tasks.find_recording_embed): the
        page never waits for a provider, nor asks again on every visit when one does not answer.
        """
        if not self.recording_url:
            return None
        return (
            Embed.objects.exclude(cache_until__lte=timezone.now())
            .filter(hash=get_embed_hash(self.recording_url, RECORDING_EMBED_WIDTH))
            .first()
        )

    def follows(self, occurrence):
        """Whether the event is still at the time its series scheduled for it (not moved on its own)."""
        return (self.start, self.end) == (occurrence.start, occurrence.end)

    def get_context(self, request, *args, **kwargs):
        from ..calendar import google_calendar_url

        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        is_over = self.is_over(now)
        context.update(
            {
                "event_sections": self.get_sections(),
                "event_speakers": self.get_speakers(),
                "event_materials": self.get_materials(request),
                "is_over": is_over,
                "recording_embed": self.get_recording_embed() if is_over else None,
                "join_link_is_open": self.join_link_is_open(now),
                "join_link_opens_minutes": JOIN_LINK_OPENS_BEFORE // MINUTE,
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
