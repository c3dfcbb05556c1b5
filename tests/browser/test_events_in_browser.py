"""Events in a real browser: phone layout, the month view and the filters without JavaScript."""

import datetime

import pytest
from django.utils import timezone

from events.timing import in_kyiv
from home.site_setup import ensure_site_tree, sync_language_trees
from tests.browser.test_shell_in_browser import assert_fits_the_phone
from tests.factories import EventIndexPageFactory, EventPageFactory, SectionIndexPageFactory, SectionPageFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(live_server):
    home = ensure_site_tree()
    sections = SectionIndexPageFactory(parent=home)
    energy = SectionPageFactory(parent=sections, title="Енергетична стійкість", slug="", order=1)
    grants = SectionPageFactory(parent=sections, title="Грантова підтримка", slug="", order=2)
    index = EventIndexPageFactory(parent=home, show_in_menus=True)
    soon = timezone.now() + datetime.timedelta(days=2)
    EventPageFactory(
        parent=index,
        title="Модульні котельні та когенерація для лікарень і шкіл: практикум для енергоменеджерів",
        slug="kotelni",
        start=soon,
        sections=[energy],
        programme=[{"type": "item", "value": {"time": "10:00", "title": "Вступ", "description": ""}}],
    )
    EventPageFactory(
        parent=index, title="Грантові заявки", start=soon, format="offline", place="Вінниця", sections=[grants]
    )
    sync_language_trees()
    return live_server.url


@pytest.mark.parametrize("path", ["/events/", "/en/events/", "/events/kotelni/", "/events/?month=2026-03"])
def test_nothing_overflows_a_phone_screen(site, phone, path):
    assert_fits_the_phone(phone, site + path)


def test_the_month_view_and_filters_work_without_javascript(site, without_javascript):
    page = without_javascript
    page.goto(site + "/events/")
    page.get_by_role("navigation", name="Подання").get_by_role("link", name="Місяць").click()
    page.wait_for_url("**/events/?month=*")
    month = f"{in_kyiv(timezone.now() + datetime.timedelta(days=2)):%Y-%m}"
    if month not in page.url:  # the event falls into next month
        page.get_by_role("link", name="Наступний місяць").click()
    assert page.locator(".month__grid").get_by_text("Грантові заявки").count() == 1
    page.get_by_role("navigation", name="Фільтри подій").get_by_role("link", name="Наживо").click()
    assert "format=offline" in page.url and "month=" in page.url
    assert page.locator(".month__grid a").all_inner_texts()[0].endswith("Грантові заявки")
