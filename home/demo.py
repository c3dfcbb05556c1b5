"""Bilingual demo content for the site shell: the home page and the pages about the platform.

Each text in ``demo_data/pages.json`` comes in both languages; the Ukrainian one is
published and the English one is entered through wagtail-localize, as editors do.
"""

import json
from pathlib import Path

from django.conf import settings
from wagtail.models import Locale

from .models import HomePage, StandardPage
from .translation import translate_page

DATA_FILE = Path(__file__).parent / "demo_data" / "pages.json"


class BilingualText:
    """Collects the Ukrainian text of a page and the English translation of each string."""

    def __init__(self):
        self.translations = {}

    def uk(self, pair):
        self.translations[pair["uk"]] = pair["en"]
        return pair["uk"]

    def rich_text(self, paragraphs):
        """Rich text of paragraphs, from ``{"uk": [...], "en": [...]}`` lists of equal length."""
        html = []
        for uk_text, en_text in zip(paragraphs["uk"], paragraphs["en"], strict=True):
            self.translations[uk_text] = en_text
            html.append(f"<p>{uk_text}</p>")
        return "".join(html)

    def body(self, blocks, pages_by_slug):
        stream = []
        for block in blocks:
            kind = block["type"]
            if kind == "heading":
                stream.append({"type": "heading", "value": {"text": self.uk(block), "level": "h2"}})
            elif kind == "paragraph":
                for uk_text, en_text in zip(block["uk"], block["en"], strict=True):
                    stream.append({"type": "paragraph", "value": self.rich_text({"uk": [uk_text], "en": [en_text]})})
            elif kind == "quote":
                value = {"quote": self.uk(block["quote"]), "attribution": self.uk(block["attribution"])}
                stream.append({"type": "quote", "value": value})
            elif kind == "call_to_action":
                value = {
                    "title": self.uk(block["title"]),
                    "text": self.uk(block["text"]),
                    "button_label": self.uk(block["button_label"]),
                    "link": {"page": pages_by_slug[block["page"]].pk, "url": ""},
                }
                stream.append({"type": "call_to_action", "value": value})
            else:
                raise ValueError(f"Unknown demo block type: {kind}")
        return stream


def _fill(page, data, pages_by_slug):
    text = BilingualText()
    page.title = text.uk(data["title"])
    page.intro = text.uk(data["intro"])
    for field in ("seo_title", "search_description"):
        if field in data:
            setattr(page, field, text.uk(data[field]))
    page.body = text.body(data["body"], pages_by_slug)
    return text


def publish_translated(parent, page, text):
    """Publishes ``page`` under ``parent`` and enters its English text through wagtail-localize."""
    parent.add_child(instance=page)
    page.save_revision().publish()
    for locale in Locale.objects.exclude(language_code=settings.LANGUAGE_CODE):
        translate_page(page, locale, text.translations)
    return page


def ensure_index(home, model, slug, data, log):
    """An app's index page under the home page (e.g. /sections/), created from ``data`` if missing."""
    index = model.objects.child_of(home).first()
    if index is None:
        text = BilingualText()
        index = model(
            slug=slug,
            title=text.uk(data["title"]),
            intro=text.uk(data["intro"]),
            search_description=text.uk(data["search_description"]),
            show_in_menus=True,
        )
        publish_translated(home, index, text)
        log(f"{index.title}: created.")
    return index


def load_site_pages(home, log):
    """Publishes the demo pages in Ukrainian with their English translations; skips those that exist."""
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    pages_by_slug = {}
    created = 0
    for page_data in data["pages"]:
        page = StandardPage.objects.child_of(home).filter(slug=page_data["slug"]).first()
        if page is None:
            page = StandardPage(slug=page_data["slug"], show_in_menus=page_data.get("show_in_menus", False))
            publish_translated(home, page, _fill(page, page_data, pages_by_slug))
            created += 1
        pages_by_slug[page.slug] = page

    if not home.body:
        home = HomePage.objects.get(pk=home.pk)
        text = _fill(home, data["home"], pages_by_slug)
        home.save_revision().publish()
        for locale in Locale.objects.exclude(language_code=settings.LANGUAGE_CODE):
            translate_page(home, locale, text.translations)
        created += 1
    log(f"Site pages: {created} created, {len(data['pages']) + 1 - created} already there.")
