from django.db import models
from django.db.models import Prefetch
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from home.blocks import BodyStreamBlock
from home.models import BasePage, ContentPage

from .access import closed_by_group, is_club_member, lift_mayors_restriction, restrict_to_mayors
from .holdings import SECTION_HOLDINGS_HOOK, annotate_counts, count_labels, get_holdings

CARD_IMAGE_SPEC = "fill-480x270"


class SectionKind(models.TextChoices):
    THEMATIC = "thematic", _("Thematic section")
    TRAINING = "training", _("Training")
    CLUB = "club", _("Closed club")
    WELLBEING = "wellbeing", _("Well-being")


class SectionIcon(models.TextChoices):
    """The symbols of ``static/img/section-icons.svg``."""

    BOLT = "bolt", _("Lightning (energy)")
    GRANT = "grant", _("Hand with a coin (grants)")
    AI = "ai", _("Microchip (artificial intelligence)")
    TRAINING = "training", _("Graduation cap (training)")
    CLUB = "club", _("Padlock (closed club)")
    WELLBEING = "wellbeing", _("Heart (well-being)")
    DIGITAL = "digital", _("Monitor (digital)")
    INFRASTRUCTURE = "infrastructure", _("Crane (infrastructure)")
    WATER = "water", _("Water drop")
    WASTE = "waste", _("Recycling")
    EDUCATION = "education", _("Book (education)")
    HEALTH = "health", _("Medical cross (health)")
    SAFETY = "safety", _("Shield (safety)")
    VETERANS = "veterans", _("Medal (veterans)")
    IDP = "idp", _("House (displaced people)")
    ECONOMY = "economy", _("Chart (economy)")
    INVESTMENT = "investment", _("Handshake (investment)")
    PROCUREMENT = "procurement", _("Clipboard (procurement)")
    INTERNATIONAL = "international", _("Globe (international)")
    TRANSPORT = "transport", _("Bus (transport)")
    ACCESSIBILITY = "accessibility", _("Wheelchair (accessibility)")
    STRATEGY = "strategy", _("Target (strategy)")
    FINANCE = "finance", _("Wallet (finance)")
    COMMUNICATIONS = "communications", _("Speech bubbles (communications)")
    CULTURE = "culture", _("Columns (culture)")
    SPORT = "sport", _("Ball (sport)")
    CLIMATE = "climate", _("Leaf (climate)")


class SectionIndexPage(ContentPage):
    """/sections/: the thematic sections as cards, the special ones apart."""

    parent_page_types = ["home.HomePage"]
    subpage_types = ["sections.SectionPage"]
    max_count_per_parent = 1
    template = "pages/section_index_page.html"

    class Meta:
        verbose_name = _("section index")
        verbose_name_plural = _("section indexes")

    def get_sections(self, request):
        holdings = get_holdings(SECTION_HOLDINGS_HOOK)
        images = get_image_model().objects.prefetch_renditions(CARD_IMAGE_SPEC)
        sections = annotate_counts(
            SectionPage.objects.child_of(self).live().prefetch_related(Prefetch("image", queryset=images)),
            holdings,
        ).order_by("order", "title")
        member = is_club_member(request.user)
        for section in sections:
            section.is_closed = section.kind == SectionKind.CLUB and not member
            # A closed club shows its card, never what it holds.
            section.holding_labels = [] if section.is_closed else count_labels(section, holdings)
        return sections

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        sections = self.get_sections(request)
        context["thematic_sections"] = [section for section in sections if section.kind == SectionKind.THEMATIC]
        context["special_sections"] = [section for section in sections if section.kind != SectionKind.THEMATIC]
        return context


