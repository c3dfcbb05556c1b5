"""Uploads checked by content, text read within bounds, PDF previews and the demo files.

None of these needs the database: the readers run on files in a temporary folder, and
the isolated runs happen in forked children that never touch it.
"""

import faulthandler
import hashlib
import io
import os
import re
import signal
import struct
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image
from pypdf import PdfReader, PdfWriter

from library import demo_files, extraction
from library.extraction import (
    ARCHIVE_REASONS,
    MEMORY_REASON,
    OLD_OFFICE_REASON,
    PASSWORD_REASON,
    Extraction,
    IsolatedRunFailed,
    extract,
    extract_isolated,
    run_isolated,
    translated_reason,
)
from library.filetypes import FILE_TYPES, OLE_SIGNATURE, check_upload, detect
from library.previews import render_pdf_first_page

HEADING = "Енергетична стійкість громад"
TITLE = "Посібник для громад: генератори та укриття"
PARAGRAPHS = [
    "Громада Ірпеня отримала дванадцять генераторів від партнерів із Польщі.",
    "Укриття в школах мають запас пального, води й ліків на сорок вісім годин.",
    "Ґрунтовний аналіз показав, що сонячні станції окупаються за сім років.",
    "Їхні фахівці навчили працівників обслуговувати обладнання самостійно.",
    "Звіт подано до обласної адміністрації у вересні 2024 року.",
]
SLIDES = [
    {"title": "Генератори", "bullets": ["Дванадцять генераторів", "Запас пального на тиждень"]},
    {"title": "Укриття", "bullets": ["Вода й ліки", "Зв'язок «Старлінк»"]},
]
COLUMNS = ["Громада", "Область", "Генераторів"]
ROWS = [["Ірпінська", "Київська", 12], ["Мукачівська", "Закарпатська", 7], ["Ніжинська", "Чернігівська", 5]]
MIB = 1024 * 1024
PROJECT_ROOT = Path(__file__).resolve().parent.parent

ODF_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/"'
)


def make_odf(body, *, title="", mimetype="application/vnd.oasis.opendocument.text", doctype=""):
    """An OpenDocument package as LibreOffice lays it out: the stored mimetype first."""
    content = f'<?xml version="1.0" encoding="UTF-8"?>{doctype}<office:document-content {ODF_NAMESPACES}>'
    content += f"<office:body>{body}</office:body></office:document-content>"
    meta = f'<?xml version="1.0" encoding="UTF-8"?><office:document-meta {ODF_NAMESPACES}>'
    meta += f"<office:meta><dc:title>{title}</dc:title></office:meta></office:document-meta>"
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{mimetype}"/>'
        "</manifest:manifest>"
    )
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        package.writestr("content.xml", content)
        package.writestr("meta.xml", meta)
        package.writestr("META-INF/manifest.xml", manifest)
    return output.getvalue()


ODT_BODY = (
    "<office:text>"
    f"<text:h>{HEADING}</text:h>"
    '<text:p>Громада<text:s text:c="3"/>Ірпеня <text:span>отримала</text:span> генератори'
    "<text:note><text:note-citation>1</text:note-citation><text:note-body><text:p>Від партнерів із Польщі.</text:p>"
    "</text:note-body></text:note> і ліки.</text:p>"
    "<table:table><table:table-row><table:table-cell><text:p>Укриття в школах</text:p></table:table-cell>"
    "</table:table-row></table:table>"
    "</office:text>"
)


def make_odt():
    return make_odf(ODT_BODY, title=TITLE)


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode())
    return path


def encrypted_pdf(user_password, owner_password, algorithm="RC4-128"):
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(demo_files.make_pdf(HEADING, PARAGRAPHS))))
    writer.encrypt(user_password, owner_password, algorithm=algorithm)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def zip_bomb_docx(unpacked_megabytes=200):
    """A real DOCX whose document.xml is replaced by ~200 MB of spaces, packed into ~200 KB."""
    source = zipfile.ZipFile(io.BytesIO(demo_files.make_docx(HEADING, PARAGRAPHS)))
    output = io.BytesIO()
    with source, zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as bomb:
        for entry in source.infolist():
            if entry.filename != "word/document.xml":
                bomb.writestr(entry, source.read(entry))
                continue
            with bomb.open("word/document.xml", "w") as part:
                chunk = b" " * MIB
                for _ in range(unpacked_megabytes):
                    part.write(chunk)
    return output.getvalue()


