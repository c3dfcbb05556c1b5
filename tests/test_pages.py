"""The page tree rules and the rendering of the site shell's pages in both languages."""

import pytest
from wagtail.blocks import StructBlockValidationError
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail_factories import DocumentFactory, ImageFactory
from wagtail_localize.synctree import create_aliases_for_new_page

from communities.models import NeedIndexPage
from events.models import EventIndexPage
from home.blocks import LinkBlock
from home.models import HomePage, StandardPage
from library.models import LibraryPage
from sections.models import SectionIndexPage
from speakers.models import SpeakerIndexPage
from tests.factories import StandardPageFactory


class TestPageTreeRules(WagtailPageTestCase):
    def test_home_page_sits_at_the_root_only(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertCanCreateAt(Page, HomePage)
        self.assertCanNotCreateAt(StandardPage, HomePage)
        self.assertCanNotCreateAt(HomePage, HomePage)

    def test_home_page_children(self):
        self.assertAllowedSubpageTypes(
            HomePage, {StandardPage, SectionIndexPage, SpeakerIndexPage, LibraryPage, EventIndexPage, NeedIndexPage}
        )

    def test_standard_page_sits_under_home_or_another_standard_page(self):
        self.assertAllowedParentPageTypes(StandardPage, {HomePage, StandardPage})
        self.assertAllowedSubpageTypes(StandardPage, {StandardPage})
        self.assertCanCreateAt(HomePage, StandardPage)
        self.assertCanNotCreateAt(Page, StandardPage)


@pytest.mark.django_db
class TestRendering:
    def test_home_renders_in_ukrainian_with_lang_uk(self, client, home):
        response = client.get("/")
        assert response.status_code == 200
        assert '<html lang="uk">' in response.content.decode()
        assert response.context["page"].specific == home

    def test_english_home_renders_with_lang_en(self, client, en_home):
        response = client.get("/en/")
        assert response.status_code == 200
        html = response.content.decode()
        assert '<html lang="en">' in html
        assert response.context["page"].id == en_home.id

    def test_interface_strings_follow_the_language(self, client, home):
        uk_html = client.get("/").content.decode()
        en_html = client.get("/en/").content.decode()
        assert "Перейти до основного вмісту" in uk_html
        assert "Skip to main content" in en_html
        assert "Skip to main content" not in uk_html

    def test_landmarks_and_skip_link(self, client, home):
        html = client.get("/").content.decode()
        assert 'href="#main"' in html
        assert '<main id="main"' in html
        assert "<header" in html and "<footer" in html
        assert 'role="search"' in html

    def test_standard_page_renders_its_body(self, client, home):
        page = StandardPageFactory(
            parent=home,
            title="Про платформу",
            slug="pro-platformu",
            body=[
                {"type": "heading", "value": {"text": "Як усе почалося", "level": "h2"}},
                {"type": "paragraph", "value": "<p>Платформа працює з 2022 року.</p>"},
                {"type": "quote", "value": {"quote": "Разом сильніші", "attribution": "Команда"}},
            ],
        )
        page.save_revision().publish()
        response = client.get("/pro-platformu/")
        assert response.status_code == 200
        html = response.content.decode()
        assert "<h1>Про платформу</h1>" in html
        assert '<h2 class="block-heading">Як усе почалося</h2>' in html
        assert "Платформа працює з 2022 року." in html
        assert "Разом сильніші" in html

    def test_translated_page_shows_english_text(self, client, home, translate):
        page = StandardPageFactory(parent=home, title="Як приєднатися", slug="yak-pryiednatysia", intro="Безкоштовно.")
        translate(page, {"Як приєднатися": "How to join", "Безкоштовно.": "Free of charge."})
        response = client.get("/en/yak-pryiednatysia/")
        assert response.status_code == 200
        html = response.content.decode()
        assert "<h1>How to join</h1>" in html
        assert "Free of charge." in html
        assert "has not been translated" not in html

    def test_untranslated_page_shows_ukrainian_text_with_a_notice(self, client, home):
        page = StandardPageFactory(parent=home, title="Партнерам", slug="partneram", intro="Для донорів.")
        create_aliases_for_new_page(page)  # what wagtail-localize does when an editor creates a page
        response = client.get("/en/partneram/")
        assert response.status_code == 200
        html = response.content.decode()
        assert '<html lang="en">' in html
        assert "has not been translated into English yet" in html
        # The Ukrainian text is marked as Ukrainian for screen readers.
        assert '<main id="main" tabindex="-1" lang="uk">' in html
        assert "<h1>Партнерам</h1>" in html
        # Search engines index the Ukrainian original, not its untranslated copy.
        assert '<meta name="robots" content="noindex">' in html

    def test_ukrainian_page_has_no_untranslated_notice(self, client, home):
        StandardPageFactory(parent=home, title="Партнерам", slug="partneram")
        html = client.get("/partneram/").content.decode()
        assert "has not been translated" not in html
        assert "ще не перекладено" not in html

    def test_meta_description_and_open_graph(self, client, home):
        StandardPageFactory(parent=home, title="Гранти", slug="hranty", search_description="Де шукати гранти.")
        html = client.get("/hranty/").content.decode()
        assert '<meta name="description" content="Де шукати гранти.">' in html
        assert '<meta property="og:title" content="Гранти">' in html
        assert '<meta property="og:locale" content="uk_UA">' in html


@pytest.mark.django_db
class TestBlocks:
    def test_image_document_and_call_to_action_render(self, client, home):
        image = ImageFactory(title="Генератор")
        document = DocumentFactory(title="Методичка з енергостійкості")
        page = StandardPageFactory(
            parent=home,
            slug="bloky",
            body=[
                {
                    "type": "image",
                    "value": {"image": image.pk, "alt_text": "Генератор біля школи", "decorative": False},
                },
                {"type": "document_link", "value": {"document": document.pk, "label": ""}},
                {
                    "type": "call_to_action",
                    "value": {
                        "title": "Долучайтеся",
                        "text": "",
                        "button_label": "Зареєструватися",
                        "link": {"page": None, "url": "https://example.org/join"},
                    },
                },
            ],
        )
        page.save_revision().publish()
        html = client.get("/bloky/").content.decode()
        assert 'alt="Генератор біля школи"' in html
        assert 'loading="lazy"' in html
        assert f'href="{document.url}">Методичка з енергостійкості</a>' in html
        assert '<a class="button" href="https://example.org/join">Зареєструватися</a>' in html

    @pytest.mark.parametrize(
        ("value", "valid"),
        [
            ({"page": None, "url": ""}, False),
            ({"page": "home", "url": "https://example.org"}, False),
            ({"page": None, "url": "https://example.org"}, True),
            ({"page": "home", "url": ""}, True),
        ],
    )
    def test_a_link_is_a_page_or_an_address(self, home, value, valid):
        block = LinkBlock()
        data = block.to_python({"page": home.pk if value["page"] else None, "url": value["url"]})
        if valid:
            block.clean(data)
        else:
            with pytest.raises(StructBlockValidationError):
                block.clean(data)
