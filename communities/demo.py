"""Communities across every oblast and their needs of every category, urgency and status, in both languages."""

import datetime
import json
from pathlib import Path

from django.conf import settings
from wagtail.models import Locale

from home.demo import BilingualText, ensure_index, publish_translated
from home.text import latin_slug
from home.translation import translate_page

from .models import Community, NeedIndexPage, NeedPage

DATA_DIR = Path(__file__).parent / "demo_data"
SLUG_LENGTH = 70


def demo_data(sample=None):
    """The communities and needs; with ``sample``, the first needs and only their communities (the tests')."""
    communities = json.loads((DATA_DIR / "communities.json").read_text(encoding="utf-8"))["communities"]
    needs = json.loads((DATA_DIR / "needs.json").read_text(encoding="utf-8"))["needs"]
    if sample:
        needs = needs[:sample]
        codes = {need["community"] for need in needs}
        communities = [community for community in communities if community["code"] in codes]
    return communities, needs


def _load_communities(items, locales, log):
    source = Locale.objects.get(language_code=settings.LANGUAGE_CODE)
    existing = {c.code: c for c in Community.objects.filter(locale=source)}
    created = 0
    for item in items:
        if item["code"] in existing:
            continue
        text = BilingualText()
        community = Community(
            locale=source,
            name=text.uk(item["name"]),
            oblast=item["oblast"],
            kind=item["kind"],
            population=item.get("population"),
            code=item["code"],
        )
        community.full_clean()
        community.save()
        for locale in locales:
            translate_page(community, locale, text.translations, publish=False)
        existing[community.code] = community
        created += 1
    log(f"Communities: {created} created, {len(items) - created} already there.")
    return existing


def _need(item, community, slug):
    text = BilingualText()
    contact = item.get("contact", {})
    page = NeedPage(
        slug=slug,
        title=text.uk(item["title"]),
        community=community,
        category=item["category"],
        description=text.uk(item["description"]),
        quantity=text.uk(item["quantity"]),
        urgency=item["urgency"],
        status=item["status"],
        opened_on=datetime.date.fromisoformat(item["opened"]),
        status_changed_on=datetime.date.fromisoformat(item["status_changed"]),
        contact_name=text.uk(contact["name"]) if "name" in contact else "",
        contact_role=text.uk(contact["role"]) if "role" in contact else "",
        contact_email=contact.get("email", ""),
        contact_phone=contact.get("phone", ""),
        contact_visibility=item.get("show_contact", "on_request"),
        updates=[
            {"type": "update", "value": {"date": update["date"], "text": text.uk(update["text"])}}
            for update in item.get("updates", [])
        ],
    )
    return page, text


def load_communities_and_needs(home, log):
    index_data = json.loads((DATA_DIR / "index.json").read_text(encoding="utf-8"))
    index = ensure_index(home, NeedIndexPage, "needs", index_data["index"], log)
    locales = list(Locale.objects.exclude(language_code=settings.LANGUAGE_CODE))
    community_items, need_items = demo_data(settings.NEEDS_DEMO_SAMPLE)
    communities = _load_communities(community_items, locales, log)

    known = set(NeedPage.objects.child_of(index).values_list("title", flat=True))
    taken = set(NeedPage.objects.child_of(index).values_list("slug", flat=True))
    created = 0
    for number, item in enumerate(need_items, start=1):
        if item["title"]["uk"] in known:
            continue
        community = communities[item["community"]]
        base = slug = (
            f"{latin_slug(item['title']['uk'])[:SLUG_LENGTH].rstrip('-')}-{latin_slug(community.name)[:30]}".strip("-")
        )
        suffix = 2
        while slug in taken:
            slug, suffix = f"{base}-{suffix}", suffix + 1
        page, text = _need(item, community, slug)
        publish_translated(index, page, text)
        taken.add(slug)
        known.add(item["title"]["uk"])
        created += 1
        if created % 25 == 0:
            log(f"  [{number}/{len(need_items)}] {page.title}")
    log(f"Needs: {created} created, {len(need_items) - created} already there.")
