from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from wagtail.documents.forms import BaseDocumentForm

from .extraction import translated_reason
from .filetypes import FILE_TYPES, check_upload
from .privacy import club_collection, is_club_file


def max_upload_size():
    return settings.LIBRARY_MAX_UPLOAD_MB * 1024 * 1024


def upload_help_text():
    labels = ", ".join(sorted({file_type.label for file_type in FILE_TYPES.values()}))
    return _("%(types)s, up to %(size)d MB. The file's content is checked, not only its name.") % {
        "types": labels,
        "size": settings.LIBRARY_MAX_UPLOAD_MB,
    }


def extraction_note(document):
    """What became of the file's text, for the editor on the document's page."""
    if not document.pk:
        return ""
    status = document.ExtractionStatus
    if document.extraction_status == status.DONE:
        return _("Its text has been read for search (%(characters)d characters).") % {
            "characters": len(document.extracted_text)
        }
    if document.extraction_status == status.FAILED:
        return _("Its text could not be read: %(reason)s") % {"reason": translated_reason(document.extraction_error)}
    if document.extraction_status == status.UNSUPPORTED:
        return _("Text is not read from files of this type.")
    return _("Its text is waiting to be read.")


class LibraryDocumentForm(BaseDocumentForm):
    """Wagtail's document form, which also checks what a file is and how large."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "file" in self.fields:
            self.fields["file"].help_text = " ".join(filter(None, [upload_help_text(), extraction_note(self.instance)]))

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if isinstance(uploaded, UploadedFile):
            check_upload(uploaded, uploaded.name, max_upload_size())
        return uploaded

    def clean_collection(self):
        collection = self.cleaned_data.get("collection")
        if collection is not None and is_club_file(self.instance):
            club = club_collection()
            if collection != club:
                raise ValidationError(
                    _(
                        "Members-only materials of the club use this file, so it stays in the collection "
                        "“%(collection)s”. Take it out of those materials first."
                    ),
                    code="club_file",
                    params={"collection": club.name},
                )
        return collection

    class Meta(BaseDocumentForm.Meta):
        pass
