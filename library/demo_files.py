"""Real PDF, DOCX, PPTX and XLSX files made in Python, for the demo loader and the tests.

No system package is needed. The same input always gives the same bytes, because the
demo loader recognises files it stored before by their content hash.
"""

import datetime
import functools
import io
import tempfile
import zipfile
from pathlib import Path

FONTS = Path(__file__).parent / "fonts"
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
FONT_FAMILY = "DejaVu"

# Every file is dated the same: the libraries would otherwise stamp the time of saving.
FIXED_DATETIME = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
FIXED_ZIP_DATE = (2025, 1, 1, 0, 0, 0)

# What ordinary Ukrainian and English text uses: Latin, Cyrillic, punctuation, € ₴ № ™.
COMMON_CHARACTERS = frozenset(
    [
        *range(0x20, 0x7F),
        *range(0xA0, 0x180),
        *range(0x400, 0x530),
        *range(0x2010, 0x2050),
        0x20AC,
        0x20B4,
        0x2116,
        0x2122,
    ]
)


@functools.cache
def _common_fonts():
    """The bundled fonts cut down to COMMON_CHARACTERS, made once per process.

    fpdf2 parses the whole 700 KB font for every document and then subsets it in place,
    so a loaded font cannot serve a second document. Loading this small cut instead
    halves the time a page takes. Returns the folder (kept so it lives as long as the
    process), the font paths by style, and the characters they cover.
    """
    from fontTools import subset, ttLib

    folder = tempfile.TemporaryDirectory(prefix="demo-fonts-")
    paths = {}
    covered = None
    for style, name in FONT_FILES.items():
        font = ttLib.TTFont(FONTS / name, recalcTimestamp=False)
        options = subset.Options(glyph_names=True, notdef_outline=True, recommended_glyphs=True)
        options.drop_tables += ["FFTM"]  # a FontForge timestamp fontTools cannot subset
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=COMMON_CHARACTERS)
        subsetter.subset(font)
        paths[style] = Path(folder.name) / name
        font.save(paths[style])
        characters = {chr(code) for code in font.getBestCmap()}
        covered = characters if covered is None else covered & characters
    return folder, paths, frozenset(covered)


def _pdf_fonts(texts):
    """The font files to use: the small cut when it has every character, else the full fonts."""
    _folder, paths, covered = _common_fonts()
    if all(set(text) <= covered for text in texts):
        return paths
    return {style: FONTS / name for style, name in FONT_FILES.items()}


def make_pdf(heading, paragraphs, *, title=None):
    """An A4 PDF: the heading in bold, then the paragraphs, over as many pages as they need."""
    from fpdf import FPDF, XPos, YPos

    pdf = FPDF(format="A4")
    pdf.set_creation_date(FIXED_DATETIME)
    pdf.set_title(title or heading)
    for style, path in _pdf_fonts([heading, *paragraphs]).items():
        pdf.add_font(FONT_FAMILY, style, path)
    pdf.set_margins(20, 20)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    next_line = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}
    pdf.set_font(FONT_FAMILY, "B", 18)
    pdf.multi_cell(0, 9, heading, align="L", **next_line)
    pdf.ln(4)
    pdf.set_font(FONT_FAMILY, "", 11)
    for paragraph in paragraphs:
        # Left-aligned: justified lines come back from text extraction with doubled spaces.
        pdf.multi_cell(0, 6, paragraph, align="L", **next_line)
        pdf.ln(3)
    return bytes(pdf.output())


def _with_fixed_dates(package):
    """The ZIP package rewritten with every entry dated FIXED_ZIP_DATE instead of the time of saving."""
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(package)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            fixed = zipfile.ZipInfo(entry.filename, date_time=FIXED_ZIP_DATE)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = entry.external_attr
            target.writestr(fixed, source.read(entry))
    return output.getvalue()


def make_docx(heading, paragraphs, *, title=None):
    """A Word document: the heading as Heading 1, then the paragraphs."""
    import docx

    document = docx.Document()
    document.add_heading(heading, level=1)
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    properties = document.core_properties
    properties.title = title or heading
    properties.created = properties.modified = FIXED_DATETIME
    output = io.BytesIO()
    document.save(output)
    return _with_fixed_dates(output.getvalue())


def make_pptx(heading, slides, *, title=None):
    """A presentation: a title slide with the heading, then one slide per {"title", "bullets"} item."""
    import pptx

    presentation = pptx.Presentation()
    title_layout, content_layout = presentation.slide_layouts[0], presentation.slide_layouts[1]
    cover = presentation.slides.add_slide(title_layout)
    cover.shapes.title.text = heading
    # The layout's empty subtitle box would say "Click to add subtitle" when edited.
    subtitle = cover.placeholders[1].element
    subtitle.getparent().remove(subtitle)
    for item in slides:
        slide = presentation.slides.add_slide(content_layout)
        slide.shapes.title.text = item["title"]
        slide.placeholders[1].text_frame.text = "\n".join(item.get("bullets", []))  # a paragraph per line
    properties = presentation.core_properties
    properties.title = title or heading
    # python-pptx keeps these naive, in UTC.
    properties.created = properties.modified = FIXED_DATETIME.replace(tzinfo=None)
    output = io.BytesIO()
    presentation.save(output)
    return _with_fixed_dates(output.getvalue())


def make_xlsx(heading, columns, rows, *, title=None):
    """A workbook: the heading in bold in A1, a bold header row, then the rows."""
    import openpyxl
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.writer.excel import ExcelWriter

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["A1"] = heading
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(list(columns))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
    for index, column in enumerate(columns, start=1):
        longest = max([len(str(column)), *(len(str(row[index - 1])) for row in rows if len(row) >= index)])
        sheet.column_dimensions[get_column_letter(index)].width = min(longest + 2, 60)
    properties = workbook.properties
    properties.title = title or heading
    properties.created = properties.modified = FIXED_DATETIME.replace(tzinfo=None)
    output = io.BytesIO()
    # Not workbook.save(): it stamps the time of saving into the document's properties.
    ExcelWriter(workbook, zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED)).save()
    return _with_fixed_dates(output.getvalue())