def truncated_docx():
    """A DOCX cut off in the middle, as an interrupted download leaves it: no ZIP directory at the end."""
    data = demo_files.make_docx(HEADING, PARAGRAPHS)
    return data[: len(data) // 2]


def ole_compound_file(streams):
    """A Compound File (version 3, 512-byte sectors) holding the given streams, each at least 4 KiB, in order.

    Office saves a DOCX, PPTX or XLSX protected by a password in one, as the streams
    EncryptionInfo and EncryptedPackage; DOC, XLS and PPT are such files too.
    """
    free, end_of_chain, fat_sector, no_stream = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    sector = 512
    fat = [fat_sector, end_of_chain]  # sector 0 holds the FAT, sector 1 the directory
    data, starts = b"", []
    for content in streams.values():
        assert len(content) >= 4096, "smaller streams would live in the mini stream"
        content += bytes(-len(content) % sector)
        first, count = len(fat), len(content) // sector
        fat += [*range(first + 1, first + count), end_of_chain]
        starts.append(first)
        data += content
    fat += [free] * (sector // 4 - len(fat))
    assert len(fat) == sector // 4, "one FAT sector is enough for these tests"

    def entry(name, kind, start, size, right=no_stream, child=no_stream, red=False):
        encoded = (name + "\0").encode("utf-16-le")
        # Name, its length, type, colour, left, right and child entries, class, state, times, first sector, size.
        colour = 0 if red else 1
        fields = (encoded, len(encoded), kind, colour, no_stream, right, child, bytes(16), 0, 0, 0, start, size)
        return struct.pack("<64sHBBIII16sIQQIQ", *fields)

    # The root's children, in the directory's order (shorter names first), each the right sibling of the one before.
    names = list(streams)
    directory = entry("Root Entry", 5, end_of_chain, 0, child=1)
    for number, name in enumerate(names, start=1):
        right = number + 1 if number < len(names) else no_stream
        directory += entry(name, 2, starts[number - 1], len(streams[name]), right=right, red=number > 1)
    directory += bytes(-len(directory) % sector)
    # Version 3.62, little-endian, 512-byte sectors; one FAT sector (0), the directory at sector 1, no mini FAT.
    geometry = (0x3E, 3, 0xFFFE, 9, 6, bytes(6), 0, 1, 1, 0, 4096, end_of_chain, 0, end_of_chain, 0)
    header = OLE_SIGNATURE + bytes(16) + struct.pack("<HHHHH6sIIIIIIIII", *geometry)
    header += struct.pack("<I", 0) + struct.pack("<I", free) * 108  # the DIFAT: the FAT is sector 0
    return header + struct.pack(f"<{len(fat)}I", *fat) + directory + data


def password_protected_docx():
    """What Office saves for a DOCX with a password: the package, encrypted, inside a Compound File."""
    return ole_compound_file({"EncryptionInfo": bytes(range(256)) * 16, "EncryptedPackage": os.urandom(8192)})


def upload(name, data):
    return SimpleUploadedFile(name, data)


# Round trips: each generator's Ukrainian text comes back out of its reader.


@pytest.mark.parametrize(
    ("extension", "make"),
    [
        ("pdf", lambda: demo_files.make_pdf(HEADING, PARAGRAPHS, title=TITLE)),
        ("docx", lambda: demo_files.make_docx(HEADING, PARAGRAPHS, title=TITLE)),
    ],
)
def test_ukrainian_paragraphs_come_back_with_the_title(tmp_path, extension, make):
    result = extract_isolated(write(tmp_path, f"guide.{extension}", make()), extension)

    assert result.status == "done", result.error
    assert result.title == TITLE
    assert result.text.splitlines()[0] == HEADING
    # A PDF's lines are wrapped at the page's width; every word survives, in order.
    assert " ".join(result.text.split()) == " ".join([HEADING, *PARAGRAPHS])
    assert result.pages == (1 if extension == "pdf" else 0)


def test_the_title_defaults_to_the_heading(tmp_path):
    result = extract(write(tmp_path, "guide.pdf", demo_files.make_pdf(HEADING, PARAGRAPHS)), "pdf")
    assert result.title == HEADING


def test_a_presentation_gives_every_slide_title_and_bullet(tmp_path):
    path = write(tmp_path, "talk.pptx", demo_files.make_pptx(HEADING, SLIDES, title=TITLE))
    result = extract_isolated(path, "pptx")

    assert result.status == "done", result.error
    assert result.title == TITLE
    assert result.pages == 3
    expected = [HEADING]
    for slide in SLIDES:
        expected += [slide["title"], *slide["bullets"]]
    assert result.text.splitlines() == expected


def test_a_workbook_gives_its_cells_row_by_row(tmp_path):
    path = write(tmp_path, "data.xlsx", demo_files.make_xlsx(HEADING, COLUMNS, ROWS, title=TITLE))
    result = extract_isolated(path, "xlsx")

    assert result.status == "done", result.error
    assert result.title == TITLE
    assert result.pages == 1
    assert result.text.splitlines() == [
        HEADING,
        "Громада Область Генераторів",
        "Ірпінська Київська 12",
        "Мукачівська Закарпатська 7",
        "Ніжинська Чернігівська 5",
    ]


def test_an_opendocument_text_gives_headings_paragraphs_notes_and_cells_in_order(tmp_path):
    result = extract_isolated(write(tmp_path, "guide.odt", make_odt()), "odt")

    assert result.status == "done", result.error
    assert result.title == TITLE
    assert result.text.splitlines() == [
        HEADING,
        "Громада Ірпеня отримала генератори1",
        "Від партнерів із Польщі.",
        "і ліки.",
        "Укриття в школах",
    ]


def test_opendocument_presentations_and_spreadsheets_count_their_pages(tmp_path):
    slides = "".join(
        f"<draw:page><draw:frame><draw:text-box><text:p>Слайд {n}</text:p></draw:text-box></draw:frame></draw:page>"
        for n in (1, 2)
    )
    odp = make_odf(f"<office:presentation>{slides}</office:presentation>", mimetype=FILE_TYPES["odp"].mime)
    cell = "<table:table-cell><text:p>Ірпінська</text:p></table:table-cell>"
    sheets = f"<table:table><table:table-row>{cell}</table:table-row></table:table>"
    ods = make_odf(f"<office:spreadsheet>{sheets}</office:spreadsheet>", mimetype=FILE_TYPES["ods"].mime)

    presentation = extract(write(tmp_path, "talk.odp", odp), "odp")
    spreadsheet = extract(write(tmp_path, "data.ods", ods), "ods")

    assert (presentation.status, presentation.text, presentation.pages) == ("done", "Слайд 1\nСлайд 2", 2)
    assert (spreadsheet.status, spreadsheet.text, spreadsheet.pages) == ("done", "Ірпінська", 1)


def test_opendocument_entities_are_not_expanded(tmp_path):
    doctype = '<!DOCTYPE office:document-content [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
    odt = make_odf("<office:text><text:p>До &secret; після</text:p></office:text>", doctype=doctype)

    result = extract(write(tmp_path, "entity.odt", odt), "odt")

    assert (result.status, result.text) == ("done", "До після")


def test_a_word_document_gives_its_tables_and_headers_too(tmp_path):
    import docx

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Асоціація малих міст України"
    document.add_paragraph("Вступ до звіту")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Громада"
    table.cell(0, 1).text = "Генератори"
    table.cell(1, 0).merge(table.cell(1, 1)).text = "Разом: дванадцять"
    path = tmp_path / "report.docx"
    document.save(path)

    result = extract(path, "docx")

    assert result.text.splitlines() == [
        "Вступ до звіту",
        "Громада",
        "Генератори",
        "Разом: дванадцять",
        "Асоціація малих міст України",
    ]


def test_a_presentation_gives_its_tables_and_notes_too(tmp_path):
    import pptx
    from pptx.util import Inches

    presentation = pptx.Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[5])
    slide.shapes.title.text = "Підсумки"
    table = slide.shapes.add_table(2, 2, Inches(1), Inches(2), Inches(6), Inches(1)).table
    table.cell(0, 0).text = "Громада"
    table.cell(0, 1).text = "Генератори"
    table.cell(1, 0).text = "Ірпінська"
    table.cell(1, 1).text = "12"
    slide.notes_slide.notes_text_frame.text = "Сказати про пальне"
    path = tmp_path / "summary.pptx"
    presentation.save(path)

    result = extract(path, "pptx")

    assert result.text.splitlines() == ["Підсумки", "Громада", "Генератори", "Ірпінська", "12", "Сказати про пальне"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1251"])
@pytest.mark.parametrize("extension", ["txt", "csv"])
def test_plain_text_in_utf8_or_windows_1251(tmp_path, encoding, extension):
    text = "Громада;Генераторів\nІрпінська;12\nЇжакевичі;3\n" if extension == "csv" else "\n".join(PARAGRAPHS)
    result = extract_isolated(write(tmp_path, f"notes.{extension}", text.encode(encoding)), extension)

    assert result.status == "done"
    assert result.text == text.strip()


def test_whitespace_is_tidied_and_nul_characters_dropped(tmp_path):
    path = write(tmp_path, "notes.txt", "Перший\x00   рядок\t\tтексту\r\n\r\n\n   \nДругий\u00a0рядок  \n")
    assert extract(path, "txt").text == "Перший рядок тексту\nДругий рядок"


def test_an_unknown_type_is_unsupported(tmp_path):
    result = extract(write(tmp_path, "picture.png", b"\x89PNG\r\n\x1a\n"), "png")
    assert result.status == "unsupported"
    assert ".png" in result.error


# Limits on pages, cells and length.


def test_only_the_first_max_pages_are_read(tmp_path, settings):
    settings.LIBRARY_EXTRACTION = {"MAX_PAGES": 2}
    long_text = [f"Розділ {number}. " + "Громада отримала генератори й обладнання. " * 120 for number in range(1, 9)]
    pdf = demo_files.make_pdf(HEADING, long_text)
    result = extract_isolated(write(tmp_path, "long.pdf", pdf), "pdf")

    assert result.status == "done"
    assert result.pages == len(PdfReader(io.BytesIO(pdf)).pages) > 4
    assert "Розділ 1." in result.text
    assert "Розділ 8." not in result.text


def test_the_text_is_cut_at_max_text_chars(tmp_path, settings):
    settings.LIBRARY_EXTRACTION = {"MAX_TEXT_CHARS": 100}
    for extension, data in [
        ("pdf", demo_files.make_pdf(HEADING, PARAGRAPHS)),
        ("docx", demo_files.make_docx(HEADING, PARAGRAPHS)),
        ("txt", "\n".join(PARAGRAPHS * 50).encode()),
    ]:
        result = extract_isolated(write(tmp_path, f"long.{extension}", data), extension)
        assert result.status == "done"
        assert len(result.text) == 100
        assert result.text.startswith(HEADING if extension != "txt" else PARAGRAPHS[0])


def test_a_workbook_stops_after_max_cells(tmp_path, settings):
    settings.LIBRARY_EXTRACTION = {"MAX_CELLS": 30}
    rows = [[f"Громада {number}", "Київська", number] for number in range(100)]
    path = write(tmp_path, "big.xlsx", demo_files.make_xlsx(HEADING, COLUMNS, rows))

    lines = extract(path, "xlsx").text.splitlines()

    # Whole rows are read until 30 cells are passed: 1 + 3 for the heading and header, then 3 a row.
    assert lines[-1] == "Громада 8 Київська 8"


# Hostile and damaged files.


@pytest.fixture(scope="module")
def zip_bomb():
    return zip_bomb_docx()


def test_a_zip_bomb_inside_a_docx_fails_fast_without_inflating(tmp_path, settings, zip_bomb):
    settings.LIBRARY_EXTRACTION = {"MEMORY_LIMIT": 64 * MIB}  # a third of what the bomb holds
    path = write(tmp_path, "bomb.docx", zip_bomb)
    assert path.stat().st_size < 1 * MIB

    started = time.monotonic()
    result = extract_isolated(path, "docx")

    assert time.monotonic() - started < 2
    assert result.status == "failed"
    assert "word/document.xml" in result.error
    assert "decompression bomb" in result.error


def test_an_upload_takes_a_zip_bomb_for_its_extraction_to_fail(zip_bomb):
    """Stored rather than refused: the material is saved, and its extraction records the bomb."""
    assert check_upload(upload("bomb.docx", zip_bomb), "bomb.docx", 50 * MIB) == FILE_TYPES["docx"]


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("cut.docx", truncated_docx),
        ("junk.pptx", lambda: b"PK\x03\x04 not really a zip"),
        ("secret.docx", password_protected_docx),
        ("secret.xlsx", password_protected_docx),
    ],
    ids=["truncated", "damaged", "password-docx", "password-xlsx"],
)
def test_an_office_file_no_reader_opens_is_taken_as_its_name_says(name, make):
    extension = name.rsplit(".", 1)[1]
    assert check_upload(upload(name, make()), name, 50 * MIB) == FILE_TYPES[extension]


