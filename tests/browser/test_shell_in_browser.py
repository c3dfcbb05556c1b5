"""The site shell in a real browser: phone layout, keyboard use, switching language."""

import pytest

from home.demo import load_site_pages
from home.site_setup import ensure_site_tree, sync_language_trees

# The live server reads what the test writes, so the test data must be committed.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(live_server):
    load_site_pages(ensure_site_tree(), log=lambda message: None)
    sync_language_trees()
    return live_server.url


@pytest.mark.parametrize("path", ["/", "/en/", "/pro-platformu/", "/en/yak-pryiednatysia/", "/en/nemaie/"])
def test_nothing_overflows_a_phone_screen(site, phone, path):
    assert_fits_the_phone(phone, site + path)


def assert_fits_the_phone(phone, url):
    phone.goto(url)
    # Against the screen's width: a phone browser widens its window to fit what overflows.
    assert phone.evaluate("document.documentElement.scrollWidth") <= phone.viewport_size["width"]


def test_skip_link_is_the_first_stop_and_moves_focus_to_the_content(site, desktop):
    desktop.goto(site + "/en/")
    desktop.keyboard.press("Tab")
    focused = desktop.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    desktop.keyboard.press("Enter")
    assert desktop.evaluate("document.activeElement.id") == "main"


def test_switching_language_keeps_the_reader_on_the_same_page(site, desktop):
    desktop.goto(site + "/yak-pryiednatysia/")
    desktop.get_by_role("navigation", name="Мова").get_by_role("link").click()
    desktop.wait_for_url(site + "/en/yak-pryiednatysia/")
    assert desktop.locator("h1").inner_text() == "How to join"
    assert desktop.locator("html").get_attribute("lang") == "en"


def test_search_works_without_javascript(site, without_javascript):
    page = without_javascript
    page.goto(site + "/en/")
    page.get_by_role("searchbox", name="Search the site").fill("donors")
    page.get_by_role("button", name="Search").first.click()
    page.wait_for_url("**/en/search/?q=donors")
    assert page.get_by_role("heading", name="For partners and donors").is_visible()
