"""Sections and speakers in a real browser: phone layout and filters with and without JavaScript."""

import pytest

from home.site_setup import ensure_site_tree, sync_language_trees
from sections.models import SectionKind
from speakers.models import SpeakerKind
from tests.browser.test_shell_in_browser import assert_fits_the_phone
from tests.factories import SectionIndexPageFactory, SectionPageFactory, SpeakerIndexPageFactory, SpeakerPageFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(live_server):
    home = ensure_site_tree()
    sections = SectionIndexPageFactory(parent=home, show_in_menus=True)
    energy = SectionPageFactory(parent=sections, title="Енергетична стійкість", slug="", order=1)
    grants = SectionPageFactory(parent=sections, title="Грантова підтримка", slug="", order=2)
    SectionPageFactory(parent=sections, title="Кабінет мера", slug="", order=5, kind=SectionKind.CLUB)
    speakers = SpeakerIndexPageFactory(parent=home, show_in_menus=True)
    SpeakerPageFactory(
        parent=speakers,
        title="Регіональний центр енергоефективності та сталого розвитку громад Житомирщини",
        slug="tsentr",
        kind=SpeakerKind.PUBLIC_BODY,
        sections=[energy, grants],
        solutions=[
            {
                "type": "solution",
                "value": {
                    "title": "Енергоаудит",
                    "description": "Обстеження будівель.",
                    "link": "https://tsentr.example/audyt-budivel-dlia-hromad-ta-komunalnykh-pidpryiemstv",
                    "price_note": "",
                },
            }
        ],
    )
    SpeakerPageFactory(parent=speakers, title="Аліна Бондар", kind=SpeakerKind.EXPERT, sections=[energy])
    SpeakerPageFactory(parent=speakers, title="Фонд «Світанок»", kind=SpeakerKind.DONOR, sections=[grants])
    sync_language_trees()
    return live_server.url


@pytest.mark.parametrize(
    "path",
    [
        "/sections/",
        "/en/sections/",
        "/sections/enerhetychna-stiikist/",
        "/en/sections/kabinet-mera/",
        "/speakers/",
        "/en/speakers/?kind=expert",
        "/speakers/tsentr/",
    ],
)
def test_nothing_overflows_a_phone_screen(site, phone, path):
    assert_fits_the_phone(phone, site + path)


def test_on_a_phone_the_filters_fold_away_and_open_on_demand(site, phone):
    phone.goto(site + "/speakers/")
    filters = phone.get_by_role("link", name="Донор")
    assert not filters.is_visible()
    phone.get_by_text("Фільтри").click()
    assert filters.is_visible()


def test_filters_combine_without_javascript(site, without_javascript):
    page = without_javascript
    page.goto(site + "/speakers/")
    page.get_by_role("navigation", name="Фільтри спікерів").get_by_role("link", name="Експерт").click()
    page.wait_for_url("**/speakers/?kind=expert")
    page.get_by_role("navigation", name="Фільтри спікерів").get_by_role("link", name="Енергетична стійкість").click()
    page.wait_for_url("**/speakers/?kind=expert&section=enerhetychna-stiikist")
    assert page.locator(".speaker-card__name").all_inner_texts() == ["Аліна Бондар"]
    assert "1 спікер" in page.locator(".result-count").inner_text()
