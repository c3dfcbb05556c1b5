from django import forms
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Count, Prefetch
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from home.models import BasePage, ContentPage, SocialLinkBlock
from home.text import sort_key
from sections.forms import SectionsOfOwnLanguageForm
from sections.holdings import SPEAKER_HOLDINGS_HOOK, get_holdings
from sections.models import SectionPage, sections_in_language

PHOTO_SPEC = "fill-160x160"
SORT_KEY_LENGTH = 1000


class SpeakerKind(models.TextChoices):
    BUSINESS = "business", _("Business")
    EXPERT = "expert", _("Expert")
    DONOR = "donor", _("Donor")
    NGO = "ngo", _("NGO")
    PUBLIC_BODY = "public_body", _("Public body")


class SolutionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=200)
    description = blocks.TextBlock(label=_("Description"))
    link = blocks.URLBlock(label=_("Link"), required=False, help_text=_("Where to read more or order."))
    price_note = blocks.CharBlock(
        label=_("Price note"),
        required=False,
        max_length=200,
        help_text=_("For businesses: the price or the terms for communities, e.g. a free pilot."),
    )

    class Meta:
        icon = "pick"
        label = _("Solution")


class SpeakerTag(TaggedItemBase):
    content_object = ParentalKey("speakers.SpeakerPage", on_delete=models.CASCADE, related_name="tagged_items")


class SpeakerPageQuerySet(PageQuerySet):
    def with_photos(self):
        """Fetches the photos and their card renditions in two queries, whatever the number of speakers."""
        images = get_image_model().objects.prefetch_renditions(PHOTO_SPEC)
        return self.prefetch_related(Prefetch("photo", queryset=images))


def _localized_sections(locale_id):
    """The live sections of a language, keyed by translation key: relations point at the source."""
    return {
        section.translation_key: section
        for section in SectionPage.objects.live().filter(locale_id=locale_id).order_by("order", "title")
    }


class SpeakerIndexPage(ContentPage):
    """/speakers/: every speaker, filtered by section and kind, in Ukrainian alphabetical order."""

    per_page = 24

    parent_page_types = ["home.HomePage"]
    subpage_types = ["speakers.SpeakerPage"]
    max_count_per_parent = 1
    template = "pages/speaker_index_page.html"

    class Meta:
        verbose_name = _("speaker index")
        verbose_name_plural = _("speaker indexes")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        sections = _localized_sections(self.locale_id)
        section = next((s for s in sections.values() if s.slug == request.GET.get("section")), None)
        kind = request.GET.get("kind") if request.GET.get("kind") in SpeakerKind.values else None

        speakers = SpeakerPage.objects.child_of(self).live()
        in_section = speakers.filter(sections__translation_key=section.translation_key) if section else speakers
        of_kind = speakers.filter(kind=kind) if kind else speakers
        matching = in_section.filter(kind=kind) if kind else in_section

        # Each filter's counts take the other filter into account, as the links combine them.
        kind_counts = dict(
            in_section.order_by()
            .values_list("kind")
            .annotate(total=Count("pk", distinct=True))
            .values_list("kind", "total")
        )
        section_counts = dict(
            of_kind.order_by()
            .values_list("sections__translation_key")
            .annotate(total=Count("pk", distinct=True))
            .values_list("sections__translation_key", "total")
        )

        listing = (
            matching.distinct()
            .order_by("name_sort_key", "pk")
            .with_photos()
            .prefetch_related(Prefetch("sections", queryset=SectionPage.objects.only("translation_key")))
        )
        page_obj = Paginator(listing, self.per_page).get_page(request.GET.get("page"))
        for speaker in page_obj:
            speaker.section_list = [
                sections[related.translation_key]
                for related in speaker.sections.all()
                if related.translation_key in sections
            ]

        context.update(
            {
                "page_obj": page_obj,
                "speakers": page_obj.object_list,
                "chosen_section": section,
                "chosen_kind": kind,
                "chosen_kind_label": SpeakerKind(kind).label if kind else "",
                "section_filters": [{"section": s, "count": section_counts.get(key, 0)} for key, s in sections.items()],
                "kind_filters": [
                    {"value": value, "label": label, "count": kind_counts.get(value, 0)}
                    for value, label in SpeakerKind.choices
                ],
            }
        )
        return context


