"""The text of a warehouse document, read within bounds of time and memory.

Uploaded files come from anyone, so a reader may meet a PDF that loops or a
decompression bomb. Every extraction therefore runs in a child process with its own
CPU and memory limits, and the caller always gets an Extraction back, never an error.
"""

import codecs
import math
import os
import pickle
import re
import select
import signal
import time
import zipfile
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.utils.translation import gettext, gettext_noop

from .filetypes import OLE_SIGNATURE, OOXML, ZIP_BASED

try:
    import resource
except ImportError:  # Windows: no process limits, and no fork either
    resource = None

MIB = 1024 * 1024
# Entries smaller than this may be packed as tightly as they like (a blank page, a style sheet).
RATIO_CHECK_FROM_BYTES = MIB

# Override any of these with the LIBRARY_EXTRACTION setting.
DEFAULT_LIMITS = {
    "TIMEOUT": 30,  # seconds, for one file
    "MEMORY_LIMIT": 768 * MIB,  # bytes the reader may take above what the worker already holds
    "MAX_PAGES": 500,
    "MAX_CELLS": 200_000,
    "MAX_TEXT_CHARS": 1_000_000,
    "MAX_UNCOMPRESSED_BYTES": 300 * MIB,
    "MAX_COMPRESSION_RATIO": 200,
    "MAX_ZIP_ENTRIES": 10_000,
}

# The values of LibraryDocument.ExtractionStatus.
DONE = "done"
FAILED = "failed"
UNSUPPORTED = "unsupported"

# Why a text could not be read. Stored in English as written here, and translated where editors
# read it (translated_reason): the stored text does not depend on the language of the worker.
MEMORY_REASON = gettext_noop("The file needs more memory than allowed to read")
ENCRYPTED_PDF_REASON = gettext_noop("The PDF is encrypted")
AES_PDF_REASON = gettext_noop("The PDF is encrypted with AES, which needs the “cryptography” package on the server")
PASSWORD_REASON = gettext_noop("The document is protected by a password")
OLD_OFFICE_REASON = gettext_noop(
    "The file is in an older Office format (DOC, XLS or PPT), whose text is not read: save it as DOCX, XLSX or PPTX"
)
DAMAGED_REASON = gettext_noop("The file is damaged: %(detail)s")
UNSUPPORTED_REASON = gettext_noop("Files of type “.%(extension)s” have no text reader")
TIMEOUT_REASON = gettext_noop("Text extraction took longer than %(seconds)s s")
CRASH_REASON = gettext_noop(
    "The file could not be read: its reader crashed (%(signal)s); "
    "the file may be damaged or need more memory than allowed"
)
NO_RESULT_REASON = gettext_noop("The file could not be read: its reader stopped without a result")
ARCHIVE_REASONS = {
    "size": gettext_noop("The file unpacks to %(amount)s MB, more than the %(limit)s MB that can be read safely."),
    "entries": gettext_noop("The file is made of %(amount)s parts, more than the %(limit)s that can be read safely."),
    "ratio": gettext_noop(
        "A part of the file (%(name)s) unpacks to %(amount)s times its packed size, more than the %(limit)s "
        "that can be read safely: the file may be a decompression bomb."
    ),
}
MAX_REASON_CHARS = 200
MAX_TITLE_CHARS = 255

# How much of the child's output is read at a time, and how often a closed pipe's child is polled.
PIPE_CHUNK_BYTES = 1024 * 1024
REAP_POLL_SECONDS = 0.005

_SPACES = re.compile(r"\s+")
# Control characters (NUL above all: PostgreSQL refuses it) and lone surrogates, which no encoder takes.
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ud800-\udfff]")


def limits():
    """The extraction limits: the LIBRARY_EXTRACTION setting over the defaults, read at call time."""
    return {**DEFAULT_LIMITS, **getattr(settings, "LIBRARY_EXTRACTION", {})}


@dataclass
class Extraction:
    status: str
    text: str = ""
    title: str = ""
    error: str = ""
    pages: int = 0


class IsolatedRunFailed(Exception):
    """The isolated function gave no result; the message says why, in words for editors."""


def damaged(error):
    detail = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return DAMAGED_REASON % {"detail": detail[:MAX_REASON_CHARS]}


def timeout_reason(timeout):
    return TIMEOUT_REASON % {"seconds": f"{timeout:g}"}


def _reason_pattern(message):
    """A regular expression that matches the message with any values in its placeholders."""
    return re.compile(re.sub(r"%\\\(([a-z]+)\\\)s", r"(?P<\1>.*?)", re.escape(message)), re.DOTALL)


