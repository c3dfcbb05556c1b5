"""Imports a folder of files into the warehouse, optionally described by a CSV manifest.

    python manage.py import_materials FOLDER [--manifest FILE.csv] [--library SLUG]

Manifest columns: file, title, kind, sections (slugs), speaker (slug), language, year, tags
(sections and tags separated by ";" or ","; an optional summary column). Without a manifest
every allowed file in the folder becomes a material titled from the document itself or
its file name. A file already in the warehouse (same content) is skipped, so the command
may run again over the same folder; a bad row is reported by its line number and skipped,
as is any file that cannot be imported; files of the folder the manifest does not name are
listed and left alone.
"""

from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from home.importing import Progress, read_csv
from home.site_setup import sync_language_trees
from library.filetypes import check_size
from library.forms import max_upload_size
from library.importing import (
    content_hash,
    find_document,
    guess_language,
    store_document,
    summary_from_text,
    title_from_filename,
)
from library.models import FileLanguage, LibraryPage, MaterialKind, MaterialPage
from sections.models import SectionPage
from speakers.models import SpeakerPage

COLUMNS = ("file", "title", "kind", "sections", "speaker", "language", "year", "tags")
KIND_BY_EXTENSION = {".pptx": MaterialKind.PRESENTATION, ".odp": MaterialKind.PRESENTATION}


class BadRow(Exception):
    pass


@dataclass
class Entry:
    """One file to import, with what the manifest says of it (if anything)."""

    path: Path
    line: int | None = None
    title: str = ""
    summary: str = ""
    kind: str = ""
    sections: list = field(default_factory=list)
    speaker: SpeakerPage | None = None
    language: str = ""
    year: int | None = None
    tags: list = field(default_factory=list)

    @property
    def where(self):
        return f"line {self.line} ({self.path.name})" if self.line else self.path.name


def split_list(value):
    separator = ";" if ";" in value else ","
    return [item.strip() for item in value.split(separator) if item.strip()]


