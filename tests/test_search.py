"""The site search: word forms in both languages, document text, ranking, facets, privacy,
languages, freshness of the index, suggestions, promotions, statistics and odd queries."""

import io
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import Page, PageViewRestriction
from wagtail_localize.synctree import create_aliases_for_new_page

from library import demo_files
from library.models import MaterialPage
from search.analysis import index_text, query_terms
from search.index import index_pages
from search.models import IndexEntry, UnansweredQuery
from search.results import type_labels
from sections.models import SectionKind
from tests.bulk import bulk_pages, bulk_relate
from tests.factories import (
    LibraryDocumentFactory,
    LibraryPageFactory,
    MaterialPageFactory,
    SectionIndexPageFactory,
    SectionPageFactory,
    StandardPageFactory,
    UserFactory,
)

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
    "громада " * 400,
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
    "'громада' | !енергетика & :*",
    "!!!???...",
    'grant* OR "громада" -енергетика',
]


def found(response):
    return [hit.page.title for hit in response.context["found"].page_obj.object_list]


def total(response):
    return response.context["found"].search.total


def search(client, query, prefix="", **params):
    return client.get(f"{prefix}/search/", {"q": query, **params})


@pytest.fixture
def pages(home, translate):
    energy = StandardPageFactory(parent=home, title="Енергетична стійкість громад", slug="enerhetyka")
    translate(energy, {"Енергетична стійкість громад": "Energy resilience of communities"})
    StandardPageFactory(parent=home, title="Громада без генераторів", slug="bez-heneratoriv")
    return energy


@pytest.fixture
def sections(home):
    index = SectionIndexPageFactory(parent=home)
    return {
        "energy": SectionPageFactory(parent=index, title="Енергетика", slug="", order=1),
        "club": SectionPageFactory(parent=index, title="Кабінет мера", slug="", order=5, kind=SectionKind.CLUB),
    }


@pytest.fixture
def library(home):
    return LibraryPageFactory(parent=home)


def document_with(filename, content):
    return LibraryDocumentFactory(title=filename, file__filename=filename, file__data=content)


class TestWordForms:
    # (what the page says, what the visitor types): each must find the other.
    PAIRS = [
        ("громада", "громади"),
        ("громадам", "громадою"),
        ("енергетична", "енергетичної"),
        ("енергетичну", "енергетична"),
        ("генератор", "генераторів"),
        ("лікарні", "лікарня"),
        ("grant", "grants"),
        ("granted", "grant"),
        ("applications", "application"),
    ]

    @pytest.mark.parametrize(("text", "query"), PAIRS + [(query, text) for text, query in PAIRS])
    def test_every_form_finds_the_others(self, client, home, text, query):
        StandardPageFactory(parent=home, title="Сторінка", slug="storinka", intro=f"Тут є слово {text}.")
        assert "Сторінка" in found(search(client, query))

    @pytest.mark.parametrize("query", ["сім'я", "сімʼя", "сім’я", "СІМ’Я", "сiм'я"])  # the last with a Latin i
    def test_apostrophes_case_and_look_alike_letters_do_not_matter(self, client, home, query):
        StandardPageFactory(parent=home, title="Підтримка", slug="pidtrymka", intro="Кожна сімʼя отримає допомогу.")
        assert found(search(client, query)) == ["Підтримка"]

    def test_i_and_yi_are_different_letters(self):
        assert not set(index_text("їжа").split()) & {"іжа"}
        assert query_terms("Їжа") == [frozenset({"їжа"})]

    def test_the_query_and_the_index_agree_on_lemmas(self):
        terms = query_terms("енергетичної стійкості громад")
        indexed = set(index_text("Енергетична стійкість громади").split())
        assert all(forms & indexed for forms in terms)

    def test_common_words_do_not_narrow_the_search(self, client, home):
        StandardPageFactory(parent=home, title="Генератори і лікарні", slug="heneratory")
        assert found(search(client, "генератори для лікарні")) == ["Генератори і лікарні"]