class SectionPage(BasePage):
    """One of the platform's sections: thematic, training, the mayors' club or well-being."""

    summary = models.TextField(
        _("summary"),
        max_length=300,
        help_text=_("One or two sentences for the section's card and for search engines."),
    )
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=SectionKind.choices,
        default=SectionKind.THEMATIC,
        help_text=_(
            "Thematic sections are listed as cards; the others are shown apart. A closed club is always "
            "restricted to the Mayors group."
        ),
    )
    order = models.PositiveSmallIntegerField(
        _("order"),
        default=100,
        help_text=_("Sections are listed by this number, smallest first."),
    )
    icon = models.CharField(
        _("icon"),
        max_length=30,
        choices=SectionIcon.choices,
        blank=True,
        help_text=_("Shown on the card when there is no image."),
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Replaces the icon on the card; 16:9 works best."),
    )
    body = StreamField(BodyStreamBlock(), verbose_name=_("body"), blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    membership_note = RichTextField(
        _("who it is for and how to join"),
        features=["bold", "italic", "link", "ul", "ol"],
        blank=True,
        help_text=_("For a closed club: shown to visitors who are not members, instead of the content."),
    )

    parent_page_types = ["sections.SectionIndexPage"]
    subpage_types: list[str] = []
    template = "pages/section_page.html"
    members_only_template = "pages/section_members_only.html"

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("kind"), FieldPanel("order")]), FieldPanel("icon"), FieldPanel("image")],
            heading=_("Card"),
        ),
        FieldPanel("body"),
        InlinePanel(
            "curators",
            heading=_("Curators"),
            label=_("Curator"),
            help_text=_("Speakers who look after this section, in the order they are shown."),
        ),
        MultiFieldPanel(
            [FieldPanel("contact_email"), FieldPanel("contact_phone")],
            heading=_("Contacts"),
        ),
        FieldPanel("membership_note"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]
    translatable_fields = [
        *BasePage.translatable_fields,
        TranslatableField("summary"),
        TranslatableField("body"),
        TranslatableField("membership_note"),
        SynchronizedField("kind"),
        SynchronizedField("order"),
        SynchronizedField("icon"),
        SynchronizedField("image"),
        SynchronizedField("contact_email"),
        SynchronizedField("contact_phone"),
        SynchronizedField("curators"),
    ]

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    @property
    def meta_description(self):
        return self.search_description or self.summary

    @property
    def og_image(self):
        return self.social_image or self.image

    def get_curators(self):
        """The curators' pages in this page's language, in the editors' order."""
        curators = list(self.curators.select_related("speaker"))
        if not curators:
            return []
        speaker_model = SectionCurator._meta.get_field("speaker").related_model
        localized = {
            speaker.translation_key: speaker
            for speaker in speaker_model.objects.live()
            .filter(locale_id=self.locale_id, translation_key__in=[c.speaker.translation_key for c in curators])
            .with_photos()
        }
        return [localized[c.speaker.translation_key] for c in curators if c.speaker.translation_key in localized]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["holding_blocks"] = [holding.render(self, request) for holding in get_holdings(SECTION_HOLDINGS_HOOK)]
        return context

    def search_facets(self):
        """A section is found under its own name in the site search's section filter."""
        return {"section": [self.slug]}

    def serve_members_only(self, request):
        """The page a visitor outside the club sees: who it is for and how to join, never its content."""
        response = TemplateResponse(request, self.members_only_template, {"page": self, "self": self}, status=403)
        add_never_cache_headers(response)  # what a visitor may see depends on who is signed in
        return response

    def is_closed_to(self, request):
        return closed_by_group(self, request)


class SectionCurator(Orderable):
    section = ParentalKey("sections.SectionPage", on_delete=models.CASCADE, related_name="curators")
    # Named by string: speakers refer to sections, so sections never import speakers.
    speaker = models.ForeignKey(
        "speakers.SpeakerPage",
        verbose_name=_("speaker"),
        on_delete=models.CASCADE,
        related_name="curated_sections",
    )

    panels = [PageChooserPanel("speaker", "speakers.SpeakerPage")]

    class Meta(Orderable.Meta):
        verbose_name = _("curator")
        verbose_name_plural = _("curators")


class FiledInSections(models.Model):
    """For a page filed under sections (a material, an event): the closed club's rule and the sections' lookup.

    The subclass declares ``sections = ParentalManyToManyField("sections.SectionPage", ...)``.
    A page filed under a club section is for the Mayors group only: its ``members_only`` flag
    keeps it out of listings and counts, and Wagtail's page restriction keeps it closed.
    """

    # Kept from the sections on every save; editors do not set it.
    members_only = models.BooleanField(default=False, editable=False, db_index=True)

    class Meta:
        abstract = True

    def save(self, *args, update_fields=None, **kwargs):
        result = super().save(*args, update_fields=update_fields, **kwargs)
        # ClusterableModel has committed the sections by now, so the club rule sees them.
        # Wagtail's bookkeeping saves (revisions, locks) change no relation.
        if update_fields is None:
            self.apply_club_rule(self.sections.filter(kind=SectionKind.CLUB).exists())
        return result

    def apply_club_rule(self, members_only):
        if self.members_only != members_only:
            type(self).objects.filter(pk=self.pk).update(members_only=members_only)
            self.members_only = members_only
        if members_only:
            restrict_to_mayors(self)
        else:
            lift_mayors_restriction(self)

    @cached_property
    def club_section(self):
        """The closed section that makes this page private, if any (the source's, for a translation)."""
        return next((section for section in self.sections.all() if section.kind == SectionKind.CLUB), None)

    def serve_to_outsider(self, request):
        """Who the club is for and how to join, in the page's language, with a 403."""
        section = self.club_section
        localized = section.get_translation_or_none(self.locale) if section else None
        return (localized or section).serve_members_only(request)

    def get_sections(self):
        return sections_in_language(self)


def sections_in_language(page):
    """The live sections a page names, in the page's own language and the sections' order.

    Relations copied by wagtail-localize point at the source-language sections.
    """
    return (
        SectionPage.objects.live()
        .filter(locale_id=page.locale_id, translation_key__in=[s.translation_key for s in page.sections.all()])
        .order_by("order", "title")
    )
