import os

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, PageChooserPanel
from wagtail.documents.models import AbstractDocument, Document
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from home.models import BasePage, ContentPage
from home.translation import in_language
from sections.access import is_club_member
from sections.forms import SectionsOfOwnLanguageForm
from sections.models import FiledInSections, SectionPage

from .privacy import close_file_of_club_draft, keep_club_file_closed, keep_file_with_material

EXTRACTION_FIELDS = (
    "extracted_text",
    "extracted_title",
    "extraction_status",
    "extraction_error",
    "extracted_hash",
    "page_count",
    "preview",
)


class LibraryDocument(AbstractDocument):
    """The warehouse's document: a Wagtail document that also keeps its text.

    Swapped in (WAGTAILDOCS_DOCUMENT_MODEL) before the first migration, so that text
    extraction and search inside documents never need the migrations rewritten.
    """

    class ExtractionStatus(models.TextChoices):
        PENDING = "pending", _("Pending")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")
        UNSUPPORTED = "unsupported", _("Unsupported")

    extracted_text = models.TextField(_("extracted text"), blank=True, editable=False)
    extraction_status = models.CharField(
        _("text extraction"),
        max_length=20,
        choices=ExtractionStatus.choices,
        default=ExtractionStatus.PENDING,
        editable=False,
    )
    extraction_error = models.TextField(_("extraction error"), blank=True, editable=False)
    # The title written in the file's own properties, if any: the importer names materials by it.
    extracted_title = models.CharField(max_length=255, blank=True, editable=False)
    # The content hash the text was read from: a replaced file is read again, a renamed one is not.
    extracted_hash = models.CharField(max_length=40, blank=True, editable=False)
    page_count = models.PositiveIntegerField(_("pages"), default=0, editable=False)
    # Served by library.views.document_preview, which applies the collection's privacy.
    preview = models.FileField(upload_to="document_previews", blank=True, editable=False)

    admin_form_fields = Document.admin_form_fields

    class Meta(AbstractDocument.Meta):
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    @property
    def extension(self):
        return os.path.splitext(self.file.name)[1].lstrip(".").lower()

    @property
    def type_label(self):
        return self.extension.upper()

    @property
    def needs_extraction(self):
        return bool(self.file) and (
            self.extraction_status == self.ExtractionStatus.PENDING or self.extracted_hash != self.file_hash
        )

    def get_preview_url(self):
        return reverse("library_document_preview", args=[self.pk]) if self.preview else ""

    def save(self, *args, update_fields=None, **kwargs):
        # Whatever saves it (the admin's forms, code), a members-only material's file stays closed.
        if update_fields is None or "collection" in update_fields:
            keep_club_file_closed(self)
        super().save(*args, update_fields=update_fields, **kwargs)


class DocumentDownload(models.Model):
    """How many times a document was downloaded on a day: a counter, nothing about who."""

    document = models.ForeignKey(
        "library.LibraryDocument", on_delete=models.CASCADE, related_name="downloads", verbose_name=_("document")
    )
    day = models.DateField(_("day"))
    count = models.PositiveIntegerField(_("downloads"), default=0)

    class Meta:
        verbose_name = _("document downloads on a day")
        verbose_name_plural = _("document downloads")
        constraints = [models.UniqueConstraint(fields=["document", "day"], name="one_download_counter_a_day")]

    def __str__(self):
        return f"{self.document} · {self.day}: {self.count}"

    @classmethod
    def record(cls, document, day=None):
        day = day or timezone.localdate()
        if not cls.objects.filter(document=document, day=day).update(count=F("count") + 1):
            counter, created = cls.objects.get_or_create(document=document, day=day, defaults={"count": 1})
            if not created:  # another request created today's counter in between
                cls.objects.filter(pk=counter.pk).update(count=F("count") + 1)


# PostgreSQL's full-text vectors hold at most 1 MB: a book-length file is indexed by its first part.
MAX_INDEXED_TEXT_CHARS = 200_000


class MaterialKind(models.TextChoices):
    PRESENTATION = "presentation", _("Presentation")
    GUIDE = "guide", _("Methodological guide")
    ANALYTICS = "analytics", _("Analytics")
    TEMPLATE = "template", _("Template")
    LEGAL = "legal", _("Legal explainer")
    VIDEO = "video", _("Video recording")
    OTHER = "other", _("Other")


