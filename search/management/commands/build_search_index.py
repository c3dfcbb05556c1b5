from django.core.management import BaseCommand, call_command
from wagtail.models import Page

from search.models import IndexEntry


class Command(BaseCommand):
    help = (
        "Builds the site search index (update_index --backend site). With --if-empty, only when the index "
        "is empty while the site has pages: a database made before the search existed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when the index holds any page.")

    def handle(self, *args, if_empty=False, **options):
        if if_empty and (IndexEntry.objects.exists() or not Page.objects.live().filter(depth__gt=1).exists()):
            return
        call_command("update_index", backend_name="site", stdout=self.stdout, verbosity=options["verbosity"])
