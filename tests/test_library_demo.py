"""The demo warehouse: enough real material in every section, files the extractor reads."""

import json
from pathlib import Path

import pytest

from library.demo import make_file, material_data, material_slugs
from library.extraction import extract_isolated
from library.models import FileLanguage, MaterialKind

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def items():
    return material_data()


def test_at_least_400_materials_across_every_section_and_many_speakers(items):
    sections = {
        s["title"]["uk"] for s in json.loads((ROOT / "sections/demo_data/sections.json").read_text())["sections"]
    }
    speakers = {
        s["name"]["uk"] for s in json.loads((ROOT / "speakers/demo_data/speakers.json").read_text())["speakers"]
    }
    assert len(items) >= 400
    named_sections = {item["section"] for item in items} | {s for item in items for s in item.get("also_sections", [])}
    assert named_sections == sections
    named_speakers = {item["speaker"] for item in items if item["speaker"]}
    assert named_speakers <= speakers
    assert len(named_speakers) >= 50
    assert len(set(material_slugs(items))) == len(items)


def test_every_kind_format_and_language_and_a_few_video_links(items):
    assert {item["kind"] for item in items} == set(MaterialKind.values)
    assert {item["format"] for item in items} == {"pdf", "docx", "pptx", "xlsx", "video"}
    assert {item["file_language"] for item in items} <= set(FileLanguage.values)
    assert {item["file_language"] for item in items} >= {"uk", "en"}
    videos = [item for item in items if item["format"] == "video"]
    assert 3 <= len(videos) <= 20
    assert all(item["video_url"].startswith("https://") for item in videos)
    assert all(item["title"]["uk"] and item["title"]["en"] and item["summary"]["en"] for item in items)


@pytest.mark.parametrize(
    ("file_format", "language"), [(f, lang) for f in ("pdf", "docx", "pptx", "xlsx") for lang in ("uk", "en")]
)
def test_each_kind_of_file_is_read_back_in_its_language(items, tmp_path, file_format, language):
    item = next(i for i in items if i["format"] == file_format and i["file_language"] == language)
    data, filename = make_file(item, "sample")
    path = tmp_path / filename
    path.write_bytes(data)
    extraction = extract_isolated(path, file_format)
    assert extraction.status == "done", extraction.error
    # PDF text comes back in lines as laid out on the page.
    assert " ".join(item["content"]["heading"].split()) in " ".join(extraction.text.split())
    assert extraction.title == item["title"][language]