def test_a_truncated_docx_fails_as_damaged(tmp_path):
    result = extract_isolated(write(tmp_path, "cut.docx", truncated_docx()), "docx")
    assert result.status == "failed"
    assert result.error.startswith("The file is damaged: ")


def test_a_password_protected_office_file_fails_with_its_reason(tmp_path):
    result = extract_isolated(write(tmp_path, "secret.docx", password_protected_docx()), "docx")
    assert result == Extraction("failed", error=PASSWORD_REASON)
    assert PASSWORD_REASON == "The document is protected by a password"


def test_an_older_office_file_renamed_fails_with_its_reason(tmp_path):
    old_word = ole_compound_file({"1Table": bytes(4096), "WordDocument": bytes(4096)})
    assert check_upload(upload("old.docx", old_word), "old.docx", 50 * MIB) == FILE_TYPES["docx"]
    result = extract_isolated(write(tmp_path, "old.docx", old_word), "docx")
    assert result == Extraction("failed", error=OLD_OFFICE_REASON)


def test_a_docx_unpacking_beyond_the_total_limit_is_refused(tmp_path, settings):
    settings.LIBRARY_EXTRACTION = {"MAX_UNCOMPRESSED_BYTES": 1 * MIB}
    path = write(tmp_path, "big.docx", zip_bomb_docx(unpacked_megabytes=2))
    result = extract(path, "docx")
    assert result.status == "failed"
    assert "more than the 1 MB" in result.error


