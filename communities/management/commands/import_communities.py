"""python manage.py import_communities FILE.csv — the register's communities, safe to run again."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from communities.importing import BadRow, choice_names, community_from_row, read_rows
from home.importing import Progress


class Command(BaseCommand):
    help = "Imports communities from a CSV with the columns name, oblast, kind, population, code."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file, **options):
        if not file.is_file():
            raise CommandError(f"{file} is not a file.")
        try:
            rows = read_rows(file.read_bytes())
        except ValueError as error:
            raise CommandError(f"{file.name}: {error}") from None
        oblasts, kinds = choice_names()
        created = updated = 0
        failed = []
        line_of_code = {}
        progress = Progress(self.stderr, len(rows), every=100)
        for number, (line, row) in enumerate(rows, start=1):
            progress.step(number)
            try:
                community = community_from_row(row, oblasts, kinds)
                if community.code in line_of_code:
                    raise BadRow(f"the code {community.code} is already on line {line_of_code[community.code]}")
            except BadRow as error:
                failed.append(f"line {line}: {error}")
                continue
            line_of_code[community.code] = line
            is_new = community.pk is None
            with transaction.atomic():
                community.save()
            created, updated = created + is_new, updated + (not is_new)
        progress.done()
        self.stdout.write(f"Created {created}, updated {updated}, failed {len(failed)}.")
        for line in failed:
            self.stdout.write(f"  {line}")
