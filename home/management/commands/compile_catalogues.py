from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Compiles the project's message catalogues (locale/*/LC_MESSAGES/*.po) with polib, "
        "so that set-up needs no gettext system package. Only stale catalogues are rebuilt."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Rebuild every catalogue.")

    def handle(self, *args, force=False, **options):
        compiled = 0
        for locale_path in settings.LOCALE_PATHS:
            for po_path in sorted(Path(locale_path).glob("*/LC_MESSAGES/*.po")):
                mo_path = po_path.with_suffix(".mo")
                if not force and mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                    continue
                catalogue = polib.pofile(str(po_path))
                catalogue.save_as_mofile(str(mo_path))
                compiled += 1
                self.stdout.write(f"Compiled {po_path} ({catalogue.percent_translated()}% translated)")
        self.stdout.write(f"{compiled} catalogue(s) compiled.")
