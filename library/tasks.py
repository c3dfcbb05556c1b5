"""Reading a document's text (and a PDF's first page) in the background.

django-tasks runs this at once in development and tests, and from the database queue
(`manage.py db_worker`) in production, so an upload never waits for it.
"""

import os
import shutil
import tempfile
from contextlib import contextmanager

from django.core.files.base import ContentFile
from django_tasks import task
from wagtail.documents import get_document_model

from .extraction import extract_isolated
from .models import EXTRACTION_FIELDS
from .previews import render_pdf_first_page


@contextmanager
def local_copy(document):
    """A path to the document's file: its own on local storage, a temporary copy otherwise."""
    try:
        yield document.file.path
        return
    except NotImplementedError:
        pass
    suffix = os.path.splitext(document.file.name)[1]
    with tempfile.NamedTemporaryFile(suffix=suffix) as copy, document.file.open("rb") as source:
        shutil.copyfileobj(source, copy)
        copy.flush()
        yield copy.name


def read_document(document):
    """Extracts the text into the document and renders the preview of a PDF; saves only those fields."""
    if not document.file_hash:
        document._set_file_hash()
        document.save(update_fields=["file_hash"])
    with local_copy(document) as path:
        extraction = extract_isolated(path, document.extension)
        preview = render_pdf_first_page(path) if document.extension == "pdf" and extraction.status == "done" else None

    document.extracted_text = extraction.text
    document.extraction_status = extraction.status
    document.extraction_error = extraction.error
    document.extracted_title = extraction.title[:255]
    document.page_count = extraction.pages
    document.extracted_hash = document.file_hash
    if document.preview:
        document.preview.delete(save=False)
    if preview:
        document.preview.save(f"{document.pk}.png", ContentFile(preview), save=False)
    document.save(update_fields=list(EXTRACTION_FIELDS))
    return extraction


@task()
def extract_document_text(document_id):
    document = get_document_model().objects.filter(pk=document_id).first()
    if document is None or not document.needs_extraction:
        return None  # deleted meanwhile, or read already
    return read_document(document).status
