"""What an uploaded file really is, judged by its content and not only by its name.

The warehouse takes documents people read: PDF, the Office Open XML and OpenDocument
formats, and plain text. A file whose content is another kind than its extension says
is refused, so that no reader ever meets what it does not expect.
"""

import codecs
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

MIB = 1024 * 1024
# How far into a file the content is sniffed: PDF readers accept junk before the header.
PDF_HEADER_WINDOW = 1024
TEXT_SNIFF_BYTES = 64 * 1024
# Entries smaller than this may be packed as tightly as they like (a blank page, a style sheet).
RATIO_CHECK_FROM_BYTES = MIB


@dataclass(frozen=True)
class FileType:
    extension: str
    label: str
    mime: str


FILE_TYPES = {
    file_type.extension: file_type
    for file_type in (
        FileType("pdf", "PDF", "application/pdf"),
        FileType("docx", "DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        FileType("pptx", "PPTX", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
        FileType("xlsx", "XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        FileType("odt", "ODT", "application/vnd.oasis.opendocument.text"),
        FileType("odp", "ODP", "application/vnd.oasis.opendocument.presentation"),
        FileType("ods", "ODS", "application/vnd.oasis.opendocument.spreadsheet"),
        FileType("txt", "TXT", "text/plain"),
        FileType("csv", "CSV", "text/csv"),
    )
}
ZIP_BASED = frozenset({"docx", "pptx", "xlsx", "odt", "odp", "ods"})

# An Office Open XML package is known by its main part.
OOXML_MAIN_PARTS = {
    "word/document.xml": "docx",
    "ppt/presentation.xml": "pptx",
    "xl/workbook.xml": "xlsx",
}
# Some producers name the main part otherwise (word/document2.xml); its content type still says.
OOXML_MAIN_CONTENT_TYPES = {
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": "docx",
    b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": "pptx",
    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": "xlsx",
}
CONTENT_TYPES_MAX_BYTES = MIB
# An OpenDocument package names its own type in the stored "mimetype" entry.
ODF_MIMETYPES = {FILE_TYPES[extension].mime: extension for extension in ("odt", "odp", "ods")}
ODF_MIMETYPE_MAX_BYTES = 100

# Bytes that never occur in a text a person wrote, apart from tab, line feed, form feed and return.
CONTROL_BYTES = frozenset(range(0x20)) - {0x09, 0x0A, 0x0C, 0x0D}

# Marked here, translated where they are shown: the same words explain a refused upload
# (in the editor's language) and a failed extraction (stored, so in English).
ARCHIVE_MESSAGES = {
    "size": gettext_noop("The file unpacks to %(amount)s MB, more than the %(limit)s MB that can be read safely."),
    "entries": gettext_noop("The file is made of %(amount)s parts, more than the %(limit)s that can be read safely."),
    "ratio": gettext_noop(
        "A part of the file (%(name)s) unpacks to %(amount)s times its packed size, more than the %(limit)s "
        "that can be read safely: the file may be a decompression bomb."
    ),
}


class ArchiveTooLarge(Exception):
    """A ZIP-based file would unpack to more than a reader may safely inflate."""

    def __init__(self, kind, **params):
        self.kind = kind
        self.params = params
        super().__init__(ARCHIVE_MESSAGES[kind] % params)


def check_zip_archive(archive, max_total_uncompressed, max_ratio, max_entries):
    """Raises ArchiveTooLarge when the archive's declared sizes go beyond the limits.

    Python's zipfile never inflates an entry past its declared size, so these checks
    bound what every reader built on it (python-docx, python-pptx, openpyxl) can unpack.
    """
    entries = archive.infolist()
    if len(entries) > max_entries:
        raise ArchiveTooLarge("entries", amount=len(entries), limit=max_entries)
    total = sum(entry.file_size for entry in entries)
    if total > max_total_uncompressed:
        raise ArchiveTooLarge("size", amount=-(-total // MIB), limit=max_total_uncompressed // MIB)
    for entry in entries:
        if entry.file_size > RATIO_CHECK_FROM_BYTES and entry.file_size > max_ratio * entry.compress_size:
            ratio = entry.file_size // max(entry.compress_size, 1)
            raise ArchiveTooLarge("ratio", name=entry.filename[:80], amount=ratio, limit=max_ratio)


def detect(fileobj, filename=None):
    """The allowed FileType the content is, or None; reads from the start and seeks back.

    Text is TXT or CSV by the file's name: `filename` when given (an upload's temporary
    file has a name of its own), else the file object's.
    """
    position = fileobj.tell()
    try:
        fileobj.seek(0)
        head = fileobj.read(TEXT_SNIFF_BYTES)
        if head.startswith(b"PK\x03\x04"):
            fileobj.seek(0)
            return _detect_zip(fileobj)
        if b"%PDF-" in head[:PDF_HEADER_WINDOW]:
            return FILE_TYPES["pdf"]
        if _is_text(head):
            name = filename or getattr(fileobj, "name", None) or ""
            return FILE_TYPES["csv" if _extension(str(name)) == "csv" else "txt"]
        return None
    finally:
        fileobj.seek(position)


def _detect_zip(fileobj):
    try:
        with zipfile.ZipFile(fileobj) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" in names:
                for part, extension in OOXML_MAIN_PARTS.items():
                    if part in names:
                        return FILE_TYPES[extension]
                if archive.getinfo("[Content_Types].xml").file_size <= CONTENT_TYPES_MAX_BYTES:
                    content_types = archive.read("[Content_Types].xml")
                    for content_type, extension in OOXML_MAIN_CONTENT_TYPES.items():
                        if content_type in content_types:
                            return FILE_TYPES[extension]
            if "mimetype" in names and archive.getinfo("mimetype").file_size <= ODF_MIMETYPE_MAX_BYTES:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                if mimetype in ODF_MIMETYPES:
                    return FILE_TYPES[ODF_MIMETYPES[mimetype]]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, RuntimeError, NotImplementedError, ValueError):
        return None  # damaged, encrypted or packed in a way zipfile cannot read
    return None


def _is_text(head):
    """UTF-8 text, or a legacy Windows-1251 one (still what many Ukrainian offices save CSV in)."""
    if not head or b"\x00" in head:
        return False
    try:
        # Not final: a character cut by the sniffing window (or at a truncated file's end) is fine.
        codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)
        return True
    except UnicodeDecodeError:
        pass
    if CONTROL_BYTES.intersection(head):
        return False
    try:
        head.decode("cp1251")
    except UnicodeDecodeError:
        return False
    return True


def _extension(filename):
    return PurePath(filename).suffix.lstrip(".").lower()


def _megabytes(size):
    value = round(size / MIB, 1)
    return number_format(value, decimal_pos=0 if value == int(value) else 1)


def _allowed_labels():
    return ", ".join(file_type.label for file_type in FILE_TYPES.values())


def _file_size(fileobj):
    size = getattr(fileobj, "size", None)
    if size is None:
        position = fileobj.tell()
        size = fileobj.seek(0, 2)
        fileobj.seek(position)
    return size


def check_upload(fileobj, filename, max_size):
    """The FileType of an uploaded file; raises ValidationError with the reason when it is refused."""
    extension = _extension(filename)
    if extension not in FILE_TYPES:
        message = (
            _("Files of type “.%(extension)s” cannot be uploaded. Allowed: %(allowed)s.")
            if extension
            else _("The file name has no extension. Allowed: %(allowed)s.")
        )
        raise ValidationError(message, code="file_type", params={"extension": extension, "allowed": _allowed_labels()})

    size = _file_size(fileobj)
    if size > max_size:
        raise ValidationError(
            _("The file is %(size)s MB, larger than the %(limit)s MB allowed."),
            code="file_size",
            params={"size": _megabytes(size), "limit": _megabytes(max_size)},
        )
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")

    detected = detect(fileobj, filename)
    if detected is None:
        raise ValidationError(
            _("The file's content is none of the allowed types (%(allowed)s): it may be damaged or of another kind."),
            code="file_content",
            params={"allowed": _allowed_labels()},
        )
    if detected.extension != extension:
        raise ValidationError(
            _(
                "This file is named “.%(extension)s” but its content is of type %(label)s. "
                "Rename it or upload the right file."
            ),
            code="file_mismatch",
            params={"extension": extension, "label": detected.label},
        )
    if detected.extension in ZIP_BASED:
        _check_archive(fileobj)
    return detected


def _check_archive(fileobj):
    """Refuses a decompression bomb at once, rather than storing it to fail its extraction later."""
    from .extraction import limits  # extraction builds on this module, so it is imported late

    bounds = limits()
    position = fileobj.tell()
    try:
        fileobj.seek(0)
        with zipfile.ZipFile(fileobj) as archive:
            check_zip_archive(
                archive,
                bounds["MAX_UNCOMPRESSED_BYTES"],
                bounds["MAX_COMPRESSION_RATIO"],
                bounds["MAX_ZIP_ENTRIES"],
            )
    except ArchiveTooLarge as error:
        raise ValidationError(_(ARCHIVE_MESSAGES[error.kind]), code="archive_too_large", params=error.params) from error
    finally:
        fileobj.seek(position)