def test_a_pdf_with_a_user_password_is_reported_encrypted(tmp_path):
    result = extract_isolated(write(tmp_path, "secret.pdf", encrypted_pdf("secret", "owner")), "pdf")
    assert result.status == "failed"
    assert result.error == "The PDF is encrypted"


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-128", "AES-256"])
def test_a_pdf_with_only_an_owner_password_is_read(tmp_path, algorithm):
    # What Acrobat calls a "protected" PDF: anyone opens it, only editing needs the password.
    data = encrypted_pdf("", "owner", algorithm)
    result = extract_isolated(write(tmp_path, "restricted.pdf", data), "pdf")
    assert result.status == "done", result.error
    assert result.text.startswith(HEADING)


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n" + bytes(range(256)) * 20,
        demo_files.make_pdf(HEADING, PARAGRAPHS)[:3000],
    ],
    ids=["random-bytes", "truncated"],
)
def test_a_damaged_pdf_fails_with_a_reason(tmp_path, data):
    path = write(tmp_path, "damaged.pdf", data)
    for result in (extract(path, "pdf"), extract_isolated(path, "pdf")):
        assert result.status == "failed"
        assert result.error.startswith("The file is damaged: ")
        assert "Traceback" not in result.error


def test_a_damaged_package_fails_with_a_reason(tmp_path):
    path = write(tmp_path, "broken.docx", b"PK\x03\x04" + b"\x00" * 500)
    result = extract(path, "docx")
    assert result.status == "failed"
    assert result.error.startswith("The file is damaged: ")


