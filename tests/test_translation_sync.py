"""Translations follow their Ukrainian source when it is published (pages) or saved (snippets)."""

import pytest
from wagtail_localize.models import Translation

from tests.factories import CommunityFactory, NeedIndexPageFactory, NeedPageFactory, StandardPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def board(home, translate):
    board = NeedIndexPageFactory(parent=home)
    translate(board, {"Потреби громад": "Community needs"})
    return board


@pytest.fixture
def community(home):
    return CommunityFactory(name="Охтирська міська громада", oblast="sumy", code="UA59020030000081430")


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()


class TestPages:
    def test_a_covered_need_leaves_the_english_board_with_its_translation_kept(
        self, client, board, community, translate
    ):
        need = NeedPageFactory(parent=board, title="Генератори для лікарні", community=community)
        translate(community, {"Охтирська міська громада": "Okhtyrka city hromada"})
        english = translate(need, {"Генератори для лікарні": "Generators for the hospital"})
        assert "Generators for the hospital" in client.get("/en/needs/").content.decode()

        need.status = "covered"
        need.urgency = "critical"
        publish(need)

        english.refresh_from_db()
        assert (english.status, english.urgency, english.live) == ("covered", "critical", True)
        assert english.title == "Generators for the hospital"
        assert "Generators for the hospital" not in client.get("/en/needs/").content.decode()
        assert english.get_latest_revision().content["status"] == "covered"

    def test_new_text_shows_in_ukrainian_until_translated(self, home, translate):
        page = StandardPageFactory(parent=home, title="Про платформу", slug="pro", intro="Вступ.")
        english = translate(page, {"Про платформу": "About", "Вступ.": "Introduction."})

        page.intro = "Новий вступ."
        page.slug = "pro-platformu"
        publish(page)

        english.refresh_from_db()
        assert (english.title, english.intro, english.slug) == ("About", "Новий вступ.", "pro-platformu")

    def test_an_unpublished_translation_gets_a_draft_and_stays_unpublished(self, home, translate):
        page = StandardPageFactory(parent=home, title="Про платформу", slug="pro")
        english = translate(page, {"Про платформу": "About"})
        english.unpublish()

        page.slug = "pro-platformu"
        publish(page)

        english.refresh_from_db()
        assert not english.live
        assert english.get_latest_revision().content["slug"] == "pro-platformu"

    def test_a_translation_no_longer_synced_is_left_alone(self, home, translate):
        page = StandardPageFactory(parent=home, title="Про платформу", slug="pro")
        english = translate(page, {"Про платформу": "About"})
        Translation.objects.filter(target_locale=english.locale).update(enabled=False)

        page.slug = "pro-platformu"
        publish(page)

        english.refresh_from_db()
        assert english.slug == "pro"

    def test_publishing_a_page_never_translated_costs_one_query(self, home, django_assert_max_num_queries):
        page = StandardPageFactory(parent=home, title="Про платформу", slug="pro")
        from home.translation import carry_over_to_translations

        with django_assert_max_num_queries(1):
            assert carry_over_to_translations(page) == []


class TestSnippets:
    def test_a_community_translation_follows_its_source(self, community, translate):
        english = translate(community, {"Охтирська міська громада": "Okhtyrka city hromada"})

        community.population = 47000
        community.kind = "settlement"
        community.save()

        english.refresh_from_db()
        assert (english.name, english.population, english.kind) == ("Okhtyrka city hromada", 47000, "settlement")