_REASON_PATTERNS = [
    (message, _reason_pattern(message))
    for message in (
        MEMORY_REASON,
        ENCRYPTED_PDF_REASON,
        AES_PDF_REASON,
        PASSWORD_REASON,
        OLD_OFFICE_REASON,
        DAMAGED_REASON,
        UNSUPPORTED_REASON,
        TIMEOUT_REASON,
        CRASH_REASON,
        NO_RESULT_REASON,
        *ARCHIVE_REASONS.values(),
    )
]


def translated_reason(stored):
    """A stored reason in the active language; a text that is none of ours comes back as it is."""
    for message, pattern in _REASON_PATTERNS:
        match = pattern.fullmatch(stored)
        if match:
            return gettext(message) % match.groupdict() if match.groupdict() else gettext(message)
    return stored


class _TextCollector:
    """Gathers lines of text with their whitespace tidied, and says when there is enough."""

    def __init__(self, max_chars):
        self.max_chars = max_chars
        self.lines = []
        self.size = 0

    @property
    def full(self):
        return self.size >= self.max_chars

    def add(self, text):
        if not text or self.full:
            return
        for line in text.splitlines():
            line = _SPACES.sub(" ", _UNPRINTABLE.sub("", line)).strip()
            if line:
                self.lines.append(line)
                self.size += len(line) + 1

    def text(self):
        return "\n".join(self.lines)[: self.max_chars]


def _clean_title(title):
    if not title:
        return ""
    return _SPACES.sub(" ", _UNPRINTABLE.sub("", str(title))).strip()[:MAX_TITLE_CHARS]


# Each reader imports its own library: a child pays a tenth of a second for it, and the web
# workers, which only queue extractions, never load five document libraries.


def _read_pdf(path, bounds):
    from pypdf import PasswordType, PdfReader
    from pypdf.errors import DependencyError

    reader = PdfReader(path)
    if reader.is_encrypted:
        # Many "encrypted" PDFs only restrict printing or copying: their user password is empty.
        try:
            if reader.decrypt("") == PasswordType.NOT_DECRYPTED:
                return Extraction(FAILED, error=ENCRYPTED_PDF_REASON)
        except DependencyError:
            return Extraction(FAILED, error=AES_PDF_REASON)
    try:
        title = reader.metadata.title if reader.metadata else ""
    except Exception:  # a damaged information dictionary leaves the title unknown, not the text
        title = ""

    collector = _TextCollector(bounds["MAX_TEXT_CHARS"])
    page_count = len(reader.pages)
    read = failed = 0
    first_error = None
    for page in reader.pages:
        if read >= bounds["MAX_PAGES"] or collector.full:
            break
        read += 1
        try:
            collector.add(page.extract_text())
        except DependencyError:
            return Extraction(FAILED, error=AES_PDF_REASON)
        except MemoryError:
            raise
        except Exception as error:  # one damaged page should not cost the others
            failed += 1
            first_error = first_error or error
    if read and failed == read:
        return Extraction(FAILED, error=damaged(first_error), title=_clean_title(title), pages=page_count)
    return Extraction(DONE, text=collector.text(), title=_clean_title(title), pages=page_count)


def _add_docx_blocks(container, collector):
    """Paragraphs and tables in document order, tables cell by cell (nested ones too)."""
    from docx.text.paragraph import Paragraph

    for block in container.iter_inner_content():
        if collector.full:
            return
        if isinstance(block, Paragraph):
            collector.add(block.text)
            continue
        seen = set()
        for row in block.rows:
            for cell in row.cells:
                # A merged cell is listed once per grid column and row it spans.
                if cell._tc not in seen:  # the element itself: ids of lxml proxies get reused
                    seen.add(cell._tc)
                    _add_docx_blocks(cell, collector)


def _read_docx(path, bounds):
    import docx

    document = docx.Document(path)
    collector = _TextCollector(bounds["MAX_TEXT_CHARS"])
    _add_docx_blocks(document, collector)
    for section in document.sections:
        for header in (section.header, section.first_page_header, section.even_page_header):
            # A linked header repeats the previous section's; reading it would also add one.
            if not header.is_linked_to_previous:
                _add_docx_blocks(header, collector)
    return Extraction(DONE, text=collector.text(), title=_clean_title(document.core_properties.title))


def _add_pptx_shapes(shapes, collector):
    from pptx.shapes.group import GroupShape

    for shape in shapes:
        if isinstance(shape, GroupShape):
            _add_pptx_shapes(shape.shapes, collector)
        elif shape.has_text_frame:
            collector.add(shape.text_frame.text)
        elif shape.has_table:
            for row in shape.table.rows:
                for cell in row.cells:
                    if not cell.is_spanned:
                        collector.add(cell.text)