def test_a_stored_reason_is_shown_in_the_language_of_whoever_reads_it(tmp_path, zip_bomb):
    stored = extract_isolated(write(tmp_path, "bomb.docx", zip_bomb), "docx").error
    assert "decompression bomb" in stored  # stored in English, whatever the worker's language
    with translation.override("uk"):
        shown = translated_reason(stored)
    assert shown.startswith("Частина файлу (word/document.xml) розпаковується у ")
    assert "«архівною бомбою»" in shown


@pytest.mark.parametrize(
    "stored",
    [
        MEMORY_REASON,
        "The file is damaged: File is not a zip file",
        "Text extraction took longer than 0.5 s",
        ARCHIVE_REASONS["ratio"] % {"name": "word/document.xml", "amount": 1000, "limit": 200},
        "A reason written before reasons were translated",
    ],
)
def test_a_reason_read_back_in_english_is_what_was_stored(stored):
    with translation.override("en"):
        assert translated_reason(stored) == stored


# The child process that runs every extraction.


def loop_forever():
    while True:
        pass


def allocate(megabytes):
    return len(bytearray(megabytes * MIB))


def fail():
    raise ValueError("xref table is broken\nsecond line")


def large_result(size):
    return "я" * size


def test_a_reader_that_loops_is_stopped_at_the_timeout(settings):
    settings.LIBRARY_EXTRACTION = {"TIMEOUT": 1}
    started = time.monotonic()
    with pytest.raises(IsolatedRunFailed, match=r"^Text extraction took longer than 1 s$"):
        run_isolated(loop_forever)
    assert time.monotonic() - started < 2


