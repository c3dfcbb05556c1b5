import pytest
from wagtail.models import Locale

from home.site_setup import ensure_site_tree
from home.translation import translate_page


@pytest.fixture
def home(db):
    """The Ukrainian home page, set up as `make run` does: locales, site and English home."""
    return ensure_site_tree()


@pytest.fixture
def en_locale(home):
    return Locale.objects.get(language_code="en")


@pytest.fixture
def en_home(home, en_locale):
    return home.get_translation(en_locale)


@pytest.fixture
def translate(en_locale):
    """Translates a page or a snippet into English through wagtail-localize, as editors do."""

    def _translate(page, strings):
        translated, _missing = translate_page(page, en_locale, strings)
        return getattr(translated, "specific", translated)

    return _translate


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache, as a fresh server would (the cache is per process)."""
    from django.core.cache import cache

    cache.clear()
