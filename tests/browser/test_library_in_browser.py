"""The warehouse in a real browser: phone layout, facets with and without JavaScript, the download."""

import pytest

from home.site_setup import ensure_site_tree, sync_language_trees
from library import demo_files
from sections.models import SectionKind
from tests.browser.test_shell_in_browser import assert_fits_the_phone
from tests.factories import (
    LibraryDocumentFactory,
    LibraryPageFactory,
    MaterialPageFactory,
    SectionIndexPageFactory,
    SectionPageFactory,
    SpeakerIndexPageFactory,
    SpeakerPageFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(live_server):
    home = ensure_site_tree()
    sections = SectionIndexPageFactory(parent=home)
    energy = SectionPageFactory(parent=sections, title="Енергетична стійкість", slug="", order=1)
    grants = SectionPageFactory(parent=sections, title="Грантова підтримка", slug="", order=2)
    club = SectionPageFactory(parent=sections, title="Кабінет мера", slug="", order=5, kind=SectionKind.CLUB)
    speaker = SpeakerPageFactory(
        parent=SpeakerIndexPageFactory(parent=home),
        title="Регіональний центр енергоефективності та сталого розвитку громад Житомирщини",
        slug="tsentr",
        sections=[energy],
    )
    library = LibraryPageFactory(parent=home, show_in_menus=True)
    pdf = LibraryDocumentFactory(
        title="Посібник",
        file__filename="posibnyk-z-enerhetychnoi-stiikosti-dlia-maloi-hromady-na-zymu.pdf",
        file__data=demo_files.make_pdf("Енергетична стійкість", ["Генератори для лікарні та шкіл."] * 6),
    )
    MaterialPageFactory(
        parent=library,
        title="Енергетична стійкість малої громади: покроковий посібник на зиму для команди",
        slug="posibnyk",
        kind="guide",
        document=pdf,
        sections=[energy, grants],
        speaker=speaker,
    )
    MaterialPageFactory(parent=library, title="Грантовий календар", kind="template", year=2024, sections=[grants])
    MaterialPageFactory(parent=library, title="Закрита стратегія", kind="guide", sections=[club])
    sync_language_trees()
    return live_server.url


@pytest.mark.parametrize(
    "path", ["/library/", "/en/library/?kind=guide", "/library/posibnyk/", "/sections/enerhetychna-stiikist/"]
)
def test_nothing_overflows_a_phone_screen(site, phone, path):
    assert_fits_the_phone(phone, site + path)


def test_on_a_phone_the_facets_fold_away_and_open_on_demand(site, phone):
    phone.goto(site + "/library/")
    facet = phone.get_by_role("link", name="Шаблон")
    assert not facet.is_visible()
    phone.get_by_text("Фільтри").click()
    assert facet.is_visible()


def test_facets_combine_without_javascript(site, without_javascript):
    page = without_javascript
    page.goto(site + "/library/")
    facets = page.get_by_role("navigation", name="Фільтри матеріалів")
    facets.get_by_role("link", name="Грантова підтримка").click()
    page.wait_for_url("**/library/?section=hrantova-pidtrymka")
    assert "2 матеріали" in page.locator(".result-count").inner_text()
    facets.get_by_role("link", name="Шаблон").click()
    page.wait_for_url("**/library/?section=hrantova-pidtrymka&kind=template")
    assert page.locator(".material-item__title").all_inner_texts() == ["Грантовий календар"]
    assert "Закрита стратегія" not in page.content()


def test_the_material_page_downloads_its_file(site, desktop):
    desktop.goto(site + "/library/posibnyk/")
    # The preview is lazy and drawn on first request: wait for it rather than read it at once.
    desktop.wait_for_function(
        "() => { const image = document.querySelector('.material-preview img');"
        " return image.complete && image.naturalWidth > 0; }"
    )
    with desktop.expect_download() as download:
        desktop.get_by_role("link", name="Завантажити").click()
    assert download.value.suggested_filename.endswith(".pdf")
