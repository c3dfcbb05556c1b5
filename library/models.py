from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.documents.models import AbstractDocument, Document


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

    admin_form_fields = Document.admin_form_fields

    class Meta(AbstractDocument.Meta):
        verbose_name = _("document")
        verbose_name_plural = _("documents")
