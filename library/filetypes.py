"""What an uploaded file really is, judged by its content and not only by its name.

The warehouse takes documents people read: PDF, the Office Open XML and OpenDocument
formats, and plain text. A file whose content is another kind than its extension says
is refused, so that no reader ever meets what it does not expect. An Office or
OpenDocument file that no reader can open (damaged, truncated, protected by a password,
a decompression bomb) is still taken: its extraction records why its text is not read.
"""

import codecs
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

MIB = 1024 * 1024
# How far into a file the content is sniffed: PDF readers accept junk before the header.
PDF_HEADER_WINDOW = 1024
TEXT_SNIFF_BYTES = 64 * 1024
ZIP_SIGNATURE = b"PK\x03\x04"
# The compound file of older Office formats, in which Office also keeps a password-protected DOCX, PPTX or XLSX.
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


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
OOXML = frozenset({"docx", "pptx", "xlsx"})
ZIP_BASED = OOXML | {"odt", "odp", "ods"}
# What zipfile raises for an archive it cannot read: damaged, truncated, encrypted or packed in an unknown way.
UNREADABLE_ZIP = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    OSError,
    EOFError,
    RuntimeError,
    NotImplementedError,
    ValueError,
)

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


def detect(fileobj, filename=None):
    """The allowed FileType the content is, or None; reads from the start and seeks back.

    Text is TXT or CSV by the file's name: `filename` when given (an upload's temporary
    file has a name of its own), else the file object's.
    """
    position = fileobj.tell()
    try:
        fileobj.seek(0)
        head = fileobj.read(TEXT_SNIFF_BYTES)
        if head.startswith(ZIP_SIGNATURE):
            fileobj.seek(0)
            try:
                return _detect_zip(fileobj)
            except UNREADABLE_ZIP:
                return None
        if b"%PDF-" in head[:PDF_HEADER_WINDOW]:
            return FILE_TYPES["pdf"]
        if _is_text(head):
            name = filename or getattr(fileobj, "name", None) or ""
            return FILE_TYPES["csv" if _extension(str(name)) == "csv" else "txt"]
        return None
    finally:
        fileobj.seek(position)


def _detect_zip(fileobj):
    """The Office or OpenDocument type of a readable ZIP, or None; raises one of UNREADABLE_ZIP."""
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
    return None


def unreadable_package(fileobj, extension):
    """The type the name says, for an Office or OpenDocument file whose container no reader opens; else None.

    A ZIP that zipfile cannot read (damaged, truncated) and, for the Office Open XML types,
    an OLE container (a password-protected file) are such files. A readable ZIP is not:
    its content tells what it is. Reads from the start and seeks back.
    """
    if extension not in ZIP_BASED:
        return None
    position = fileobj.tell()
    try:
        fileobj.seek(0)
        head = fileobj.read(len(OLE_SIGNATURE))
        if head.startswith(OLE_SIGNATURE):
            return FILE_TYPES[extension] if extension in OOXML else None
        if not head.startswith(ZIP_SIGNATURE):
            return None
        fileobj.seek(0)
        try:
            with zipfile.ZipFile(fileobj):
                return None
        except UNREADABLE_ZIP:
            return FILE_TYPES[extension]
    finally:
        fileobj.seek(position)


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
    """The FileType of an uploaded file; raises ValidationError with the reason when it is refused.

    Only what the file is and its size are checked: whether its text can be read is the
    extraction's to find out and record.
    """
    extension = _extension(filename)
    if extension not in FILE_TYPES:
        message = (
            _("Files of type “.%(extension)s” cannot be uploaded. Allowed: %(allowed)s.")
            if extension
            else _("The file name has no extension. Allowed: %(allowed)s.")
        )
        raise ValidationError(message, code="file_type", params={"extension": extension, "allowed": _allowed_labels()})

    check_size(_file_size(fileobj), max_size)
    detected = detect(fileobj, filename) or unreadable_package(fileobj, extension)
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
    return detected


def check_size(size, max_size):
    """Raises ValidationError when a file of ``size`` bytes is empty or larger than ``max_size``."""
    if size > max_size:
        raise ValidationError(
            _("The file is %(size)s MB, larger than the %(limit)s MB allowed."),
            code="file_size",
            params={"size": _megabytes(size), "limit": _megabytes(max_size)},
        )
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