class FileLanguage(models.TextChoices):
    UKRAINIAN = "uk", _("Ukrainian")
    ENGLISH = "en", _("English")
    OTHER = "other", _("Other language")


class MaterialTag(TaggedItemBase):
    content_object = ParentalKey("library.MaterialPage", on_delete=models.CASCADE, related_name="tagged_items")


class MaterialPageQuerySet(PageQuerySet):
    def visible_to(self, user):
        """Live materials, the club's only for its members."""
        materials = self.live()
        return materials if is_club_member(user) else materials.filter(members_only=False)

    def for_listing(self):
        """What a list item shows, in a fixed number of queries whatever the number of items."""
        return self.select_related("document", "speaker").prefetch_related(
            Prefetch("sections", queryset=SectionPage.objects.only("translation_key", "kind"))
        )


def localize_listing(materials, locale_id):
    """Gives each material ``section_list`` and ``speaker_page`` in the listing's language.

    Relations point at the source-language pages (wagtail-localize copies them), so the
    pages shown are looked up by translation key: two queries for the whole list.
    """
    from speakers.models import SpeakerPage

    materials = list(materials)
    sections = in_language(SectionPage, {s.translation_key for m in materials for s in m.sections.all()}, locale_id)
    speakers = in_language(SpeakerPage, {m.speaker.translation_key for m in materials if m.speaker_id}, locale_id)
    for material in materials:
        material.section_list = sorted(
            (sections[s.translation_key] for s in material.sections.all() if s.translation_key in sections),
            key=lambda section: (section.order, section.title),
        )
        material.speaker_page = speakers.get(material.speaker.translation_key) if material.speaker_id else None
    return materials


class LibraryPage(ContentPage):
    """/library/: the warehouse, newest first, with facets that combine."""

    per_page = 20

    parent_page_types = ["home.HomePage"]
    subpage_types = ["library.MaterialPage"]
    max_count_per_parent = 1
    template = "pages/library_page.html"

    class Meta:
        verbose_name = _("library")
        verbose_name_plural = _("libraries")

    def get_context(self, request, *args, **kwargs):
        from .listing import MaterialListing

        context = super().get_context(request, *args, **kwargs)
        # A query makes it a search of the materials (the search app's template tag answers it).
        context["searching"] = "q" in request.GET
        if not context["searching"]:
            context["listing"] = MaterialListing(self, request)
        return context


def _current_year_plus_one():
    return timezone.now().year + 1


