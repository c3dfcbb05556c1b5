"""`manage.py import_materials FOLDER [--manifest FILE.csv]`."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from library import demo_files
from library.models import LibraryDocument, MaterialPage
from tests.factories import (
    LibraryPageFactory,
    SectionIndexPageFactory,
    SectionPageFactory,
    SpeakerIndexPageFactory,
    SpeakerPageFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(home):
    return LibraryPageFactory(parent=home)


@pytest.fixture
def energy(home):
    return SectionPageFactory(parent=SectionIndexPageFactory(parent=home), title="Енергетична стійкість", slug="")


@pytest.fixture
def speaker(home):
    return SpeakerPageFactory(parent=SpeakerIndexPageFactory(parent=home), title="Олена Коваленко", slug="olena")


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "posibnyk.pdf").write_bytes(
        demo_files.make_pdf("Енергетична стійкість", ["Генератори для лікарні та шкіл."], title="Посібник з енергетики")
    )
    (tmp_path / "zaiavky_na_granty.docx").write_bytes(demo_files.make_docx("Гранти", ["Грантові заявки громад."]))
    (tmp_path / "kotelni.pptx").write_bytes(
        demo_files.make_pptx("Модульні котельні", [{"title": "Чому", "bullets": ["Швидко", "Дешево"]}])
    )
    (tmp_path / "budget.xlsx").write_bytes(
        demo_files.make_xlsx("Budget", ["Item", "UAH"], [["Generators", 120000]], title="Budget plan")
    )
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(100))
    (tmp_path / ".hidden.pdf").write_bytes(b"%PDF-1.4")
    return tmp_path


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_materials", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


class TestWithoutManifest:
    def test_imports_every_allowed_file_titled_from_the_document_or_its_name(self, library, folder):
        output, progress = run(folder)
        assert "Created 4, skipped 0 (already there), failed 1." in output
        assert "photo.jpg" in output  # refused, with the reason
        assert "[1/5]" in progress and "[5/5]" in progress
        titles = set(MaterialPage.objects.filter(locale__language_code="uk").values_list("title", flat=True))
        assert titles == {"Посібник з енергетики", "Гранти", "Модульні котельні", "Budget plan"}
        pdf = MaterialPage.objects.get(title="Посібник з енергетики", locale__language_code="uk")
        assert pdf.live and pdf.file_language == "uk"
        assert "Генератори для лікарні" in pdf.summary
        assert MaterialPage.objects.get(title="Budget plan", locale__language_code="uk").file_language == "en"
        assert MaterialPage.objects.filter(kind="presentation", locale__language_code="uk").count() == 1
        assert MaterialPage.objects.filter(locale__language_code="en").count() == 4  # English aliases

    def test_a_second_run_creates_nothing(self, library, folder):
        run(folder)
        pages, documents = MaterialPage.objects.count(), LibraryDocument.objects.count()
        (folder / "copy-of-posibnyk.pdf").write_bytes((folder / "posibnyk.pdf").read_bytes())
        output, _progress = run(folder)
        assert "Created 0, skipped 5 (already there), failed 1." in output
        assert MaterialPage.objects.count() == pages
        assert LibraryDocument.objects.count() == documents

    def test_not_a_folder(self, library, tmp_path):
        with pytest.raises(CommandError):
            run(tmp_path / "nemaie")

    def test_needs_a_library(self, home, folder):
        with pytest.raises(CommandError, match="library"):
            run(folder)


class TestWithManifest:
    def test_takes_the_metadata_and_reports_bad_rows_by_line(self, library, folder, energy, speaker):
        manifest = folder / "manifest.csv"
        manifest.write_text(
            "file,title,kind,sections,speaker,language,year,tags\n"
            "posibnyk.pdf,Посібник для громад,guide,enerhetychna-stiikist,olena,uk,2025,генератори; лікарні\n"
            "kotelni.pptx,Котельні,poem,,,,,\n"
            "\n"
            "nemaie.pdf,Немає,guide,,,,,\n"
            "budget.xlsx,Бюджет,analytics,nevidomyi-rozdil,,en,2024,\n"
            "zaiavky_na_granty.docx,Заявки,template,,nevidomyi,uk,3000,\n"
            "photo.jpg,Фото,other,,,,,\n",
            encoding="utf-8",
        )
        output, _progress = run(folder, "--manifest", manifest)
        material = MaterialPage.objects.get(title="Посібник для громад", locale__language_code="uk")
        assert material.kind == "guide" and material.year == 2025 and material.speaker == speaker
        assert list(material.sections.all()) == [energy]
        assert set(material.tags.names()) == {"генератори", "лікарні"}
        assert MaterialPage.objects.filter(locale__language_code="uk").count() == 1
        assert "line 3: unknown kind 'poem'" in output
        assert "line 5: no file 'nemaie.pdf'" in output
        assert "line 6: no section with the slug 'nevidomyi-rozdil'" in output
        assert "line 7: no speaker with the slug 'nevidomyi'" in output
        assert "line 8 (photo.jpg)" in output
        assert "Created 1, skipped 0 (already there), failed 5." in output

    def test_reads_an_excel_manifest_in_cp1251_with_semicolons(self, library, folder, energy):
        manifest = folder / "manifest.csv"
        manifest.write_bytes(
            "file;title;kind;sections\r\nposibnyk.pdf;Посібник з енергетики;guide;enerhetychna-stiikist\r\n".encode(
                "cp1251"
            )
        )
        output, _progress = run(folder, "--manifest", manifest)
        assert "Created 1" in output
        assert MaterialPage.objects.get(locale__language_code="uk").sections.get() == energy

    def test_a_file_outside_the_folder_is_a_bad_row(self, library, folder, tmp_path_factory):
        outside = tmp_path_factory.mktemp("outside") / "secret.txt"
        outside.write_text("секрет")
        manifest = folder / "manifest.csv"
        manifest.write_text(f"file,title\n../{outside.parent.name}/secret.txt,Секрет\n", encoding="utf-8")
        output, _progress = run(folder, "--manifest", manifest)
        assert "line 2: no file" in output
        assert not MaterialPage.objects.exists()

    def test_a_manifest_without_a_file_column(self, library, folder):
        manifest = folder / "manifest.csv"
        manifest.write_text("name,title\nposibnyk.pdf,Посібник\n", encoding="utf-8")
        with pytest.raises(CommandError, match="'file' column"):
            run(folder, "--manifest", manifest)


def test_nul_bytes_in_a_manifest_are_dropped(library, folder):
    manifest = folder / "manifest.csv"
    manifest.write_text("file,title\nposibnyk.pdf,Посібник\x00 з енергетики\n", encoding="utf-8")
    output, _progress = run(folder, "--manifest", manifest)
    assert "Created 1" in output
    assert MaterialPage.objects.filter(title="Посібник з енергетики").exists()


class TestWhatCannotBeImported:
    def test_a_manifest_cell_too_long_for_csv_is_a_clear_error(self, library, folder):
        manifest = folder / "manifest.csv"
        manifest.write_text(f"file,title\nposibnyk.pdf,Посібник\nkotelni.pptx,{'я' * 200_000}\n", encoding="utf-8")
        with pytest.raises(CommandError, match=r"^manifest.csv: .*after line 2: field larger than field limit"):
            run(folder, "--manifest", manifest)

    def test_a_file_that_cannot_be_read_fails_alone(self, library, folder, monkeypatch):
        read_bytes = Path.read_bytes

        def failing_read(path):
            if path.name == "kotelni.pptx":
                raise OSError(5, "Input/output error")
            return read_bytes(path)

        monkeypatch.setattr(Path, "read_bytes", failing_read)
        output, _progress = run(folder)
        assert "Created 3, skipped 0 (already there), failed 2." in output
        assert "kotelni.pptx: OSError: [Errno 5] Input/output error" in output
        assert not MaterialPage.objects.filter(kind="presentation").exists()

    def test_an_oversized_file_is_refused_before_it_is_read(self, library, folder, monkeypatch, settings):
        settings.LIBRARY_MAX_UPLOAD_MB = 1
        (folder / "velykyi.pdf").write_bytes(b"%PDF-1.7\n" + bytes(2 * 1024 * 1024))
        read_bytes = Path.read_bytes

        def read_only_small_files(path):
            assert path.name != "velykyi.pdf", "an oversized file was read into memory"
            return read_bytes(path)

        monkeypatch.setattr(Path, "read_bytes", read_only_small_files)
        with translation.override("en"):
            output, _progress = run(folder)
        assert "velykyi.pdf: The file is 2 MB, larger than the 1 MB allowed." in output
        assert "Created 4, skipped 0 (already there), failed 2." in output

    def test_files_the_manifest_does_not_name_are_listed_and_left_alone(self, library, folder):
        manifest = folder / "manifest.csv"
        manifest.write_text("file,title\nposibnyk.pdf,Посібник\nphoto.jpg,Фото\n", encoding="utf-8")
        output, _progress = run(folder, "--manifest", manifest)
        assert "Created 1, skipped 0 (already there), failed 1." in output
        listed = output[output.index("Not in the manifest, left alone:") :].split()
        assert {"budget.xlsx", "kotelni.pptx", "zaiavky_na_granty.docx"} <= set(listed)
        assert "manifest.csv" not in listed and ".hidden.pdf" not in listed and "posibnyk.pdf" not in listed
        assert MaterialPage.objects.filter(locale__language_code="uk").count() == 1
