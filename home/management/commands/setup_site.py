from django.core.management.base import BaseCommand

from home.site_setup import ensure_site_tree


class Command(BaseCommand):
    help = "Creates the locales, the home page in both languages and the site record. Safe to run again."

    def handle(self, *args, **options):
        home = ensure_site_tree()
        translations = home.get_translations(inclusive=True).select_related("locale")
        languages = ", ".join(sorted(page.locale.language_code for page in translations))
        self.stdout.write(self.style.SUCCESS(f"Site tree ready: home page in {languages}."))