class TestInsideDocuments:
    PHRASE = "Сонячні колектори на дахах амбулаторій"

    @pytest.fixture(params=["pdf", "docx", "pptx"])
    def material(self, request, library):
        heading = "Технічні рішення"
        if request.param == "pdf":
            content = demo_files.make_pdf(heading, [f"{self.PHRASE} зменшують витрати."])
        elif request.param == "docx":
            content = demo_files.make_docx(heading, [f"{self.PHRASE} зменшують витрати."])
        else:
            content = demo_files.make_pptx(heading, [{"title": "Досвід", "bullets": [self.PHRASE]}])
        document = document_with(f"rishennia.{request.param}", content)
        return MaterialPageFactory(parent=library, title="Технічні рішення", summary="Огляд.", document=document)

    def test_a_phrase_only_inside_the_file_finds_the_material_with_its_passage(self, client, material):
        response = search(client, "сонячних колекторів амбулаторії")
        assert found(response) == ["Технічні рішення"]
        hit = response.context["found"].page_obj.object_list[0]
        assert hit.in_document
        assert "<mark>колектори</mark>" in hit.passage and "<mark>амбулаторій</mark>" in hit.passage
        html = response.content.decode()
        assert "<mark>Сонячні</mark> <mark>колектори</mark>" in html

    def test_a_replaced_file_is_searched_by_its_new_text(self, client, material):
        document = material.document
        document.file.save("nove.docx", io.BytesIO(demo_files.make_docx("Нове", ["Теплові насоси для басейнів."])))
        document._set_document_file_metadata()
        document.save()
        assert found(search(client, "тепловий насос")) == ["Технічні рішення"]
        assert total(search(client, "колектори")) == 0


class TestRanking:
    def test_titles_rank_above_body_text_above_document_text(self, client, home, library):
        document = document_with("voda.txt", "Водопостачання громади: насоси і труби.".encode())
        MaterialPageFactory(parent=library, title="Документ про труби", summary="Огляд.", document=document)
        StandardPageFactory(parent=home, title="Про воду", slug="pro-vodu", intro="Водопостачання села.")
        StandardPageFactory(parent=home, title="Водопостачання", slug="vodopostachannia", intro="Як це влаштовано.")
        assert found(search(client, "водопостачання")) == ["Водопостачання", "Про воду", "Документ про труби"]

    def test_results_are_labelled_by_type_and_counted(self, client, home, library, sections):
        MaterialPageFactory(parent=library, title="Енергетика шкіл", sections=[sections["energy"]])
        response = search(client, "енергетика")
        html = response.content.decode()
        assert total(response) == 2  # the section and the material
        assert '<p class="search-hit__type">Матеріал</p>' in html
        assert '<p class="search-hit__type">Розділ</p>' in html
        assert "2 результати" in html


class TestFacets:
    @pytest.fixture
    def materials(self, library, sections):
        energy = sections["energy"]
        return [
            MaterialPageFactory(parent=library, title="Котельні: посібник", kind="guide", year=2024, sections=[energy]),
            MaterialPageFactory(parent=library, title="Котельні: шаблон", kind="template", year=2025),
            MaterialPageFactory(
                parent=library, title="Котельні: звіт", kind="analytics", year=2025, file_language="en"
            ),
        ]

    def test_facets_count_and_combine(self, client, materials):
        html = search(client, "котельні").content.decode()
        assert re.search(r'kind=guide"[^>]*>Методичний посібник <span class="filter-count">1</span>', html)
        assert re.search(r'year=2025"[^>]*>2025 <span class="filter-count">2</span>', html)
        response = search(client, "котельні", year="2025")
        assert sorted(found(response)) == ["Котельні: звіт", "Котельні: шаблон"]
        html = response.content.decode()
        # The chosen facet still offers its other values, counted within the other choices.
        assert re.search(r'year=2024"[^>]*>2024 <span class="filter-count">1</span>', html)
        response = search(client, "котельні", year="2025", kind="template")
        assert found(response) == ["Котельні: шаблон"]
        assert found(search(client, "котельні", section="enerhetyka")) == ["Котельні: посібник"]
        assert found(search(client, "котельні", type="material", language="en")) == ["Котельні: звіт"]

    @pytest.mark.parametrize(
        "params",
        [{"kind": "nonsense"}, {"year": "99999"}, {"type": "x" * 300}, {"section": "\x00"}, {"speaker": "'; DROP"}],
    )
    def test_values_that_name_nothing_are_ignored(self, client, materials, params):
        response = search(client, "котельні", **params)
        assert response.status_code == 200
        assert total(response) == 3


