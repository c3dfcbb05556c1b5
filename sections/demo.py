"""The 27 sections of the platform, in Ukrainian with their English translations."""

import json
from pathlib import Path

from home.demo import BilingualText, ensure_index, publish_translated
from home.text import latin_slug

from .models import SectionIndexPage, SectionPage

DATA_FILE = Path(__file__).parent / "demo_data" / "sections.json"


def load_sections(home, log):
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    index = ensure_index(home, SectionIndexPage, "sections", data["index"], log)
    existing = set(SectionPage.objects.child_of(index).values_list("slug", flat=True))
    created = 0
    total = len(data["sections"])
    for number, item in enumerate(data["sections"], start=1):
        slug = latin_slug(item["title"]["uk"])
        if slug in existing:
            continue
        text = BilingualText()
        page = SectionPage(
            slug=slug,
            title=text.uk(item["title"]),
            summary=text.uk(item["summary"]),
            kind=item["kind"],
            order=item["order"],
            icon=item["icon"],
            body=text.body(item["body"], {}),
            contact_email=item.get("contact_email", ""),
        )
        if "membership_note" in item:
            page.membership_note = text.rich_text(item["membership_note"])
        publish_translated(index, page, text)
        created += 1
        log(f"  [{number}/{total}] {page.title}")
    log(f"Sections: {created} created, {total - created} already there.")
