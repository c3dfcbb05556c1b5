from collections import defaultdict

from django.db.models import Q
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page


class MultilingualSitemap(Sitemap):
    """Every public page of the site in both languages, each with its hreflang alternates.

    Wagtail's own sitemap walks the default language's tree only.
    """

    def items(self):
        root = self.get_wagtail_site().root_page
        in_any_language_tree = Q()
        for language_root in Page.objects.filter(translation_key=root.translation_key):
            in_any_language_tree |= Q(path__startswith=language_root.path)
        # Aliases (untranslated copies among them) repeat another page's content: not listed.
        return (
            Page.objects.filter(in_any_language_tree, alias_of__isnull=True)
            .live()
            .public()
            .select_related("locale")
            .order_by("path")
        )

    def _urls(self, page, protocol, domain):
        pages = list(self.paginator.page(page).object_list)
        # One query finds the translations of every page on this sitemap page.
        alternates = defaultdict(list)
        translations = self.items().filter(translation_key__in={item.translation_key for item in pages})
        for translation in translations:
            alternates[translation.translation_key].append(
                {"lang_code": translation.locale.language_code, "location": translation.get_full_url(self.request)}
            )

        urls = []
        for item in pages:
            for url_info in item.get_sitemap_urls(self.request):
                url_info["alternates"] = alternates[item.translation_key]
                urls.append(url_info)

        last_mods = {url_info.get("lastmod") for url_info in urls}
        if last_mods and None not in last_mods:
            self.latest_lastmod = max(last_mods)
        return urls
