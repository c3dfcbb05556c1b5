"""The site search in a real browser: suggestions as one types, facets without JavaScript, the phone."""

import pytest

from home.site_setup import ensure_site_tree, sync_language_trees
from library import demo_files
from tests.browser.test_shell_in_browser import assert_fits_the_phone
from tests.factories import LibraryDocumentFactory, LibraryPageFactory, MaterialPageFactory, StandardPageFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(live_server):
    home = ensure_site_tree()
    library = LibraryPageFactory(parent=home, show_in_menus=True)
    document = LibraryDocumentFactory(
        title="Посібник",
        file__filename="posibnyk.pdf",
        file__data=demo_files.make_pdf("Енергетика", ["Генератори для лікарні працюють 72 години без підвезення."]),
    )
    MaterialPageFactory(
        parent=library, title="Енергетична стійкість лікарні", slug="posibnyk", kind="guide", document=document
    )
    MaterialPageFactory(parent=library, title="Енергетичний аудит школи", slug="audyt", kind="template")
    StandardPageFactory(parent=home, title="Енергетика громади", slug="enerhetyka")
    sync_language_trees()
    return live_server.url


def test_typing_suggests_titles_and_picking_one_opens_it(site, desktop):
    desktop.goto(site + "/")
    # With its list of suggestions the box is a combobox to assistive technology.
    box = desktop.get_by_role("combobox", name="Пошук на сайті")
    box.press_sequentially("енергетичн", delay=30)
    options = desktop.locator("datalist option")
    options.first.wait_for(state="attached")
    assert sorted(options.evaluate_all("list => list.map(option => option.value)")) == [
        "Енергетична стійкість лікарні",
        "Енергетичний аудит школи",
    ]
    box.fill("Енергетичний аудит школи")
    box.dispatch_event("input")  # as when a suggestion is picked from the list
    desktop.wait_for_url("**/library/audyt/")


def test_the_library_suggests_materials_only(site, desktop):
    desktop.goto(site + "/library/")
    box = desktop.get_by_role("combobox", name="Пошук у матеріалах і в тексті їхніх файлів")
    box.press_sequentially("енергет", delay=30)
    desktop.locator("datalist option").first.wait_for(state="attached")
    values = desktop.locator("datalist option").evaluate_all("list => list.map(option => option.value)")
    assert "Енергетика громади" not in values and len(values) == 2


def test_search_and_facets_work_without_javascript(site, without_javascript):
    page = without_javascript
    page.goto(site + "/")
    page.get_by_role("searchbox", name="Пошук на сайті").fill("генератори лікарня")
    page.get_by_role("searchbox", name="Пошук на сайті").press("Enter")
    page.wait_for_url("**/search/?q=*")
    assert page.locator(".search-hit__title").all_inner_texts() == ["Енергетична стійкість лікарні"]
    assert "У документі:" in page.locator(".search-hit__passage").inner_text()
    page.goto(site + "/search/?q=енергетика")
    facets = page.get_by_role("navigation", name="Фільтри результатів")
    facets.get_by_role("link", name="Звичайні сторінки").click()
    assert page.locator(".search-hit__title").all_inner_texts() == ["Енергетика громади"]


@pytest.mark.parametrize("path", ["/search/?q=енергетика", "/en/search/?q=energy", "/library/?q=аудит"])
def test_results_fit_a_phone(site, phone, path):
    assert_fits_the_phone(phone, site + path)