class TestPrivacyAndLanguages:
    def test_club_material_never_appears_for_outsiders(self, client, library, sections):
        document = document_with("zakryte.txt", "Стратегія розвитку для мерів.".encode())
        MaterialPageFactory(parent=library, title="Закрита стратегія", document=document, sections=[sections["club"]])
        assert total(search(client, "стратегія")) == 0
        assert total(search(client, "закрита")) == 0
        client.force_login(UserFactory())
        assert total(search(client, "стратегія")) == 0

    def test_a_restricted_page_leaves_the_index_and_returns_when_opened(self, client, home):
        page = StandardPageFactory(parent=home, title="Внутрішні правила", slug="pravyla")
        restriction = PageViewRestriction.objects.create(page=page, restriction_type="login")
        assert total(search(client, "правила")) == 0
        restriction.delete()
        assert total(search(client, "правила")) == 1

    def test_languages_never_mix(self, client, pages):
        assert found(search(client, "стійкість")) == ["Енергетична стійкість громад"]
        assert found(search(client, "resilience", prefix="/en")) == ["Energy resilience of communities"]
        assert total(search(client, "стійкість", prefix="/en")) == 0
        assert total(search(client, "resilience")) == 0
        assert total(search(client, "генераторів", prefix="/en")) == 0  # a Ukrainian-only page

    def test_english_copies_do_not_double_ukrainian_results(self, client, home):
        page = StandardPageFactory(parent=home, title="Тільки українською", slug="tilky")
        create_aliases_for_new_page(page)
        assert total(search(client, "українською")) == 1
        assert total(search(client, "українською", prefix="/en")) == 0


class TestIndexStaysCurrent:
    def test_unpublished_moved_and_deleted_pages(self, client, home):
        page = StandardPageFactory(parent=home, title="Пожежна безпека", slug="pozhezhna")
        folder = StandardPageFactory(parent=home, title="Архів", slug="arkhiv")
        assert total(search(client, "пожежна")) == 1
        page.unpublish()
        assert total(search(client, "пожежна")) == 0
        page.save_revision().publish()
        assert total(search(client, "пожежна")) == 1
        PageViewRestriction.objects.create(page=folder, restriction_type="login")
        page.move(folder, pos="last-child")
        assert total(search(client, "пожежна")) == 0
        Page.objects.get(pk=folder.pk).view_restrictions.all().delete()
        assert total(search(client, "пожежна")) == 1
        Page.objects.get(pk=page.pk).delete()
        assert total(search(client, "пожежна")) == 0
        assert not IndexEntry.objects.filter(page_id=page.pk).exists()

    def test_update_index_rebuilds_with_progress(self, home, capsys):
        StandardPageFactory(parent=home, title="Пожежна безпека", slug="pozhezhna")
        IndexEntry.objects.all().delete()
        call_command("update_index", backend_name="site")
        output = capsys.readouterr().out
        assert "site: Rebuilding index" in output and "site: indexed" in output
        assert IndexEntry.objects.filter(page__title="Пожежна безпека").exists()


