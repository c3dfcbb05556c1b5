"""The site shell: navigation, footer settings and a bounded number of queries per page."""

import pytest
from wagtail.models import Site

from home.models import SiteSettings
from tests.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


def test_main_navigation_lists_menu_pages_of_the_active_language(client, home, translate):
    about = StandardPageFactory(parent=home, title="Про платформу", slug="pro-platformu", show_in_menus=True)
    translate(about, {"Про платформу": "About the platform"})
    StandardPageFactory(parent=home, title="Прихована", slug="pryhovana", show_in_menus=False)
    uk_html = client.get("/").content.decode()
    en_html = client.get("/en/").content.decode()
    assert '<a href="/pro-platformu/">Про платформу</a>' in uk_html
    assert "Прихована" not in uk_html
    assert '<a href="/en/pro-platformu/">About the platform</a>' in en_html


def test_current_section_is_marked_in_the_navigation(client, home):
    StandardPageFactory(parent=home, title="Про платформу", slug="pro-platformu", show_in_menus=True)
    html = client.get("/pro-platformu/").content.decode()
    assert '<a href="/pro-platformu/" aria-current="page">Про платформу</a>' in html


def test_footer_shows_the_contacts_editors_set(client, home):
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.contact_email = "info@rishennia.example.org"
    site_settings.contact_phone = "+380 44 123 45 67"
    site_settings.social_links = [
        {"type": "link", "value": {"network": "telegram", "url": "https://t.me/rishennia"}},
        {"type": "link", "value": {"network": "linkedin", "url": "https://www.linkedin.com/company/rishennia"}},
    ]
    site_settings.save()
    html = client.get("/en/").content.decode()
    assert 'href="mailto:info@rishennia.example.org"' in html
    assert 'href="tel:+380441234567"' in html
    assert '<a href="https://t.me/rishennia" rel="noopener">Telegram</a>' in html
    assert ">LinkedIn</a>" in html


@pytest.mark.parametrize("url", ["/", "/en/", "/storinka-0/"])
def test_page_query_count_does_not_grow_with_content(
    client, home, translate, django_assert_max_num_queries, django_assert_num_queries, url
):
    def add_menu_pages(count, start):
        for number in range(start, start + count):
            page = StandardPageFactory(
                parent=home, title=f"Сторінка {number}", slug=f"storinka-{number}", show_in_menus=True
            )
            translate(page, {f"Сторінка {number}": f"Page {number}"})

    add_menu_pages(2, 0)
    assert client.get(url).status_code == 200  # fills the caches every later request finds full
    with django_assert_max_num_queries(15) as with_few_pages:
        client.get(url)
    # Read now: every request clears Django's query log.
    queries_with_few_pages = len(with_few_pages.captured_queries)
    add_menu_pages(25, 2)
    client.get(url)
    with django_assert_num_queries(queries_with_few_pages):
        client.get(url)