def test_extraction_that_loops_ends_as_a_failed_extraction(monkeypatch, settings, tmp_path):
    settings.LIBRARY_EXTRACTION = {"TIMEOUT": 0.5}
    monkeypatch.setitem(extraction.READERS, "txt", lambda path, bounds: loop_forever())
    result = extract_isolated(write(tmp_path, "notes.txt", "текст"), "txt")
    assert result == Extraction("failed", error="Text extraction took longer than 0.5 s")


def test_a_reader_that_needs_too_much_memory_is_stopped(settings):
    settings.LIBRARY_EXTRACTION = {"MEMORY_LIMIT": 64 * MIB}
    assert run_isolated(allocate, 16) == 16 * MIB
    with pytest.raises(IsolatedRunFailed) as failure:
        run_isolated(allocate, 4096)
    assert str(failure.value) == MEMORY_REASON


def test_a_reader_that_raises_gives_a_short_reason():
    with pytest.raises(IsolatedRunFailed) as failure:
        run_isolated(fail)
    assert str(failure.value) == "The file is damaged: xref table is broken"


def test_a_large_result_comes_through_the_pipe_whole():
    size = 3_000_000  # 6 MB of UTF-8, far beyond a pipe's buffer
    assert run_isolated(large_result, size) == "я" * size


def crash():
    faulthandler.disable()  # pytest's handler would print the child's stack
    os.kill(os.getpid(), signal.SIGSEGV)


def leave_without_a_word():
    os._exit(3)


@pytest.mark.parametrize(
    ("function", "reason"),
    [
        (crash, "its reader crashed (SIGSEGV)"),
        (leave_without_a_word, "its reader stopped without a result"),
    ],
)
def test_a_child_that_dies_gives_a_reason(function, reason):
    with pytest.raises(IsolatedRunFailed, match=re.escape(reason)):
        run_isolated(function)


def test_every_child_is_reaped(monkeypatch):
    children = []
    fork = os.fork

    def recording_fork():
        pid = fork()
        if pid:
            children.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", recording_fork)
    run_isolated(large_result, 10)
    with pytest.raises(IsolatedRunFailed):
        run_isolated(loop_forever, timeout=0.2)
    with pytest.raises(IsolatedRunFailed):
        run_isolated(fail)

    assert len(children) == 3
    for pid in children:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


def test_without_fork_the_function_runs_in_this_process(monkeypatch):
    monkeypatch.delattr(os, "fork")
    assert run_isolated(os.getpid) == os.getpid()
    with pytest.raises(IsolatedRunFailed, match="xref table is broken"):
        run_isolated(fail)


# What an upload is.