class TestHelpers:
    def test_suggestions_as_one_types(self, client, pages):
        response = client.get("/search/suggest/", {"q": "енергетичн"})
        assert response.status_code == 200
        assert [s["title"] for s in response.json()["suggestions"]] == ["Енергетична стійкість громад"]
        assert response.json()["suggestions"][0]["url"] == "/enerhetyka/"
        english = client.get("/en/search/suggest/", {"q": "resil"}).json()["suggestions"]
        assert [s["title"] for s in english] == ["Energy resilience of communities"]
        for query in ["", "a", '"*', "\x00", "гр" * 300]:
            assert client.get("/search/suggest/", {"q": query}).status_code == 200

    def test_did_you_mean_offers_a_near_spelling_that_finds_something(self, client, pages):
        response = search(client, "стийкість")
        assert total(response) == 0
        assert response.context["found"].did_you_mean == "стійкість"
        assert 'href="?q=%D1%81%D1%82%D1%96%D0%B9%D0%BA%D1%96%D1%81%D1%82%D1%8C"' in response.content.decode()
        assert search(client, "ксилофон").context["found"].did_you_mean is None

    def test_promoted_results_come_first(self, client, home, pages):
        target = StandardPageFactory(parent=home, title="Як отримати генератор", slug="yak")
        SearchPromotion.objects.create(query=Query.get("генератор"), page=target, description="Покроково.")
        html = search(client, "Генератор").content.decode()
        promoted = html.index("Рекомендує редакція")
        assert promoted < html.index("Громада без") and "Покроково." in html

    def test_queries_are_logged_and_those_without_results_too(self, client, pages):
        search(client, "Стійкість ")
        search(client, "стійкість", page="2")  # the same search, another page: not counted again
        search(client, "ксилофон")
        assert Query.get("стійкість").hits == 1
        assert UnansweredQuery.objects.get(query__query_string="ксилофон").hits == 1
        assert not UnansweredQuery.objects.filter(query__query_string="стійкість").exists()


class TestOddInput:
    @pytest.mark.parametrize("query", ODD_QUERIES)
    @pytest.mark.parametrize("prefix", ["", "/en"])
    def test_odd_queries_get_a_page_not_an_error(self, client, pages, query, prefix):
        response = client.get(f"{prefix}/search/", {"q": query, "page": "abc", "type": query[:300]})
        assert response.status_code == 200

    def test_long_query_is_cut_with_a_notice(self, client, pages):
        response = search(client, "енергетика " * 300)
        assert response.context["found"].truncated
        assert "лише його початок" in response.content.decode()

    def test_punctuation_only_asks_for_words(self, client, pages):
        assert "Введіть хоча б одне слово" in search(client, "?!…").content.decode()

    def test_query_is_escaped_in_the_page(self, client, pages):
        html = search(client, "<script>alert(1)</script>").content.decode()
        assert "<script>alert(1)</script>" not in html

    @pytest.mark.parametrize("page", ["0", "-1", "99999999999999999999999", "1.5", "", "Ⅻ"])
    def test_odd_page_numbers_get_a_page(self, client, pages, page):
        assert search(client, "громада", page=page).status_code == 200

    def test_page_number_out_of_range_gives_the_last_page(self, client, home):
        for number in range(12):
            StandardPageFactory(parent=home, title=f"Громада {number}", slug=f"hromada-{number}")
        response = search(client, "громада", page="999")
        assert response.context["found"].page_obj.number == 2

    def test_head_request_is_answered(self, client, home):
        assert client.head("/search/", {"q": "громада"}).status_code == 200


def queries_of(client, query, **params):
    with CaptureQueriesContext(connection) as captured:
        response = search(client, query, **params)
    assert response.status_code == 200
    return response, len(captured.captured_queries)