class Command(BaseCommand):
    help = "Imports a folder of files as library materials (PDF, DOCX, PPTX, XLSX, ODF, TXT, CSV)."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)
        parser.add_argument("--manifest", type=Path, help="A CSV file describing the files (see the module's doc).")
        parser.add_argument("--library", help="The slug of the library page (default: the Ukrainian one).")

    def handle(self, *args, folder, manifest=None, library=None, **options):
        if not folder.is_dir():
            raise CommandError(f"{folder} is not a folder.")
        self.verbosity = options["verbosity"]
        self.library = self._library(library)
        self.created, self.skipped, self.failed, self.unlisted = [], [], [], []

        entries = self._entries_from_manifest(folder, manifest) if manifest else self._entries_from_folder(folder)
        progress = Progress(self.stderr, len(entries))
        for number, entry in enumerate(entries, start=1):
            progress.step(number, entry.path.name)
            try:
                with transaction.atomic():
                    self._import(entry)
            except (BadRow, ValidationError) as error:
                message = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
                self.failed.append(f"{entry.where}: {message}")
            except Exception as error:  # one file that cannot be read or stored (OSError...) stops no other
                self.failed.append(f"{entry.where}: {type(error).__name__}: {error}")
        progress.done()
        if self.created:
            sync_language_trees()  # English visitors see the new materials, marked untranslated
        self._report()

    def _library(self, slug):
        libraries = LibraryPage.objects.filter(locale__language_code="uk")
        library = libraries.filter(slug=slug).first() if slug else libraries.first()
        if library is None:
            raise CommandError("There is no library page yet: create it in the admin (or run `make demo`).")
        return library

    def _files_in(self, folder):
        """The folder's files, hidden ones left out."""
        return [
            path
            for path in sorted(folder.rglob("*"))
            if path.is_file() and not any(part.startswith(".") for part in path.relative_to(folder).parts)
        ]

    def _entries_from_folder(self, folder):
        return [Entry(path=path) for path in self._files_in(folder)]

    def _entries_from_manifest(self, folder, manifest):
        if not manifest.is_file():
            raise CommandError(f"{manifest} is not a file.")
        try:
            # read_csv says why in a ValueError: a missing column, a cell too long, a workbook instead of a CSV.
            rows = list(read_csv(manifest.read_bytes(), required=["file"]))
        except ValueError as error:
            raise CommandError(f"{manifest.name}: {error}; the columns are {', '.join(COLUMNS)}.") from None
        entries = []
        for line, row in rows:
            try:
                entries.append(self._entry(folder, line, row))
            except BadRow as error:
                self.failed.append(f"line {line}: {error}")
        named = {(folder / row.get("file", "")).resolve() for _line, row in rows} | {manifest.resolve()}
        self.unlisted = [
            str(path.relative_to(folder)) for path in self._files_in(folder) if path.resolve() not in named
        ]
        return entries

    def _entry(self, folder, line, row):
        name = row.get("file", "")
        path = (folder / name).resolve()
        if not name or not path.is_relative_to(folder.resolve()) or not path.is_file():
            raise BadRow(f"no file '{name}' in the folder")
        entry = Entry(path=path, line=line, title=row.get("title", ""), summary=row.get("summary", ""))
        if kind := row.get("kind", ""):
            if kind not in MaterialKind.values:
                raise BadRow(f"unknown kind '{kind}' (one of: {', '.join(MaterialKind.values)})")
            entry.kind = kind
        for slug in split_list(row.get("sections", "")):
            section = SectionPage.objects.filter(locale_id=self.library.locale_id, slug=slug).first()
            if section is None:
                raise BadRow(f"no section with the slug '{slug}'")
            entry.sections.append(section)
        if slug := row.get("speaker", ""):
            entry.speaker = SpeakerPage.objects.filter(locale_id=self.library.locale_id, slug=slug).first()
            if entry.speaker is None:
                raise BadRow(f"no speaker with the slug '{slug}'")
        if language := row.get("language", ""):
            if language not in FileLanguage.values:
                raise BadRow(f"unknown language '{language}' (one of: {', '.join(FileLanguage.values)})")
            entry.language = language
        if year := row.get("year", ""):
            if not (year.isascii() and year.isdigit() and 1991 <= int(year) <= timezone.now().year + 1):
                raise BadRow(f"the year '{year}' is not a year between 1991 and next year")
            entry.year = int(year)
        entry.tags = [tag[:100] for tag in split_list(row.get("tags", ""))]
        if len(entry.title) > 255:
            raise BadRow("the title is longer than 255 characters")
        return entry

    def _import(self, entry):
        check_size(entry.path.stat().st_size, max_upload_size())  # before the whole file is read into memory
        content = entry.path.read_bytes()
        existing = find_document(content_hash(content))
        if existing is not None and existing.materials.exists():
            self.skipped.append(f"{entry.where}: already in the library as “{existing.materials.first().title}”")
            return
        document, _created = store_document(content, entry.path.name, entry.title or entry.path.stem)
        title = entry.title or document.extracted_title or title_from_filename(entry.path.name)
        if not entry.title and document.title != title:
            document.title = title[:255]
            document.save(update_fields=["title"])
        material = MaterialPage(
            title=title[:255],
            summary=entry.summary or summary_from_text(document.extracted_text, title),
            kind=entry.kind or KIND_BY_EXTENSION.get(entry.path.suffix.lower(), MaterialKind.OTHER),
            file_language=entry.language or guess_language(document.extracted_text),
            year=entry.year,
            speaker=entry.speaker,
            document=document,
        )
        material.sections = entry.sections
        material.tags.add(*entry.tags)
        self.library.add_child(instance=material)
        material.save_revision().publish()
        self.created.append(f"{entry.where}: “{material.title}”")

    def _report(self):
        self.stdout.write(
            f"Created {len(self.created)}, skipped {len(self.skipped)} (already there), failed {len(self.failed)}."
        )
        sections = (
            ("Created", self.created),
            ("Skipped", self.skipped),
            ("Failed", self.failed),
            ("Not in the manifest, left alone", self.unlisted),
        )
        for heading, lines in sections:
            if lines and (heading != "Created" or self.verbosity > 1):
                self.stdout.write(f"{heading}:")
                for line in lines:
                    self.stdout.write(f"  {line}")
