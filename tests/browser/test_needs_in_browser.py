"""The needs board in a real browser: phone layout, filters without JavaScript, the English side."""

import pytest

from home.site_setup import ensure_site_tree, sync_language_trees
from tests.browser.test_shell_in_browser import assert_fits_the_phone
from tests.factories import CommunityFactory, NeedIndexPageFactory, NeedPageFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(live_server):
    home = ensure_site_tree()
    board = NeedIndexPageFactory(parent=home, show_in_menus=True)
    kharkiv = CommunityFactory(
        name="Мереф’янська міська територіальна громада Харківського району",
        oblast="kharkiv",
        code="UA63120150000012345",
    )
    NeedPageFactory(
        parent=board,
        title="Генератори для амбулаторій загальної практики сімейної медицини",
        slug="heneratory",
        community=kharkiv,
        urgency="critical",
        contact_name="Олена Мельник",
        contact_email="olena.melnyk.zastupnytsia@merefa-hromada.example",
        contact_visibility="public",
    )
    NeedPageFactory(
        parent=board, title="Шкільний автобус", category="education", community=CommunityFactory(oblast="vinnytsia")
    )
    sync_language_trees()
    return live_server.url


@pytest.mark.parametrize(
    "path",
    [
        "/needs/",
        "/en/needs/",
        "/needs/heneratory/",
        "/needs/communities/",
        "/needs/communities/UA63120150000012345/",
        "/en/needs/communities/",
        "/en/needs/communities/UA63120150000012345/",
    ],
)
def test_nothing_overflows_a_phone_screen(site, phone, path):
    assert_fits_the_phone(phone, site + path)


def test_filters_work_without_javascript(site, without_javascript):
    page = without_javascript
    page.goto(site + "/needs/")
    page.get_by_role("navigation", name="Фільтри потреб").get_by_role("link", name="Критична").click()
    page.wait_for_url("**/needs/?urgency=critical")
    assert page.locator(".need-item__title").all_inner_texts() == [
        "Генератори для амбулаторій загальної практики сімейної медицини"
    ]


def test_on_a_phone_the_oblasts_fold_away_so_the_needs_come_first(site, phone):
    phone.goto(site + "/needs/")
    assert phone.locator("details.oblasts").evaluate("details => details.open") is False
    phone.get_by_text("Відкриті потреби за областями").click()
    assert phone.locator("details.oblasts").evaluate("details => details.open") is True


def test_an_english_visitor_reaches_a_community_that_has_no_english_copy(site, without_javascript):
    page = without_javascript
    page.goto(site + "/en/needs/heneratory/")
    page.get_by_role("link", name="Мереф’янська міська територіальна громада Харківського району").click()
    page.wait_for_url("**/en/needs/communities/UA63120150000012345/")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Мереф’янська міська територіальна громада Харківського району"
    )
