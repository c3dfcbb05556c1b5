"""Creates what the site needs before anyone can use it. Safe to run again."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import Collection, Locale, Page, Site
from wagtail_localize.models import LocaleSynchronization
from wagtail_localize.synctree import create_aliases_for_new_page, synchronize_tree

from .models import HomePage

HOME_TITLE = "Супермаркет рішень для громад"
HOME_SLUG = "holovna"


def _remove_wagtail_welcome_page():
    """Wagtail's first migration creates a plain "Welcome" page: it has no place here."""
    plain_page_type = ContentType.objects.get_for_model(Page)
    for welcome in Page.objects.filter(depth=2, content_type=plain_page_type):
        if welcome.is_leaf() and not Site.objects.filter(root_page=welcome).exists():
            welcome.delete()


@transaction.atomic
def ensure_site_tree():
    """The locales, the Ukrainian home page as the site's root and its English translation.

    Returns the Ukrainian home page. Existing pages and sites are left as they are.
    """
    source_locale, _ = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    # Wagtail's migrations make the root page and collection; `manage.py flush` removes them.
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root", locale=source_locale))
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")

    home = HomePage.objects.filter(locale=source_locale, depth=2).first()
    if home is None:
        home = HomePage(title=HOME_TITLE, slug=HOME_SLUG, locale=source_locale)
        root.add_child(instance=home)
        home.save_revision().publish()
        create_aliases_for_new_page(home)  # where a synchronisation exists already

    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name=HOME_TITLE)
    elif not isinstance(site.root_page.specific, HomePage):
        site.root_page = home
        site.site_name = site.site_name or HOME_TITLE
        site.save()
    _remove_wagtail_welcome_page()

    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        if code != source_locale.language_code:
            locale, _ = Locale.objects.get_or_create(language_code=code)
            # Saving a new synchronisation makes wagtail-localize copy the tree at once; an
            # existing one needs nothing here, so a rerun costs no walk over every page.
            LocaleSynchronization.objects.get_or_create(locale=locale, defaults={"sync_from": source_locale})
    return home


def sync_language_trees():
    """Gives every page an alias in each other language where it has no translation yet.

    wagtail-localize keeps the English tree in step with the Ukrainian one, but only for
    pages created in the admin; code that creates pages (demo loaders, importers) calls
    this afterwards. It walks every page: not for each start of the site.
    """
    for sync in LocaleSynchronization.objects.select_related("locale", "sync_from"):
        synchronize_tree(sync.sync_from, sync.locale)
