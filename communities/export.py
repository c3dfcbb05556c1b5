"""The board's current selection as a spreadsheet for donors' reports, one row a need, as CSV or XLSX.

The CSV is UTF-8 with a byte-order mark, so that Excel reads the Cyrillic right, and separated
as Excel expects in the board's language: by semicolons on the Ukrainian board (Ukrainian
Windows uses the comma for decimals), by commas on the English one. No "sep=" line: other
spreadsheets would show it as data.
"""

import csv
from io import BytesIO

from django.http import FileResponse, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from .text import xml_safe

CSV_DELIMITERS = {"uk": ";"}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: What makes a spreadsheet read a cell as a formula: OWASP's list, for "CSV injection".
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def headers():
    return [
        _("Need"),
        _("Community"),
        _("KATOTTH code"),
        _("Oblast"),
        _("Category"),
        _("How much"),
        _("Urgency"),
        _("Status"),
        _("Status changed on"),
        _("Opened on"),
        _("Address"),
    ]


def need_rows(board, request):
    """The selection's rows for every format: text, and dates as dates."""
    for need in board.all_items():
        yield [
            need.title,
            need.community_shown.name,
            need.community.code,
            need.community.get_oblast_display(),
            need.get_category_display(),
            need.quantity,
            need.get_urgency_display(),
            need.get_status_display(),
            need.status_changed_on,
            need.opened_on,
            need.get_full_url(request),
        ]


def csv_cell(value):
    """A value as text a spreadsheet will not run as a formula."""
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _filename(extension):
    return f"needs-{timezone.localdate():%Y-%m-%d}.{extension}"


def needs_csv(board, request):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=CSV_DELIMITERS.get(board.index.locale.language_code, ","))
    writer.writerow(headers())
    for row in need_rows(board, request):
        writer.writerow(csv_cell(value) for value in row)
    return response


def xlsx_cell(sheet, value):
    """A cell that keeps the text as it is, never as a formula (as Wagtail's own exports do)."""
    cell = WriteOnlyCell(sheet, xml_safe(value) if isinstance(value, str) else value)
    if cell.data_type == "f":
        cell.data_type = "s"
    return cell


def needs_xlsx(board, request):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Needs"))
    sheet.append(headers())
    for row in need_rows(board, request):
        sheet.append([xlsx_cell(sheet, value) for value in row])
    output = BytesIO()
    workbook.save(output)
    output.seek(0)
    return FileResponse(output, as_attachment=True, filename=_filename("xlsx"), content_type=XLSX_TYPE)
