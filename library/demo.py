"""Four hundred and more materials with real files, in every section and from many speakers.

Each material in ``demo_data/materials/*.json`` carries its text; the file of its format
(PDF, DOCX, PPTX, XLSX) is generated from that text here, without any system package,
and read back by the same extractor that reads editors' uploads. Titles and summaries
are entered in English through wagtail-localize, as editors do.
"""

import datetime
import json
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from home.demo import BilingualText, ensure_index, publish_translated
from home.text import latin_slug
from sections.models import SectionIndexPage, SectionPage
from speakers.models import SpeakerIndexPage, SpeakerPage

from . import demo_files
from .importing import store_document
from .models import LibraryPage, MaterialPage

DATA_DIR = Path(__file__).parent / "demo_data"
SLUG_LENGTH = 80


def material_data(per_section=None):
    """The demo materials; with ``per_section``, only the first few of each section (the tests' sample)."""
    items = []
    for part in sorted((DATA_DIR / "materials").glob("*.json")):
        items.extend(json.loads(part.read_text(encoding="utf-8"))["materials"])
    if per_section:
        seen = Counter()
        sample = []
        for item in items:
            seen[item["section"]] += 1
            if seen[item["section"]] <= per_section:
                sample.append(item)
        items = sample
    return items


def material_slugs(items):
    """Each item's slug from its Ukrainian title; a repeated title gets a number."""
    slugs, seen = [], set()
    for item in items:
        base = slug = latin_slug(item["title"]["uk"])[:SLUG_LENGTH].rstrip("-")
        number = 2
        while slug in seen:
            slug, number = f"{base}-{number}", number + 1
        seen.add(slug)
        slugs.append(slug)
    return slugs


def make_file(item, slug):
    """The bytes and the file name of a material's document, from its text."""
    content, title = item["content"], item["title"][item["file_language"]]
    file_format = item["format"]
    if file_format == "pdf":
        data = demo_files.make_pdf(content["heading"], content["paragraphs"], title=title)
    elif file_format == "docx":
        data = demo_files.make_docx(content["heading"], content["paragraphs"], title=title)
    elif file_format == "pptx":
        data = demo_files.make_pptx(content["heading"], content["slides"], title=title)
    elif file_format == "xlsx":
        data = demo_files.make_xlsx(content["heading"], content["columns"], content["rows"], title=title)
    else:
        raise ValueError(f"Unknown demo file format: {file_format}")
    return data, f"{slug}.{file_format}"


def publication_date(item, number):
    """A stable date within the material's year, none later than today, so the listing has an order."""
    today = timezone.localdate()
    day_of_year = (number * 37) % 360
    date = datetime.date(item["year"], 1, 1) + datetime.timedelta(days=day_of_year)
    if date > today:
        date = today - datetime.timedelta(days=number % 60)
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time(9 + number % 8, (number * 7) % 60)))


def _material(item, slug, number, sections_by_title, speakers_by_name):
    text = BilingualText()
    page = MaterialPage(
        slug=slug,
        title=text.uk(item["title"]),
        summary=text.uk(item["summary"]),
        kind=item["kind"],
        file_language=item["file_language"],
        year=item["year"],
        video_url=item.get("video_url", ""),
        speaker=speakers_by_name.get(item.get("speaker")),
    )
    page.first_published_at = publication_date(item, number)
    if item["format"] != "video":
        data, filename = make_file(item, slug)
        page.document, _created = store_document(data, filename, item["title"][item["file_language"]])
    page.sections = [sections_by_title[title] for title in [item["section"], *item.get("also_sections", [])]]
    page.tags.add(*item.get("tags", []))
    return page, text


def load_materials(home, log):
    data = json.loads((DATA_DIR / "library.json").read_text(encoding="utf-8"))
    index = ensure_index(home, LibraryPage, "library", data["index"], log)
    section_index = SectionIndexPage.objects.child_of(home).first()
    speaker_index = SpeakerIndexPage.objects.child_of(home).first()
    sections_by_title = {section.title: section for section in SectionPage.objects.child_of(section_index)}
    speakers_by_name = {speaker.title: speaker for speaker in SpeakerPage.objects.child_of(speaker_index)}
    existing = set(MaterialPage.objects.child_of(index).values_list("slug", flat=True))

    items = material_data(settings.LIBRARY_DEMO_PER_SECTION)
    created = 0
    for number, (item, slug) in enumerate(zip(items, material_slugs(items), strict=True), start=1):
        if slug in existing:
            continue
        page, text = _material(item, slug, number, sections_by_title, speakers_by_name)
        publish_translated(index, page, text)
        # The English page keeps the source's date, so both listings have the same order.
        MaterialPage.objects.filter(translation_key=page.translation_key).update(
            first_published_at=page.first_published_at
        )
        created += 1
        if created % 25 == 0 or number == len(items):
            log(f"  [{number}/{len(items)}] {page.title}")
    log(f"Materials: {created} created, {len(items) - created} already there.")