def _read_pptx(path, bounds):
    import pptx

    presentation = pptx.Presentation(path)
    collector = _TextCollector(bounds["MAX_TEXT_CHARS"])
    for slide in presentation.slides:
        if collector.full:
            break
        _add_pptx_shapes(slide.shapes, collector)
        if slide.has_notes_slide and slide.notes_slide.notes_text_frame is not None:
            collector.add(slide.notes_slide.notes_text_frame.text)
    return Extraction(
        DONE,
        text=collector.text(),
        title=_clean_title(presentation.core_properties.title),
        pages=len(presentation.slides),
    )


def _read_xlsx(path, bounds):
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        collector = _TextCollector(bounds["MAX_TEXT_CHARS"])
        cells = 0
        for sheet in workbook.worksheets:
            if cells >= bounds["MAX_CELLS"] or collector.full:
                break
            # Sheets often declare a wrong size, which would make the reader pad every row.
            sheet.reset_dimensions()
            for row in sheet.iter_rows(values_only=True):
                if cells >= bounds["MAX_CELLS"] or collector.full:
                    break
                cells += len(row)
                collector.add(" ".join(str(value) for value in row if value is not None))
        return Extraction(
            DONE,
            text=collector.text(),
            title=_clean_title(workbook.properties.title),
            pages=len(workbook.worksheets),
        )
    finally:
        workbook.close()


ODF_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
ODF_PARAGRAPHS = {f"{{{ODF_TEXT}}}p", f"{{{ODF_TEXT}}}h"}
ODF_BREAKS = {f"{{{ODF_TEXT}}}s": " ", f"{{{ODF_TEXT}}}tab": " ", f"{{{ODF_TEXT}}}line-break": "\n"}
ODF_PAGE_ELEMENTS = {
    "odp": "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}page",
    "ods": "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}table",
}
DUBLIN_CORE_TITLE = "{http://purl.org/dc/elements/1.1/}title"
# Entities left unresolved, nothing fetched, no tree beyond libxml2's ordinary limits.
XML_SAFETY = {"resolve_entities": False, "no_network": True, "huge_tree": False}


def _odf_paragraphs(element):
    """The paragraphs in a text:p or text:h: its own text, and any paragraph nested in it (a note)."""
    pieces = [element.text or ""]

    def walk(node):
        for child in node:
            if child.tag in ODF_PARAGRAPHS:
                yield "".join(pieces)
                pieces.clear()
                yield from _odf_paragraphs(child)
            elif child.tag in ODF_BREAKS:
                pieces.append(ODF_BREAKS[child.tag])
            elif isinstance(child.tag, str):  # not a comment or a processing instruction
                pieces.append(child.text or "")
                yield from walk(child)
            pieces.append(child.tail or "")

    yield from walk(element)
    yield "".join(pieces)


def _read_odf(path, bounds, *, extension):
    from lxml import etree

    collector = _TextCollector(bounds["MAX_TEXT_CHARS"])
    pages = 0
    page_tag = ODF_PAGE_ELEMENTS.get(extension)
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        if "META-INF/manifest.xml" in names and b"encryption-data" in archive.read("META-INF/manifest.xml"):
            return Extraction(FAILED, error=PASSWORD_REASON)
        title = ""
        if "meta.xml" in names:
            meta = etree.fromstring(archive.read("meta.xml"), etree.XMLParser(**XML_SAFETY))
            title = meta.findtext(f".//{DUBLIN_CORE_TITLE}") or ""
        with archive.open("content.xml") as content:
            # Streamed, and everything read is dropped at once: content.xml may be large.
            depth = 0
            for event, element in etree.iterparse(content, events=("start", "end"), **XML_SAFETY):
                is_paragraph = element.tag in ODF_PARAGRAPHS
                if event == "start":
                    depth += is_paragraph
                    continue
                depth -= is_paragraph
                if depth:
                    continue  # inside a paragraph, which is read whole when it ends
                if element.tag == page_tag:
                    pages += 1
                if is_paragraph:
                    for paragraph in _odf_paragraphs(element):
                        collector.add(paragraph)
                    if collector.full:
                        break
                element.clear(keep_tail=True)
                while element.getprevious() is not None:
                    del element.getparent()[0]
    return Extraction(DONE, text=collector.text(), title=_clean_title(title), pages=pages)


