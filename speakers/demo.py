"""At least sixty speakers of every kind, spread across the sections, in both languages."""

import json
from pathlib import Path

from django.conf import settings
from wagtail.models import Locale

from home.demo import BilingualText, ensure_index, publish_translated
from home.text import latin_slug
from home.translation import update_translations
from sections.models import SectionCurator, SectionIndexPage, SectionPage

from .models import SpeakerIndexPage, SpeakerPage

DATA_FILE = Path(__file__).parent / "demo_data" / "speakers.json"


def _speaker(item, sections_by_title):
    text = BilingualText()
    page = SpeakerPage(
        slug=latin_slug(item["name"]["uk"]),
        title=text.uk(item["name"]),
        kind=item["kind"],
        short_bio=text.uk(item["short_bio"]),
        bio=text.rich_text(item["bio"]),
        website=item.get("website", ""),
        contact_email=item.get("email", ""),
        show_contact_email=item.get("show_email", False),
        solutions=[
            {
                "type": "solution",
                "value": {
                    "title": text.uk(solution["title"]),
                    "description": text.uk(solution["description"]),
                    "link": solution.get("url", ""),
                    "price_note": text.uk(solution["price_note"]) if "price_note" in solution else "",
                },
            }
            for solution in item["solutions"]
        ],
    )
    for field in ("sort_name", "organisation", "position"):
        if field in item:
            setattr(page, field, text.uk(item[field]))
    page.sections = [sections_by_title[title] for title in item["sections"]]
    page.tags.add(*item.get("tags", []))
    return page, text


def load_speakers(home, log):
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    index = ensure_index(home, SpeakerIndexPage, "speakers", data["index"], log)
    section_index = SectionIndexPage.objects.child_of(home).first()
    sections_by_title = {section.title: section for section in SectionPage.objects.child_of(section_index)}
    existing = set(SpeakerPage.objects.child_of(index).values_list("slug", flat=True))
    created = 0
    curated = set()
    total = len(data["speakers"])
    for number, item in enumerate(data["speakers"], start=1):
        if latin_slug(item["name"]["uk"]) in existing:
            continue
        page, text = _speaker(item, sections_by_title)
        publish_translated(index, page, text)
        for title in item.get("curates", []):
            section = sections_by_title[title]
            SectionCurator.objects.create(section=section, speaker=page, sort_order=section.curators.count())
            curated.add(section)
        created += 1
        log(f"  [{number}/{total}] {page.title}")

    # A section shows its new curators once published again, and in English once synchronised.
    target_locales = Locale.objects.exclude(language_code=settings.LANGUAGE_CODE)
    for section in sorted(curated, key=lambda section: section.order):
        section.save_revision().publish()
        update_translations(section, target_locales)
    log(f"Speakers: {created} created, {total - created} already there; curators named in {len(curated)} sections.")