class SpeakerPage(BasePage):
    """A person or an organisation that brings solutions to communities."""

    kind = models.CharField(_("kind"), max_length=20, choices=SpeakerKind.choices, default=SpeakerKind.EXPERT)
    sort_name = models.CharField(
        _("name for sorting"),
        max_length=255,
        blank=True,
        help_text=_(
            "How the name is alphabetised: a person surname first (“Коваленко Олена”), an organisation "
            "without its legal form (“СонцеГрід” for ТОВ «СонцеГрід»). Leave empty to sort by the name as written."
        ),
    )
    name_sort_key = models.CharField(max_length=SORT_KEY_LENGTH, editable=False, db_index=True, default="")
    organisation = models.CharField(
        _("organisation"),
        max_length=255,
        blank=True,
        help_text=_("Where a person works; leave empty for an organisation's own profile."),
    )
    position = models.CharField(_("position"), max_length=255, blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo or logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("A square picture works best."),
    )
    photo_alt_text = models.CharField(
        _("photo description"),
        max_length=255,
        blank=True,
        help_text=_("What the picture shows, for people who cannot see it, e.g. “Logo of SontseGrid”."),
    )
    short_bio = models.TextField(
        _("short biography"),
        max_length=300,
        help_text=_("One sentence for the speaker's card and for search engines."),
    )
    bio = RichTextField(
        _("full biography"),
        features=["bold", "italic", "link", "ul", "ol"],
        blank=True,
    )
    sections = ParentalManyToManyField(
        "sections.SectionPage",
        verbose_name=_("sections"),
        related_name="speakers",
        blank=True,
        help_text=_("The sections the speaker works in."),
    )
    website = models.URLField(_("website"), blank=True)
    social_links = StreamField([("link", SocialLinkBlock())], verbose_name=_("social links"), blank=True)
    contact_email = models.EmailField(_("email"), blank=True)
    show_contact_email = models.BooleanField(_("show the email on the profile"), default=False)
    contact_phone = models.CharField(_("phone"), max_length=40, blank=True)
    show_contact_phone = models.BooleanField(_("show the phone on the profile"), default=False)
    solutions = StreamField(
        [("solution", SolutionBlock())],
        verbose_name=_("solutions offered"),
        blank=True,
    )
    tags = ClusterTaggableManager(through=SpeakerTag, verbose_name=_("tags"), blank=True)

    objects = PageManager.from_queryset(SpeakerPageQuerySet)()

    parent_page_types = ["speakers.SpeakerIndexPage"]
    subpage_types: list[str] = []
    template = "pages/speaker_page.html"
    base_form_class = SectionsOfOwnLanguageForm

    content_panels = [
        FieldPanel("title", heading=_("Name"), help_text=_("The person's or the organisation's name.")),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("sort_name")]),
        FieldRowPanel([FieldPanel("organisation"), FieldPanel("position")]),
        MultiFieldPanel([FieldPanel("photo"), FieldPanel("photo_alt_text")], heading=_("Photo or logo")),
        FieldPanel("short_bio"),
        FieldPanel("bio"),
        FieldPanel("sections", widget=forms.CheckboxSelectMultiple),
        FieldPanel("solutions"),
        FieldPanel("tags"),
        MultiFieldPanel(
            [
                FieldPanel("website"),
                FieldPanel("social_links"),
                FieldRowPanel([FieldPanel("contact_email"), FieldPanel("show_contact_email")]),
                FieldRowPanel([FieldPanel("contact_phone"), FieldPanel("show_contact_phone")]),
            ],
            heading=_("Links and contacts"),
            help_text=_("Contacts are shown only where the speaker chose to show them."),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("organisation"),
        index.SearchField("position"),
        index.SearchField("short_bio"),
        index.SearchField("bio"),
        index.SearchField("solutions"),
        index.FilterField("kind"),
    ]
    translatable_fields = [
        *BasePage.translatable_fields,
        TranslatableField("sort_name"),
        TranslatableField("organisation"),
        TranslatableField("position"),
        TranslatableField("photo_alt_text"),
        TranslatableField("short_bio"),
        TranslatableField("bio"),
        TranslatableField("solutions"),
        SynchronizedField("kind"),
        SynchronizedField("photo"),
        SynchronizedField("sections"),
        SynchronizedField("website"),
        SynchronizedField("social_links"),
        SynchronizedField("contact_email"),
        SynchronizedField("show_contact_email"),
        SynchronizedField("contact_phone"),
        SynchronizedField("show_contact_phone"),
        SynchronizedField("tagged_items"),
    ]

    class Meta:
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")

    def save(self, *args, **kwargs):
        self.name_sort_key = sort_key(self.sort_name or self.title)[:SORT_KEY_LENGTH]
        return super().save(*args, **kwargs)

    @property
    def meta_description(self):
        return self.search_description or self.short_bio

    @property
    def og_image(self):
        return self.social_image or self.photo

    @property
    def photo_alt(self):
        return self.photo_alt_text or (self.photo.description if self.photo else "") or self.title

    def search_facets(self):
        """The values the site search filters and counts this speaker by."""
        return {"section": [section.slug for section in self.sections.all()]}

    def get_sections(self):
        return sections_in_language(self)

    def get_curated_sections(self):
        return (
            SectionPage.objects.live()
            .filter(locale_id=self.locale_id, curators__speaker__translation_key=self.translation_key)
            .distinct()
            .order_by("order", "title")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["speaker_sections"] = self.get_sections()
        context["curated_sections"] = self.get_curated_sections()
        context["holding_blocks"] = [holding.render(self, request) for holding in get_holdings(SPEAKER_HOLDINGS_HOOK)]
        return context
