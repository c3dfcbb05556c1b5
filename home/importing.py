"""What the import commands share: reading a CSV as people export it, and showing progress."""

import codecs
import csv
import io
import sys

BAR_WIDTH = 30


#: How spreadsheet workbooks begin (XLSX is a ZIP archive, the old XLS an OLE2 file).
WORKBOOK_SIGNATURES = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")


def _decode(raw):
    if raw.startswith(WORKBOOK_SIGNATURES):
        raise ValueError("this is a spreadsheet workbook, not a CSV: save it as “CSV UTF-8” and import that")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16")  # Excel's "Unicode text"
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1251")
    except UnicodeDecodeError:
        raise ValueError("the file is neither UTF-8 nor Windows-1251 text: save it as “CSV UTF-8”") from None


def read_csv(raw, required=()):
    """The rows of a CSV file as (line number, {lower-case column: value}).

    Excel on a Ukrainian Windows saves Windows-1251 with semicolons, or UTF-16 as "Unicode
    text"; other tools UTF-8 (with or without a BOM) with commas: all are read. NUL bytes from
    a damaged export are dropped (PostgreSQL refuses them). Raises ValueError, saying why, when
    the file is a workbook, is not text, lacks a required column or breaks the CSV format.
    """
    text = _decode(raw)
    try:
        dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    reader.fieldnames = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [column for column in required if column not in reader.fieldnames]
    if missing:
        names = ", ".join(f"'{column}'" for column in missing)
        raise ValueError(
            f"the file needs the {names} column{'s' if len(missing) > 1 else ''} "
            f"(its columns: {', '.join(reader.fieldnames) or 'none'})"
        )
    # line_num counts the lines read so far, blank ones included: the row's line in the file.
    line = 1
    try:
        for row in reader:
            line = reader.line_num
            yield line, {key: (value or "").replace("\x00", "").strip() for key, value in row.items() if key}
    except csv.Error as error:  # a field over the csv module's limit, a stray quote at the end
        raise ValueError(f"cannot read the CSV after line {line}: {error}") from None


class Progress:
    """A bar on a terminal; elsewhere (logs, CI) a line for the first, every ``every``-th and the last item."""

    def __init__(self, stream, total, every=25):
        self.stream, self.total, self.every = stream, total, every
        self.on_terminal = sys.stderr.isatty()

    def step(self, number, label=""):
        if self.on_terminal:
            done = int(BAR_WIDTH * number / self.total)
            bar = f"[{'#' * done}{'.' * (BAR_WIDTH - done)}]"
            self.stream.write(f"\r{bar} {number}/{self.total} {label[:40]:<40}", ending="")
        elif number == 1 or number % self.every == 0 or number == self.total:
            self.stream.write(f"[{number}/{self.total}] {label}".rstrip())

    def done(self):
        if self.on_terminal:
            self.stream.write("")