def _read_text(path, bounds):
    # Four bytes are the most one character takes in UTF-8.
    with open(path, "rb") as file:
        data = file.read(bounds["MAX_TEXT_CHARS"] * 4)
    try:
        # Not final: a character cut at the end (ours or the file's) is left out, not a reason for cp1251.
        text = codecs.getincrementaldecoder("utf-8-sig")().decode(data, final=False)
    except UnicodeDecodeError:
        text = data.decode("cp1251", errors="replace")
    collector = _TextCollector(bounds["MAX_TEXT_CHARS"])
    collector.add(text)
    return Extraction(DONE, text=collector.text())


class ArchiveTooLarge(Exception):
    """A ZIP-based file would unpack to more than a reader may safely inflate."""

    def __init__(self, kind, **params):
        super().__init__(ARCHIVE_REASONS[kind] % params)


def check_zip_archive(archive, bounds):
    """Raises ArchiveTooLarge when the archive's declared sizes go beyond the limits.

    Python's zipfile never inflates an entry past its declared size, so these checks
    bound what every reader built on it (python-docx, python-pptx, openpyxl) can unpack.
    """
    entries = archive.infolist()
    if len(entries) > bounds["MAX_ZIP_ENTRIES"]:
        raise ArchiveTooLarge("entries", amount=len(entries), limit=bounds["MAX_ZIP_ENTRIES"])
    total = sum(entry.file_size for entry in entries)
    if total > bounds["MAX_UNCOMPRESSED_BYTES"]:
        raise ArchiveTooLarge("size", amount=-(-total // MIB), limit=bounds["MAX_UNCOMPRESSED_BYTES"] // MIB)
    max_ratio = bounds["MAX_COMPRESSION_RATIO"]
    for entry in entries:
        if entry.file_size > RATIO_CHECK_FROM_BYTES and entry.file_size > max_ratio * entry.compress_size:
            ratio = entry.file_size // max(entry.compress_size, 1)
            raise ArchiveTooLarge("ratio", name=entry.filename[:80], amount=ratio, limit=max_ratio)


# Office keeps a password-protected DOCX, PPTX or XLSX in an OLE container as this stream; the name
# is stored in UTF-16 in the container's directory. Other OLE files are the older DOC, XLS and PPT.
ENCRYPTED_PACKAGE_NAME = "EncryptedPackage".encode("utf-16-le")


def _starts_with(path, signature):
    with open(path, "rb") as file:
        return file.read(len(signature)) == signature


def _ole_reason(path):
    """Why an Office file in an OLE container cannot be read: its password or its older format."""
    overlap = len(ENCRYPTED_PACKAGE_NAME)
    with open(path, "rb") as file:
        tail = b""
        while chunk := file.read(MIB):
            if ENCRYPTED_PACKAGE_NAME in tail + chunk:
                return PASSWORD_REASON
            tail = chunk[-overlap:]
    return OLD_OFFICE_REASON


READERS = {
    "pdf": _read_pdf,
    "docx": _read_docx,
    "pptx": _read_pptx,
    "xlsx": _read_xlsx,
    "odt": partial(_read_odf, extension="odt"),
    "odp": partial(_read_odf, extension="odp"),
    "ods": partial(_read_odf, extension="ods"),
    "txt": _read_text,
    "csv": _read_text,
}


def extract(path, extension):
    """The text and title of the file at `path`, read as the given type. Never raises."""
    extension = extension.lower().lstrip(".")
    reader = READERS.get(extension)
    if reader is None:
        return Extraction(UNSUPPORTED, error=UNSUPPORTED_REASON % {"extension": extension})
    bounds = limits()
    try:
        if extension in OOXML and _starts_with(path, OLE_SIGNATURE):
            return Extraction(FAILED, error=_ole_reason(path))
        if extension in ZIP_BASED:
            # Before any library opens it: python-docx and python-pptx read every part into memory.
            with zipfile.ZipFile(path) as archive:
                check_zip_archive(archive, bounds)
        return reader(os.fspath(path), bounds)
    except ArchiveTooLarge as error:
        return Extraction(FAILED, error=str(error))
    except MemoryError:
        return Extraction(FAILED, error=MEMORY_REASON)
    except Exception as error:  # a damaged file can make a reader raise anything at all
        return Extraction(FAILED, error=damaged(error))


def extract_isolated(path, extension):
    """extract() in a child process bounded by the limits: what the upload pipeline calls."""
    try:
        return run_isolated(extract, os.fspath(path), extension)
    except IsolatedRunFailed as failure:
        return Extraction(FAILED, error=str(failure))


def run_isolated(function, *args, timeout=None, memory_limit=None):
    """function(*args) in a forked child with CPU, memory and wall-clock limits.

    Returns what the function returns (it must pickle); raises IsolatedRunFailed with a
    reason for editors when the child times out, runs out of memory, crashes or raises.
    Where there is no fork (Windows) the function runs here, unbounded.
    """
    bounds = limits()
    timeout = bounds["TIMEOUT"] if timeout is None else timeout
    memory_limit = bounds["MEMORY_LIMIT"] if memory_limit is None else memory_limit
    if not hasattr(os, "fork"):
        return _run_in_process(function, args)

    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        _run_child(function, args, write_end, timeout, memory_limit)
    os.close(write_end)
    return _wait_for_child(pid, read_end, timeout)


def _run_in_process(function, args):
    try:
        return function(*args)
    except MemoryError:
        raise IsolatedRunFailed(MEMORY_REASON) from None
    except Exception as error:
        raise IsolatedRunFailed(damaged(error)) from error


def _outcome(function, args):
    try:
        return ("ok", function(*args))
    except MemoryError:
        return ("failed", MEMORY_REASON)
    except Exception as error:
        return ("failed", damaged(error))


def _run_child(function, args, write_end, timeout, memory_limit):
    code = 1
    try:
        _limit_child(timeout, memory_limit)
        outcome = _outcome(function, args)
        try:
            payload = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as error:  # a result that does not pickle
            payload = pickle.dumps(("failed", damaged(error)))
        with open(write_end, "wb") as pipe:
            pipe.write(payload)
        code = 0
    finally:
        # os._exit: no atexit handlers, no flushing of inherited buffers, no closing the parent's DB connections.
        os._exit(code)


def _limit_child(timeout, memory_limit):
    # The worker's own handlers (gunicorn's, say) belong to the worker, not to this child.
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGQUIT, signal.SIGABRT):
        signal.signal(signum, signal.SIG_DFL)
    _lower_limit(resource.RLIMIT_CORE, 0)  # the CPU limit's SIGXCPU would otherwise dump core
    _lower_limit(resource.RLIMIT_CPU, math.ceil(timeout) + 1)
    size = _virtual_memory_size()
    if size is not None:
        _lower_limit(resource.RLIMIT_AS, size + memory_limit)


def _lower_limit(kind, value):
    soft, hard = resource.getrlimit(kind)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    if soft == resource.RLIM_INFINITY or value < soft:
        resource.setrlimit(kind, (value, hard))


def _virtual_memory_size():
    """Bytes of address space this process holds now (Linux), so the limit is on top of it."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def _wait_for_child(pid, read_end, timeout):
    deadline = time.monotonic() + timeout
    chunks = []
    status = None
    # poll, not select.select: a busy worker may hold file descriptors past select's 1024.
    poller = select.poll()
    poller.register(read_end, select.POLLIN)
    try:
        # Read while waiting: a child with a large result blocks once the pipe's buffer is full.
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise IsolatedRunFailed(timeout_reason(timeout))
            if poller.poll(math.ceil(remaining * 1000)):
                chunk = os.read(read_end, PIPE_CHUNK_BYTES)
                if not chunk:
                    break
                chunks.append(chunk)
        status = _reap(pid, deadline)
        if status is None:
            raise IsolatedRunFailed(timeout_reason(timeout))
    finally:
        os.close(read_end)
        if status is None:
            _kill(pid)

    outcome = _unpickle(b"".join(chunks))
    if outcome is not None:
        kind, value = outcome
        if kind == "ok":
            return value
        raise IsolatedRunFailed(value)
    if os.WIFSIGNALED(status):
        signum = os.WTERMSIG(status)
        if signum == signal.SIGXCPU:
            raise IsolatedRunFailed(timeout_reason(timeout))
        if signum == signal.SIGKILL:  # the kernel's out-of-memory killer
            raise IsolatedRunFailed(MEMORY_REASON)
        raise IsolatedRunFailed(CRASH_REASON % {"signal": signal.Signals(signum).name})
    raise IsolatedRunFailed(NO_RESULT_REASON)


def _unpickle(payload):
    """The child's (kind, value), or None when it sent nothing whole (it was killed while writing)."""
    if not payload:
        return None
    try:
        # Our own child's output, from a pipe no one else holds.
        return pickle.loads(payload)  # noqa: S301
    except (pickle.UnpicklingError, EOFError, ValueError):
        return None


def _reap(pid, deadline):
    """The child's exit status once it ends, or None if it is still running at the deadline."""
    while True:
        try:
            reaped, status = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:  # reaped by someone else's SIGCHLD handler
            return 0
        if reaped:
            return status
        if time.monotonic() >= deadline:
            return None
        time.sleep(REAP_POLL_SECONDS)


def _kill(pid):
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass  # ended and reaped already
