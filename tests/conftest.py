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
def translate(en_locale, django_capture_on_commit_callbacks):
    """Translates a page into English through wagtail-localize, as editors do.

    wagtail-localize publishes the translation when the transaction commits, which a
    test's transaction never does: the captured callbacks are run instead.
    """

    def _translate(page, strings):
        with django_capture_on_commit_callbacks(execute=True):
            translated, _missing = translate_page(page, en_locale, strings)
        translated.refresh_from_db()
        return translated.specific

    return _translate