class MaterialPageForm(SectionsOfOwnLanguageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "year" in self.fields:
            self.fields["year"].validators.append(MaxValueValidator(_current_year_plus_one()))


class MaterialPage(FiledInSections, BasePage):
    """One material of the warehouse: a file (or a video recording) with what it is about."""

    summary = models.TextField(
        _("summary"),
        max_length=600,
        help_text=_("What is inside and who it is for, in one to three sentences."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MaterialKind.choices, default=MaterialKind.GUIDE)
    document = models.ForeignKey(
        "library.LibraryDocument",
        verbose_name=_("file"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="materials",
        help_text=_("PDF, Word, PowerPoint, Excel or OpenDocument; its text is read for search."),
    )
    video_url = models.URLField(
        _("video recording"),
        blank=True,
        help_text=_("A link to the recording, for a material that is a video instead of a file."),
    )
    sections = ParentalManyToManyField(
        "sections.SectionPage",
        verbose_name=_("sections"),
        related_name="materials",
        blank=True,
        help_text=_("Materials of the closed club are seen and downloaded by its members only."),
    )
    speaker = models.ForeignKey(
        "speakers.SpeakerPage",
        verbose_name=_("speaker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="materials",
        help_text=_("The author or the provider of the material."),
    )
    file_language = models.CharField(
        _("language of the file"), max_length=10, choices=FileLanguage.choices, default=FileLanguage.UKRAINIAN
    )
    year = models.PositiveSmallIntegerField(
        _("year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1991)],
        help_text=_("The year the material was made."),
    )
    tags = ClusterTaggableManager(through=MaterialTag, verbose_name=_("tags"), blank=True)
    cover = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    objects = PageManager.from_queryset(MaterialPageQuerySet)()

    parent_page_types = ["library.LibraryPage"]
    subpage_types: list[str] = []
    template = "pages/material_page.html"
    base_form_class = MaterialPageForm

    content_panels = [
        FieldPanel("title"),
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("document"), FieldPanel("video_url")],
            heading=_("File or recording"),
            help_text=_("Choose a file, give the link to a video recording, or both."),
        ),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("file_language"), FieldPanel("year")]),
        FieldPanel("sections", widget=forms.CheckboxSelectMultiple),
        PageChooserPanel("speaker", "speakers.SpeakerPage"),
        FieldPanel("tags"),
        FieldPanel("cover"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.RelatedFields("tags", [index.SearchField("name")]),
        # A boost below 1 makes it the lowest-ranked text of the site search (search/index.py).
        index.SearchField("document_text", boost=0.5),
        index.FilterField("kind"),
        index.FilterField("file_language"),
        index.FilterField("year"),
        index.FilterField("members_only"),
    ]
    translatable_fields = [
        *BasePage.translatable_fields,
        TranslatableField("summary"),
        SynchronizedField("kind"),
        SynchronizedField("document"),
        SynchronizedField("video_url"),
        SynchronizedField("sections"),
        SynchronizedField("speaker"),
        SynchronizedField("file_language"),
        SynchronizedField("year"),
        SynchronizedField("tagged_items"),
        SynchronizedField("cover"),
    ]

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        indexes = [models.Index(fields=["year"]), models.Index(fields=["kind"])]

    def clean(self):
        super().clean()
        if not self.document_id and not self.video_url:
            raise ValidationError(
                {"document": _("Choose the material's file or give the link to its video recording.")}
            )
        if self.kind == MaterialKind.VIDEO and not self.video_url:
            raise ValidationError({"video_url": _("A video recording needs the link to it.")})

    def apply_club_rule(self, members_only):
        super().apply_club_rule(members_only)
        keep_file_with_material(self)

    def save_revision(self, *args, **kwargs):
        revision = super().save_revision(*args, **kwargs)
        close_file_of_club_draft(self)  # privacy first: a draft's new file is closed before it is published
        return revision

    @property
    def meta_description(self):
        return self.search_description or self.summary

    @property
    def og_image(self):
        return self.social_image or self.cover

    @property
    def date(self):
        published = self.first_published_at or self.latest_revision_created_at
        return timezone.localdate(published) if published else timezone.localdate()

    @property
    def document_text(self):
        """The text read from the file, as much as a search index takes."""
        return self.document.extracted_text[:MAX_INDEXED_TEXT_CHARS] if self.document else ""

    def search_facets(self):
        """The values the site search filters and counts this material by."""
        return {
            "section": [section.slug for section in self.sections.all()],
            "kind": [self.kind],
            "speaker": [self.speaker.slug] if self.speaker_id else [],
            "language": [self.file_language],
            "year": [self.year],
        }

    def get_speaker(self):
        from speakers.models import SpeakerPage

        if not self.speaker_id:
            return None
        return (
            SpeakerPage.objects.live()
            .filter(locale_id=self.locale_id, translation_key=self.speaker.translation_key)
            .with_photos()
            .first()
        )

    def get_related(self, request, limit=4):
        """Other materials of the same sections or tags, newest first."""
        section_keys = [s.translation_key for s in self.sections.all()]
        tag_ids = [tag.pk for tag in self.tags.all()]
        related = (
            MaterialPage.objects.visible_to(request.user)
            .filter(locale_id=self.locale_id)
            .filter(models.Q(sections__translation_key__in=section_keys) | models.Q(tagged_items__tag_id__in=tag_ids))
            .exclude(pk=self.pk)
            .distinct()
            .order_by("-first_published_at", "-pk")
            .for_listing()[:limit]
        )
        return localize_listing(related, self.locale_id)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["material_sections"] = self.get_sections()
        context["material_speaker"] = self.get_speaker()
        context["related_materials"] = self.get_related(request)
        return context
