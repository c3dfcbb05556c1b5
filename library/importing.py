"""Putting files into the warehouse from code: the bulk importer and the demo loader.

A file is known by its content hash, so the same file brought twice (renamed or not)
is stored once, and a second run over the same folder creates nothing new.
"""

import hashlib
import re
from pathlib import Path

from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Collection

from home.text import latin_slug

from .filetypes import check_upload
from .forms import max_upload_size
from .tasks import read_document

SUMMARY_LENGTH = 300
CYRILLIC = re.compile(r"[А-Яа-яІіЇїЄєҐґ]")
LATIN = re.compile(r"[A-Za-z]")


def content_hash(content: bytes) -> str:
    # The same digest Wagtail keeps in Document.file_hash.
    return hashlib.sha1(content, usedforsecurity=False).hexdigest()


def find_document(digest):
    return get_document_model().objects.filter(file_hash=digest).order_by("pk").first()


def store_document(content: bytes, filename: str, title: str):
    """The document holding ``content``: the one already stored, or a new one (read at once).

    Raises ValidationError when the file is not of an allowed type or too large.
    """
    check_upload(ContentFile(content), filename, max_upload_size())
    digest = content_hash(content)
    existing = find_document(digest)
    if existing is not None:
        return existing, False
    stem, extension = Path(filename).stem, Path(filename).suffix.lower()
    document = get_document_model()(title=title[:255], collection=Collection.get_first_root_node())
    document.file.save(f"{latin_slug(stem)[:80] or 'document'}{extension}", ContentFile(content), save=False)
    document.file_size = len(content)
    document.file_hash = digest
    document.save()  # queues the text extraction, which runs at once only in development
    document.refresh_from_db()
    if document.needs_extraction:
        read_document(document)  # the importer names and describes materials by the text
    return document, True


def title_from_filename(filename):
    words = re.sub(r"[_\s]+", " ", Path(filename).stem).strip()
    return words[:1].upper() + words[1:] if words else filename


def summary_from_text(text, fallback):
    """The first sentences of a document, up to a few hundred characters, for an imported material."""
    text = " ".join(text.split())
    if not text:
        return fallback
    if len(text) <= SUMMARY_LENGTH:
        return text
    cut = text[:SUMMARY_LENGTH]
    sentence_end = max(cut.rfind(". "), cut.rfind("! "), cut.rfind("? "))
    if sentence_end > SUMMARY_LENGTH // 3:
        return cut[: sentence_end + 1]
    return cut[: cut.rfind(" ")].rstrip(",;:") + "…"


def guess_language(text):
    """uk or en by the letters of the text; other when neither stands out."""
    sample = text[:20_000]
    cyrillic, latin = len(CYRILLIC.findall(sample)), len(LATIN.findall(sample))
    if cyrillic + latin < 20:
        return "other"
    if cyrillic >= latin:
        return "uk"
    return "en" if latin > 2 * cyrillic else "other"
