"""What the import commands share: reading a CSV as people export it, and showing progress."""

import csv
import io
import sys

BAR_WIDTH = 30


def read_csv(raw, required=()):
    """The rows of a CSV file as (line number, {lower-case column: value}).

    Excel on a Ukrainian Windows saves Windows-1251 with semicolons; other tools UTF-8 (with or
    without a BOM) with commas: all are read. NUL bytes from a damaged export are dropped
    (PostgreSQL refuses them). Raises ValueError when a required column is missing.
    """
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1251")
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
    for row in reader:
        yield reader.line_num, {key: (value or "").replace("\x00", "").strip() for key, value in row.items() if key}


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