def sample_files():
    return {
        "pdf": demo_files.make_pdf(HEADING, PARAGRAPHS),
        "docx": demo_files.make_docx(HEADING, PARAGRAPHS),
        "pptx": demo_files.make_pptx(HEADING, SLIDES),
        "xlsx": demo_files.make_xlsx(HEADING, COLUMNS, ROWS),
        "odt": make_odt(),
        "odp": make_odf("<office:presentation/>", mimetype=FILE_TYPES["odp"].mime),
        "ods": make_odf("<office:spreadsheet/>", mimetype=FILE_TYPES["ods"].mime),
        "txt": "\n".join(PARAGRAPHS).encode(),
        "csv": "Громада,Область\nІрпінська,Київська\n".encode("cp1251"),
    }


def test_every_allowed_type_is_known_by_its_content():
    for extension, data in sample_files().items():
        fileobj = io.BytesIO(data)
        fileobj.seek(7)
        assert detect(fileobj, f"anything.{extension}") == FILE_TYPES[extension], extension
        assert fileobj.tell() == 7


def test_a_docx_whose_main_part_has_another_name_is_known_by_its_content_type(tmp_path):
    renamed = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(demo_files.make_docx(HEADING, PARAGRAPHS))) as source,
        zipfile.ZipFile(renamed, "w") as target,
    ):
        for entry in source.infolist():
            data = source.read(entry).replace(b"document.xml", b"document2.xml")
            target.writestr(entry.filename.replace("document.xml", "document2.xml"), data)

    assert detect(renamed, "report.docx") == FILE_TYPES["docx"]
    assert extract(write(tmp_path, "report.docx", renamed.getvalue()), "docx").text.startswith(HEADING)


def test_text_is_txt_or_csv_by_its_name():
    assert detect(io.BytesIO(b"a,b\n1,2\n"), "table.CSV").extension == "csv"
    assert detect(io.BytesIO(b"a,b\n1,2\n"), "table.txt").extension == "txt"


def test_a_character_cut_at_the_sniffing_window_or_the_end_is_still_utf8(tmp_path):
    data = b"a" + "ї".encode() * 40_000  # the 64 KiB window ends inside a two-byte letter
    assert detect(io.BytesIO(data), "long.txt").extension == "txt"
    truncated = write(tmp_path, "cut.txt", data[:1001])
    assert extract(truncated, "txt").text == "a" + "ї" * 500


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200),
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(200),
        bytes(range(256)) * 4,
        b"PK\x03\x04 not really a zip",
        b"",
    ],
    ids=["png", "exe", "binary", "fake-zip", "empty"],
)
def test_other_content_is_none_of_the_allowed_types(data):
    assert detect(io.BytesIO(data), "file.txt") is None


def zip_of(entries):
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return output.getvalue()


def test_a_zip_of_something_else_is_none_of_the_allowed_types():
    assert detect(io.BytesIO(zip_of({"photo.jpg": b"\xff\xd8\xff"})), "photos.docx") is None


def test_a_valid_upload_gives_its_type():
    for extension, data in sample_files().items():
        name = f"Звіт громади.{extension.upper()}"
        assert check_upload(upload(name, data), name, 50 * MIB) == FILE_TYPES[extension]


@pytest.mark.parametrize(
    ("name", "data", "code", "words"),
    [
        ("big.pdf", b"%PDF-1.7\n" + bytes(2 * MIB), "file_size", ["2 MB", "1 MB"]),
        ("setup.exe", b"MZ\x90\x00", "file_type", ["“.exe”", "PDF, DOCX"]),
        ("README", b"text", "file_type", ["no extension"]),
        ("empty.txt", b"", "empty", ["empty"]),
        ("photo.pdf", b"\x89PNG\r\n\x1a\n" + bytes(100), "file_content", ["damaged or of another kind"]),
        ("report.pdf", demo_files.make_docx(HEADING, PARAGRAPHS), "file_mismatch", ["“.pdf”", "DOCX", "Rename"]),
        ("report.docx", demo_files.make_pdf(HEADING, PARAGRAPHS), "file_mismatch", ["“.docx”", "PDF"]),
        ("notes.pdf", "Просто текст".encode(), "file_mismatch", ["TXT"]),
        ("page.pdf", b"<!DOCTYPE html><html><body>Hi</body></html>", "file_mismatch", ["TXT"]),
        ("setup.docx", b"MZ\x90\x00\x03" + bytes(300), "file_content", ["damaged or of another kind"]),
        ("photos.docx", zip_of({"photo.jpg": b"\xff\xd8\xff"}), "file_content", ["damaged or of another kind"]),
        ("table.xlsx", demo_files.make_docx(HEADING, PARAGRAPHS), "file_mismatch", ["“.xlsx”", "DOCX"]),
        ("old.odt", password_protected_docx(), "file_content", ["damaged or of another kind"]),
    ],
    ids=[
        "oversized",
        "disallowed",
        "no-extension",
        "empty",
        "no-allowed-content",
        "docx-as-pdf",
        "pdf-as-docx",
        "text",
        "html-as-pdf",
        "exe-as-docx",
        "zip-of-photos-as-docx",
        "docx-as-xlsx",
        "ole-as-odt",
    ],
)
def test_a_refused_upload_says_why(name, data, code, words):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        check_upload(upload(name, data), name, 1 * MIB)
    with translation.override("en"):  # the message is translated when it is read
        message = refused.value.messages[0]
    assert refused.value.code == code
    for word in words:
        assert word in message


