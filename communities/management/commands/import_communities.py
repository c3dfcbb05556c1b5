"""python manage.py import_communities FILE.csv — the register's communities, safe to run again."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from communities.importing import BadRow, choice_names, community_from_row, read_rows


class Command(BaseCommand):
    help = "Imports communities from a CSV with the columns name, oblast, kind, population, code."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file, **options):
        if not file.is_file():
            raise CommandError(f"{file} is not a file.")
        try:
            rows = list(read_rows(file.read_bytes()))
        except ValueError as error:
            raise CommandError(f"{file.name}: {error}") from None
        oblasts, kinds = choice_names()
        created = updated = 0
        failed = []
        for number, (line, row) in enumerate(rows, start=1):
            self._progress(number, len(rows))
            try:
                community = community_from_row(row, oblasts, kinds)
            except BadRow as error:
                failed.append(f"line {line}: {error}")
                continue
            is_new = community.pk is None
            with transaction.atomic():
                community.save()
            created, updated = created + is_new, updated + (not is_new)
        if sys.stderr.isatty():
            self.stderr.write("")
        self.stdout.write(f"Created {created}, updated {updated}, failed {len(failed)}.")
        for line in failed:
            self.stdout.write(f"  {line}")

    def _progress(self, number, total):
        if sys.stderr.isatty():
            done = int(30 * number / total)
            self.stderr.write(f"\r[{'#' * done}{'.' * (30 - done)}] {number}/{total}", ending="")
        elif number == 1 or number % 100 == 0 or number == total:
            self.stderr.write(f"[{number}/{total}]")
