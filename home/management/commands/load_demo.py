from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail import hooks

from home.site_setup import ensure_site_tree, sync_language_trees


class Command(BaseCommand):
    help = (
        "Fills the site with realistic bilingual demo content. Each app adds its part through the "
        "'load_demo_content' hook. Safe to run again: what exists is left as it is."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the site already holds content below its home pages.",
        )

    def handle(self, *args, if_empty=False, **options):
        home = ensure_site_tree()
        if if_empty and home.get_descendants().exists():
            self.stdout.write("The site already has content: demo content not loaded.")
            return

        loaders = hooks.get_hooks("load_demo_content")
        for number, loader in enumerate(loaders, start=1):
            self.stdout.write(f"[{number}/{len(loaders)}] {loader.__name__.replace('_', ' ')}…")
            with transaction.atomic():
                loader(home, self.stdout.write)
        sync_language_trees()  # what a loader left untranslated shows in English as its source
        self.stdout.write(self.style.SUCCESS("Demo content loaded."))