# Previews.


def test_the_preview_is_a_png_of_the_asked_width(tmp_path):
    path = write(tmp_path, "guide.pdf", demo_files.make_pdf(HEADING, PARAGRAPHS))
    for width in (480, 200):
        png = render_pdf_first_page(path, width=width)
        assert png.startswith(b"\x89PNG\r\n\x1a\n")
        image = Image.open(io.BytesIO(png))
        assert image.width == width
        assert image.height == pytest.approx(width * 297 / 210, abs=2)  # A4


def test_the_preview_of_a_very_tall_page_shows_its_top(tmp_path):
    from fpdf import FPDF

    pdf = FPDF(format=(100, 2000))  # millimetres: a scroll twenty times as tall as it is wide
    pdf.add_page()
    png = render_pdf_first_page(write(tmp_path, "scroll.pdf", bytes(pdf.output())), width=100)
    assert Image.open(io.BytesIO(png)).size == (100, 300)


def test_no_preview_for_a_damaged_or_encrypted_pdf(tmp_path):
    assert render_pdf_first_page(write(tmp_path, "damaged.pdf", b"%PDF-1.7\n" + bytes(range(256)))) is None
    assert render_pdf_first_page(write(tmp_path, "secret.pdf", encrypted_pdf("secret", "owner"))) is None


# Demo files.


def test_demo_files_are_the_same_bytes_every_time():
    makers = [
        lambda: demo_files.make_pdf(HEADING, PARAGRAPHS, title=TITLE),
        lambda: demo_files.make_docx(HEADING, PARAGRAPHS, title=TITLE),
        lambda: demo_files.make_pptx(HEADING, SLIDES, title=TITLE),
        lambda: demo_files.make_xlsx(HEADING, COLUMNS, ROWS, title=TITLE),
    ]
    for make in makers:
        assert make() == make()


def demo_set(maker):
    return [
        maker.make_pdf(HEADING, PARAGRAPHS),
        maker.make_docx(HEADING, PARAGRAPHS),
        maker.make_pptx(HEADING, SLIDES),
        maker.make_xlsx(HEADING, COLUMNS, ROWS),
    ]


def test_demo_files_are_the_same_bytes_in_another_process():
    """The demo loader, run again another day, recognises the files it stored by their hash."""
    script = (
        "import hashlib, sys; from library import demo_files; from tests.test_extraction import demo_set;"
        "sys.stdout.write(' '.join(hashlib.sha256(data).hexdigest() for data in demo_set(demo_files)))"
    )
    there = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True, timeout=60
    )
    assert there.stdout.split() == [hashlib.sha256(data).hexdigest() for data in demo_set(demo_files)]


def test_a_pdf_with_characters_beyond_the_common_ones_still_carries_them(tmp_path):
    heading = "Ελληνικά та ქართული"
    result = extract(write(tmp_path, "rare.pdf", demo_files.make_pdf(heading, PARAGRAPHS)), "pdf")
    assert result.text.splitlines()[0] == heading


def test_a_long_pdf_runs_over_several_pages():
    pdf = demo_files.make_pdf(HEADING, PARAGRAPHS * 30)
    assert len(PdfReader(io.BytesIO(pdf)).pages) > 2