def test_a_results_page_runs_the_same_queries_for_20_or_2000_matches(client, library, sections):
    def add(count, prefix):
        made = bulk_pages(library, MaterialPage, count, prefix, summary="Котельні громади.", kind="guide")
        bulk_relate(MaterialPage, "sections", made, [sections["energy"]])
        index_pages(list(MaterialPage.objects.filter(pk__in=[page.pk for page in made])))

    add(20, "a")
    search(client, "котельні")  # the site root and the content types are cached from then on
    _response, few = queries_of(client, "котельні", kind="guide", section="enerhetyka")
    add(2000, "b")
    response, many = queries_of(client, "котельні", kind="guide", section="enerhetyka")
    assert total(response) == 2020
    assert many == few <= 30  # PostgreSQL adds a savepoint and a planner setting around the search


def test_page_types_come_from_the_models_not_a_list():
    labels = type_labels()
    assert {"material", "event", "speaker", "section", "need", "standard"} <= set(labels)


class TestLibrarySearch:
    def test_the_library_searches_its_materials_only_with_the_same_machinery(self, client, home, library, sections):
        document = document_with("kotli.txt", "Котли на твердому паливі для шкіл.".encode())
        MaterialPageFactory(parent=library, title="Опалення шкіл", document=document, sections=[sections["energy"]])
        StandardPageFactory(parent=home, title="Котли: новини", slug="kotly")
        response = client.get(library.url, {"q": "котел"})
        html = response.content.decode()
        assert response.status_code == 200
        assert [hit.page.title for hit in response.context["found"].page_obj.object_list] == ["Опалення шкіл"]
        assert "<mark>Котли</mark>" in html and "Котли: новини" not in html
        assert 'href="?q=%D0%BA%D0%BE%D1%82%D0%B5%D0%BB&amp;section=enerhetyka"' in html
        assert total(search(client, "котел")) == 2
        assert client.get(library.url, {"q": '"*'}).status_code == 200


def test_editors_see_the_searches_that_found_nothing(client, pages):
    search(client, "ксилофон")
    search(client, "ксилофон")
    search(client, "стійкість")
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    html = client.get("/admin/reports/searches-without-results/").content.decode()
    assert "ксилофон" in html and "стійкість" not in html
    assert re.search(r"ксилофон.*?>\s*2\s*<", html, re.S)
    terms = client.get(reverse("wagtailsearchpromotions:search_terms")).content.decode()
    assert "ксилофон" in terms and "стійкість" in terms
    client.force_login(UserFactory())
    assert client.get("/admin/reports/searches-without-results/").status_code in (302, 403)


def test_a_database_from_before_the_search_gets_its_index_on_setup(home):
    StandardPageFactory(parent=home, title="Пожежна безпека", slug="pozhezhna")
    IndexEntry.objects.all().delete()
    call_command("build_search_index", if_empty=True, verbosity=0)
    assert IndexEntry.objects.filter(page__title="Пожежна безпека").exists()
    IndexEntry.objects.filter(page__title="Пожежна безпека").delete()
    call_command("build_search_index", if_empty=True, verbosity=0)  # not empty: left as it is
    assert not IndexEntry.objects.filter(page__title="Пожежна безпека").exists()


def test_wagtails_query_api_on_the_site_backend_answers_from_the_admins(pages):
    found_pages = Page.objects.live().search("стійкість", backend="site")
    assert "Енергетична стійкість громад" in [page.title for page in found_pages]


@pytest.mark.parametrize("query", ['"', 'генератор"и', '"незакрита фраза', "'", "NEAR(", "a*"])
def test_the_admins_listings_answer_any_query(client, home, query):
    from tests.factories import CommunityFactory

    community = CommunityFactory(name="Охтирська міська громада")
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    for url in (
        "/admin/snippets/communities/community/",
        "/admin/snippets/choose/communities/community/",
        "/admin/documents/",
        "/admin/pages/search/",
    ):
        assert client.get(url, {"q": query}).status_code == 200, url
    listing = client.get("/admin/snippets/communities/community/", {"q": 'Охтирська"'}).content.decode()
    assert community.name in listing
