"""The site search box: the active language only, and a clear answer to any query."""

import pytest
from wagtail_localize.synctree import create_aliases_for_new_page

from tests.factories import StandardPageFactory

pytestmark = pytest.mark.django_db

ODD_QUERIES = [
    "",
    "   ",
    '"',
    '"громада',
    "\x00",
    "гром\x00ада",
    "*",
    "-",
    "AND",
    "OR NOT",
    "NEAR(громада енергетика)",
    "громада AND (енергетика OR гранти)",
    "title:громада",
    "енергетичнa стійкість",  # a Latin "a" inside a Cyrillic word
    "🔋⚡ генератори",
    "'",
    "ʼ’'",
    "%",
    "\\",
    "а" * 5000,
    "<script>alert(1)</script>",
    "Івано-Франківськ",
    "e-mail",
    "громада*",
    "гром:ада",
    "NEAR",
    "^громада",
    "{громада}",
    "громада\t\n\r",
    "\ufeff\u200b",
]


@pytest.fixture
def pages(home, translate):
    energy = StandardPageFactory(parent=home, title="Енергетична стійкість громад", slug="enerhetyka")
    translate(energy, {"Енергетична стійкість громад": "Energy resilience of communities"})
    StandardPageFactory(parent=home, title="Громада без генераторів", slug="bez-heneratoriv")
    return energy


@pytest.mark.parametrize("query", ODD_QUERIES)
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_odd_queries_get_a_page_not_an_error(client, pages, query, prefix):
    response = client.get(f"{prefix}/search/", {"q": query, "page": "abc"})
    assert response.status_code == 200


def test_finds_pages_of_the_active_language_only(client, pages):
    uk = client.get("/search/", {"q": "стійкість"})
    assert [page.title for page in uk.context["results_page"].object_list] == ["Енергетична стійкість громад"]
    en = client.get("/en/search/", {"q": "resilience"})
    assert [page.title for page in en.context["results_page"].object_list] == ["Energy resilience of communities"]
    assert client.get("/en/search/", {"q": "стійкість"}).context["results_page"].paginator.count == 0


def test_english_copies_do_not_double_ukrainian_results(client, home):
    page = StandardPageFactory(parent=home, title="Тільки українською", slug="tilky")
    create_aliases_for_new_page(page)
    assert client.get("/search/", {"q": "українською"}).context["results_page"].paginator.count == 1


def test_long_query_is_cut_with_a_notice(client, pages):
    response = client.get("/search/", {"q": "енергетика " * 100})
    assert response.status_code == 200
    assert response.context["query_was_truncated"]
    assert "only its beginning was searched" in response.content.decode() or "лише його початок" in (
        response.content.decode()
    )


def test_query_is_escaped_in_the_page(client, pages):
    html = client.get("/search/", {"q": "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert(1)</script>" not in html


@pytest.mark.parametrize("page", ["0", "-1", "99999999999999999999999", "1.5", "", "Ⅻ"])
def test_odd_page_numbers_get_a_page(client, pages, page):
    assert client.get("/search/", {"q": "громада", "page": page}).status_code == 200


def test_page_number_out_of_range_gives_the_last_page(client, home):
    for number in range(12):
        StandardPageFactory(parent=home, title=f"Громада {number}", slug=f"hromada-{number}")
    response = client.get("/search/", {"q": "громада", "page": "999"})
    assert response.status_code == 200
    assert response.context["results_page"].number == 2


def test_results_page_query_count_does_not_grow_with_matches(client, home, django_assert_max_num_queries):
    def add_pages(start, count):
        for number in range(start, start + count):
            StandardPageFactory(parent=home, title=f"Громада {number}", slug=f"hromada-{number}")

    add_pages(0, 12)
    client.get("/search/", {"q": "громада"})
    with django_assert_max_num_queries(25) as with_few_matches:
        client.get("/search/", {"q": "громада"})
    queries_with_few_matches = len(with_few_matches.captured_queries)  # read now: every request clears the log
    add_pages(12, 60)
    with django_assert_max_num_queries(queries_with_few_matches):
        response = client.get("/search/", {"q": "громада"})
    assert response.context["results_page"].paginator.count == 72


def test_head_request_is_answered(client, home):
    assert client.head("/search/", {"q": "громада"}).status_code == 200
