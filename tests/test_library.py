"""The warehouse: materials, their files and text, the listing's facets, club privacy, downloads."""

import io
import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.http import Http404
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfWriter
from wagtail.models import Collection, PageViewRestriction
from wagtail.test.utils import WagtailPageTestCase

from home.models import HomePage
from home.site_setup import sync_language_trees
from home.views import serve_public_media
from library import demo_files, tasks
from library.models import DocumentDownload, LibraryDocument, LibraryPage, MaterialKind, MaterialPage, MaterialTag
from library.privacy import CLUB_COLLECTION_NAME, club_collection
from sections.access import MAYORS_GROUP_NAME
from sections.models import SectionKind, SectionPage
from speakers.models import SpeakerPage
from tests.bulk import bulk_pages, bulk_relate
from tests.factories import (
    LibraryDocumentFactory,
    LibraryPageFactory,
    MaterialPageFactory,
    SectionIndexPageFactory,
    SectionPageFactory,
    SpeakerIndexPageFactory,
    SpeakerPageFactory,
    UserFactory,
)
from tests.test_extraction import password_protected_docx, truncated_docx, zip_bomb_docx

pytestmark = pytest.mark.django_db

UKRAINIAN_PARAGRAPHS = [
    "Енергетична стійкість громади починається з аудиту котелень і шкіл.",
    "Генератори для лікарні мають працювати не менше 72 годин без підвезення пального.",
]


def titles_in_order(html):
    return re.findall(r'<h3 class="material-item__title"><a href="[^"]+">([^<]+)</a></h3>', html)


@pytest.fixture
def sections(home):
    index = SectionIndexPageFactory(parent=home)
    return {
        "energy": SectionPageFactory(parent=index, title="Енергетична стійкість", slug="", order=1),
        "grants": SectionPageFactory(parent=index, title="Грантова підтримка", slug="", order=2),
        "club": SectionPageFactory(parent=index, title="Кабінет мера", slug="", order=5, kind=SectionKind.CLUB),
    }


@pytest.fixture
def speakers(home, sections):
    index = SpeakerIndexPageFactory(parent=home)
    return {
        "olena": SpeakerPageFactory(parent=index, title="Олена Коваленко", sections=[sections["energy"]]),
        "fund": SpeakerPageFactory(parent=index, title="Фонд «Світанок»", sections=[sections["grants"]]),
    }


@pytest.fixture
def library(home):
    return LibraryPageFactory(parent=home, intro="Матеріали для громад.")


@pytest.fixture
def pdf_document():
    content = demo_files.make_pdf("Енергетична стійкість", UKRAINIAN_PARAGRAPHS, title="Посібник з енергетики")
    return LibraryDocumentFactory(title="Посібник з енергетики", file__filename="posibnyk.pdf", file__data=content)


@pytest.fixture
def mayor(client):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=MAYORS_GROUP_NAME))
    return user


class TestCreationRules(WagtailPageTestCase):
    def test_the_library_lives_under_the_home_page_once_and_holds_materials(self):
        self.assertCanCreateAt(HomePage, LibraryPage)
        self.assertAllowedParentPageTypes(LibraryPage, {HomePage})
        self.assertAllowedSubpageTypes(LibraryPage, {MaterialPage})
        self.assertAllowedParentPageTypes(MaterialPage, {LibraryPage})
        self.assertAllowedSubpageTypes(MaterialPage, {})
        assert LibraryPage.max_count_per_parent == 1

    def test_a_material_needs_a_file_or_a_recording(self):
        material = MaterialPage(title="Без файлу", summary="…", kind=MaterialKind.GUIDE)
        with pytest.raises(ValidationError) as error:
            material.clean()
        assert "document" in error.value.message_dict
        video = MaterialPage(title="Запис", summary="…", kind=MaterialKind.VIDEO, document=LibraryDocumentFactory())
        with pytest.raises(ValidationError) as error:
            video.clean()
        assert "video_url" in error.value.message_dict


class TestTextExtraction:
    def test_an_uploaded_pdf_is_read_with_its_preview(self, pdf_document):
        pdf_document.refresh_from_db()
        assert pdf_document.extraction_status == "done"
        assert "Генератори для лікарні" in pdf_document.extracted_text
        assert pdf_document.extracted_title == "Посібник з енергетики"
        assert pdf_document.page_count == 1
        assert pdf_document.preview.name.endswith(".png")
        assert pdf_document.extracted_hash == pdf_document.file_hash

    def test_a_replaced_file_is_read_again_and_a_renamed_one_is_not(self, pdf_document, monkeypatch):
        reads = []
        read = tasks.extract_isolated
        monkeypatch.setattr(
            tasks, "extract_isolated", lambda path, extension: reads.append(extension) or read(path, extension)
        )
        pdf_document.refresh_from_db()  # as the admin's form loads it: with its text read
        pdf_document.title = "Нова назва"
        pdf_document.save()
        pdf_document.refresh_from_db()
        assert reads == []
        assert "Генератори" in pdf_document.extracted_text
        pdf_document.file.save("novyi.docx", io.BytesIO(demo_files.make_docx("Гранти", ["Грантові заявки громад."])))
        pdf_document._set_document_file_metadata()
        pdf_document.save()
        pdf_document.refresh_from_db()
        assert reads == ["docx"]
        assert pdf_document.extracted_text.startswith("Гранти")
        assert "Генератори" not in pdf_document.extracted_text
        assert pdf_document.page_count == 0 and not pdf_document.preview

    def test_an_encrypted_pdf_is_saved_with_the_reason(self):
        writer = PdfWriter()
        writer.add_blank_page(200, 200)
        writer.encrypt(user_password="sekret", owner_password="sekret")
        buffer = io.BytesIO()
        writer.write(buffer)
        document = LibraryDocumentFactory(file__filename="zakryto.pdf", file__data=buffer.getvalue())
        document.refresh_from_db()
        assert document.extraction_status == "failed"
        assert "encrypted" in document.extraction_error
        assert document.extracted_text == ""

    def test_a_corrupt_pdf_is_saved_with_the_reason(self):
        content = demo_files.make_pdf("Заголовок", UKRAINIAN_PARAGRAPHS)
        document = LibraryDocumentFactory(file__filename="bytyi.pdf", file__data=content[: len(content) // 3])
        document.refresh_from_db()
        assert document.extraction_status == "failed"
        assert document.extraction_error


@pytest.fixture
def admin_client(client, home):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


class TestUploadChecks:
    """Editors upload through Wagtail's document form, which checks type by content and size."""

    def upload(self, admin_client, name, content):
        return admin_client.post(
            reverse("wagtaildocs:add"),
            {
                "title": name,
                "file": SimpleUploadedFile(name, content),
                "collection": Collection.get_first_root_node().pk,
            },
        )

    def test_a_real_docx_is_accepted_and_read(self, admin_client):
        content = demo_files.make_docx("Грантові заявки", ["Як громаді підготувати грантові заявки до фонду."])
        response = self.upload(admin_client, "zaiavky.docx", content)
        assert response.status_code == 302
        document = LibraryDocument.objects.get(title="zaiavky.docx")
        assert document.extraction_status == "done"
        assert "підготувати грантові заявки" in document.extracted_text

    def test_a_file_whose_extension_lies_is_refused(self, admin_client):
        content = demo_files.make_docx("Грантові заявки", ["Текст."])
        response = self.upload(admin_client, "zaiavky.pdf", content)
        assert response.status_code == 200
        assert "DOCX" in response.content.decode()
        assert not LibraryDocument.objects.exists()

    def test_content_of_no_allowed_type_is_refused(self, admin_client):
        response = self.upload(admin_client, "zvit.pdf", b"MZ\x90\x00" + bytes(500))
        assert response.status_code == 200
        assert not LibraryDocument.objects.exists()

    def test_the_multiple_upload_checks_each_file_too(self, admin_client):
        url = reverse("wagtaildocs:add_multiple")
        collection = Collection.get_first_root_node().pk
        lying = SimpleUploadedFile("zvit.pdf", demo_files.make_xlsx("Звіт", ["Рядок"], [["1"]]))
        refused = admin_client.post(url, {"files[]": lying, "collection": collection}).json()
        assert not refused["success"] and "XLSX" in refused["error_message"]
        real = SimpleUploadedFile("zvit.xlsx", demo_files.make_xlsx("Звіт", ["Рядок"], [["1"]]))
        assert admin_client.post(url, {"files[]": real, "collection": collection}).json()["success"]
        assert LibraryDocument.objects.get().extraction_status == "done"

    @pytest.mark.parametrize(
        ("name", "make", "reason"),
        [
            ("bomba.docx", lambda: zip_bomb_docx(unpacked_megabytes=5), "the file may be a decompression bomb."),
            ("obirvanyi.docx", truncated_docx, "The file is damaged: "),
            ("zakhyshchenyi.docx", password_protected_docx, "The document is protected by a password"),
        ],
        ids=["zip-bomb", "truncated", "password"],
    )
    def test_a_file_no_reader_opens_is_stored_with_the_reason(self, admin_client, library, name, make, reason):
        assert self.upload(admin_client, name, make()).status_code == 302
        document = LibraryDocument.objects.get(title=name)
        assert document.extraction_status == "failed"
        assert reason in document.extraction_error
        material = add_material(library, title="Файл, який не читається", document=document)
        assert "Файл, який не читається" in admin_client.get(material.url).content.decode()
        assert admin_client.get(document.url).status_code == 200

    @override_settings(LIBRARY_MAX_UPLOAD_MB=1)
    def test_an_oversized_file_is_refused_and_the_limit_is_shown(self, admin_client):
        form_page = admin_client.get(reverse("wagtaildocs:add")).content.decode()
        assert "до 1 МБ" in form_page
        content = b"%PDF-1.7\n" + b"0" * (1024 * 1024 + 1)
        response = self.upload(admin_client, "velykyi.pdf", content)
        assert response.status_code == 200
        assert "більше за дозволені 1 МБ" in response.content.decode()
        assert not LibraryDocument.objects.exists()


def add_material(library, **kwargs):
    kwargs.setdefault("parent", library)
    return MaterialPageFactory(**kwargs)


class TestListing:
    @pytest.fixture
    def materials(self, library, sections, speakers):
        energy, grants = sections["energy"], sections["grants"]
        olena, fund = speakers["olena"], speakers["fund"]
        made = [
            add_material(library, title="Аудит котелень", kind="guide", year=2024, sections=[energy], speaker=olena),
            add_material(library, title="Грантовий календар", kind="template", year=2025, sections=[grants]),
            add_material(
                library,
                title="Energy donors report",
                kind="analytics",
                year=2025,
                file_language="en",
                sections=[energy, grants],
                speaker=fund,
            ),
            add_material(library, title="Сонячні станції", kind="presentation", year=2026, sections=[energy]),
        ]
        made[0].tags.add("котельні")
        made[0].save()
        made[3].tags.add("котельні", "сонце")
        made[3].save()
        return made

    def test_newest_first_with_what_each_item_shows(self, client, materials):
        html = client.get("/library/").content.decode()
        assert titles_in_order(html) == [
            "Сонячні станції",
            "Energy donors report",
            "Грантовий календар",
            "Аудит котелень",
        ]
        assert "4 матеріали" in html
        item = html[html.index("Аудит котелень") - 300 :]
        assert "Методичний посібник" in item[:600]
        assert "Енергетична стійкість" in item and "Олена Коваленко" in item
        assert "TXT" in item and "байт" in item  # type and size of the file
        assert "Українська" in item

    def test_facets_combine_and_count_what_the_others_leave(self, client, materials):
        html = client.get("/library/", {"section": "enerhetychna-stiikist", "year": "2025"}).content.decode()
        assert titles_in_order(html) == ["Energy donors report"]
        assert "1 матеріал" in html
        # The kind facet counts within the chosen section and year; the year facet within the section.
        assert re.search(r'kind=analytics"[^>]*>Аналітика <span class="filter-count">1</span>', html)
        assert re.search(r'year=2024"[^>]*>2024 <span class="filter-count">1</span>', html)
        assert 'href="?section=enerhetychna-stiikist&amp;year=2026"' in html
        assert 'href="?section=hrantova-pidtrymka&amp;year=2025"' in html  # a section link keeps the year

    def test_every_facet_filters(self, client, materials, speakers):
        cases = {
            "kind": ("presentation", ["Сонячні станції"]),
            "speaker": (speakers["fund"].slug, ["Energy donors report"]),
            "language": ("en", ["Energy donors report"]),
            "year": ("2024", ["Аудит котелень"]),
            "tag": ("котельні", ["Сонячні станції", "Аудит котелень"]),
            "section": ("hrantova-pidtrymka", ["Energy donors report", "Грантовий календар"]),
        }
        for param, (value, expected) in cases.items():
            html = client.get("/library/", {param: value}).content.decode()
            assert titles_in_order(html) == expected, param

    def test_values_that_name_nothing_are_ignored(self, client, materials):
        for params in (
            {"section": "nemaie"},
            {"kind": "poem"},
            {"year": "двадцять"},
            {"year": "١٢٣٤"},
            {"language": "fr"},
            {"speaker": "x" * 500},
            {"page": "999"},
            {"page": "-1"},
            {"tag": "a\x00b"},
        ):
            response = client.get("/library/", params)
            assert response.status_code == 200, params
        assert len(titles_in_order(client.get("/library/", {"kind": "poem"}).content.decode())) == 4

    def test_an_unknown_tag_shows_nothing_and_says_so(self, client, materials):
        html = client.get("/library/", {"tag": "немає-такого"}).content.decode()
        assert titles_in_order(html) == []
        assert "0 матеріалів" in html

    def test_pagination(self, client, library, sections):
        for number in range(23):
            add_material(library, title=f"Матеріал {number:02d}", sections=[sections["energy"]])
        first = client.get("/library/", {"section": "enerhetychna-stiikist"}).content.decode()
        assert len(titles_in_order(first)) == 20
        assert 'href="?section=enerhetychna-stiikist&amp;page=2"' in first
        second = client.get("/library/", {"section": "enerhetychna-stiikist", "page": 2}).content.decode()
        assert len(titles_in_order(second)) == 3
        assert "23 матеріали" in second

    def test_the_english_library_matches_sections_and_speakers_by_translation(
        self, client, library, materials, sections, speakers, translate
    ):
        translate(library, {"Склад рішень": "Warehouse", "Матеріали для громад.": "Materials."})
        translate(sections["energy"], {"Енергетична стійкість": "Energy resilience"})
        translate(speakers["olena"], {"Олена Коваленко": "Olena Kovalenko"})
        translate(materials[0], {"Аудит котелень": "Boiler house audit"})
        sync_language_trees()
        html = client.get("/en/library/", {"section": "enerhetychna-stiikist"}).content.decode()
        assert "Boiler house audit" in html
        assert "Energy resilience" in html and "Olena Kovalenko" in html
        assert "Methodological guide" in html


class TestMaterialPage:
    def test_shows_what_it_is_the_download_the_preview_and_the_speaker(
        self, client, library, sections, speakers, pdf_document
    ):
        material = add_material(
            library,
            title="Посібник з енергетики",
            summary="Як підготувати громаду до зими.",
            document=pdf_document,
            sections=[sections["energy"]],
            speaker=speakers["olena"],
        )
        html = client.get(material.url).content.decode()
        assert "Як підготувати громаду до зими." in html
        assert f'href="{pdf_document.url}"' in html
        assert re.search(r"Завантажити <span class=\"file-badge\">PDF, [\d,.]+\xa0Кб</span>", html)
        assert f'src="/documents/preview/{pdf_document.pk}.png"' in html
        assert "Олена Коваленко" in html and "Енергетична стійкість" in html
        preview = client.get(f"/documents/preview/{pdf_document.pk}.png")
        assert preview.status_code == 200 and preview["Content-Type"] == "image/png"
        assert b"".join(preview.streaming_content).startswith(b"\x89PNG")

    def test_related_materials_share_a_section_or_a_tag(self, client, library, sections):
        material = add_material(library, title="Основний", sections=[sections["energy"]])
        add_material(library, title="Той самий розділ", sections=[sections["energy"]])
        tagged = add_material(library, title="Той самий тег", sections=[sections["grants"]])
        add_material(library, title="Інше", sections=[sections["grants"]])
        material.tags.add("котельні")
        material.save()
        tagged.tags.add("котельні")
        tagged.save()
        html = client.get(material.url).content.decode()
        related = html[html.index('id="related-materials"') :]
        assert set(titles_in_order(related)) == {"Той самий розділ", "Той самий тег"}

    def test_a_video_material_links_its_recording(self, client, library):
        material = add_material(
            library, title="Запис вебінару", kind="video", document=None, video_url="https://video.example.org/1"
        )
        html = client.get(material.url).content.decode()
        assert 'href="https://video.example.org/1"' in html


class TestHoldings:
    def test_the_section_and_the_speaker_show_their_latest_materials_and_count(
        self, client, library, sections, speakers
    ):
        for number in range(8):
            add_material(
                library, title=f"Енергоматеріал {number}", sections=[sections["energy"]], speaker=speakers["olena"]
            )
        section_html = client.get(sections["energy"].url).content.decode()
        assert len(titles_in_order(section_html)) == 6
        assert "Енергоматеріал 7" in section_html
        assert 'href="/library/?section=enerhetychna-stiikist"' in section_html
        assert "Переглянути всі 8 матеріалів" in section_html
        speaker_html = client.get(speakers["olena"].url).content.decode()
        assert f'href="/library/?speaker={speakers["olena"].slug}"' in speaker_html
        index_html = client.get("/sections/").content.decode()
        assert "8 матеріалів" in index_html


class TestClubPrivacy:
    @pytest.fixture
    def club_material(self, library, sections, pdf_document):
        return add_material(library, title="Закрита стратегія", document=pdf_document, sections=[sections["club"]])

    def test_the_page_is_closed_and_explains_who_it_is_for(self, client, club_material):
        response = client.get(club_material.url)
        assert response.status_code == 403
        assert "Закрита стратегія" not in response.content.decode()
        assert club_material.members_only
        assert club_material.view_restrictions.filter(groups__name=MAYORS_GROUP_NAME).exists()

    def test_the_file_and_its_preview_do_not_leak(self, client, club_material, pdf_document):
        pdf_document.refresh_from_db()
        assert pdf_document.collection.name == CLUB_COLLECTION_NAME
        response = client.get(pdf_document.url)
        assert response.status_code == 302 and "login" in response["Location"]
        assert client.get(f"/documents/preview/{pdf_document.pk}.png").status_code == 404
        client.force_login(UserFactory())
        assert client.get(pdf_document.url).status_code in (302, 403)
        assert not DocumentDownload.objects.exists()

    def test_the_club_collection_cannot_be_opened_while_it_holds_club_files(self, client, club_material, pdf_document):
        pdf_document.refresh_from_db()
        pdf_document.collection.view_restrictions.all().delete()
        assert client.get(pdf_document.url).status_code == 302

    def test_the_media_folder_does_not_serve_documents(self, pdf_document):
        request = RequestFactory().get("/")
        for path in (pdf_document.file.name, f"x/../{pdf_document.file.name}", "document_previews/1.png"):
            with pytest.raises(Http404):
                serve_public_media(request, path)

    def test_outsiders_do_not_see_it_in_listings_or_counts(self, client, club_material, library, sections):
        add_material(library, title="Відкритий посібник", sections=[sections["energy"]])
        html = client.get("/library/").content.decode()
        assert titles_in_order(html) == ["Відкритий посібник"]
        assert "Кабінет мера" not in html
        assert "Закрита стратегія" not in client.get(sections["energy"].url).content.decode()

    def test_members_see_read_and_download_it(self, client, mayor, club_material, pdf_document):
        client.force_login(mayor)
        assert client.get(club_material.url).status_code == 200
        assert "Закрита стратегія" in client.get("/library/").content.decode()
        response = client.get(pdf_document.url)
        assert response.status_code == 200
        assert client.get(f"/documents/preview/{pdf_document.pk}.png")["Cache-Control"].startswith("private")
        assert DocumentDownload.objects.get(document=pdf_document).count == 1

    def test_the_english_translation_is_closed_too(self, client, club_material, translate, library):
        translate(library, {"Склад рішень": "Warehouse"})
        english = translate(club_material, {"Закрита стратегія": "Closed strategy"})
        assert english.members_only
        assert client.get(english.url).status_code == 403

    def test_leaving_the_club_opens_the_page_and_the_file(self, client, club_material, sections, pdf_document):
        club_material.sections.set([sections["energy"]])
        club_material.save_revision().publish()
        club_material.refresh_from_db()
        pdf_document.refresh_from_db()
        assert not club_material.members_only
        assert not PageViewRestriction.objects.filter(page=club_material).exists()
        assert pdf_document.collection == Collection.get_first_root_node()
        assert client.get(pdf_document.url).status_code == 200

    def test_the_admin_cannot_move_a_club_file_out_of_the_club(self, admin_client, club_material, pdf_document):
        response = admin_client.post(
            reverse("wagtaildocs:edit", args=[pdf_document.pk]),
            {"title": pdf_document.title, "collection": Collection.get_first_root_node().pk},
        )
        assert response.status_code == 200
        assert response.context["form"].has_error("collection", code="club_file")
        pdf_document.refresh_from_db()
        assert pdf_document.collection.name == CLUB_COLLECTION_NAME
        admin_client.logout()
        response = admin_client.get(pdf_document.url)
        assert response.status_code == 302 and "login" in response["Location"]

    def test_the_bulk_move_to_a_collection_leaves_club_files_in_the_club(
        self, admin_client, club_material, pdf_document
    ):
        public_file = LibraryDocumentFactory(collection=club_collection())  # not used by a club material
        url = reverse("wagtail_bulk_action", args=["library", "librarydocument", "add_to_collection"])
        response = admin_client.post(
            f"{url}?id={pdf_document.pk}&id={public_file.pk}&next={reverse('wagtaildocs:index')}",
            {"collection": Collection.get_first_root_node().pk},
            follow=True,
        )
        assert response.status_code == 200
        assert pdf_document.title in "".join(str(message) for message in response.context["messages"])
        pdf_document.refresh_from_db()
        public_file.refresh_from_db()
        assert pdf_document.collection.name == CLUB_COLLECTION_NAME
        assert public_file.collection == Collection.get_first_root_node()
        admin_client.logout()
        assert admin_client.get(pdf_document.url).status_code == 302

    def test_no_save_takes_a_club_file_out_of_the_club(self, client, club_material, pdf_document):
        pdf_document.collection = Collection.get_first_root_node()
        pdf_document.save()
        pdf_document.refresh_from_db()
        assert pdf_document.collection.name == CLUB_COLLECTION_NAME
        assert client.get(pdf_document.url).status_code == 302

    def test_a_club_draft_closes_its_new_file_before_it_is_published(self, client, club_material, pdf_document):
        new_file = LibraryDocumentFactory(title="Нова версія стратегії")
        assert client.get(new_file.url).status_code == 200
        club_material.document = new_file
        club_material.save_revision()
        new_file.refresh_from_db()
        assert new_file.collection.name == CLUB_COLLECTION_NAME
        assert client.get(new_file.url).status_code == 302
        assert MaterialPage.objects.get(pk=club_material.pk).document == pdf_document  # the draft is not published

    def test_a_public_draft_leaves_its_new_file_open(self, client, library, sections):
        material = add_material(library, title="Відкритий посібник", sections=[sections["energy"]])
        new_file = LibraryDocumentFactory()
        material.document = new_file
        material.save_revision()
        new_file.refresh_from_db()
        assert new_file.collection == Collection.get_first_root_node()


class TestDownloads:
    def test_downloads_are_counted_by_day_without_who(self, client, library, pdf_document):
        add_material(library, document=pdf_document)
        for _ in range(3):
            assert client.get(pdf_document.url).status_code == 200
        client.head(pdf_document.url)
        client.get(pdf_document.url, HTTP_RANGE="bytes=500-")
        counter = DocumentDownload.objects.get()
        assert counter.count == 3
        assert {field.name for field in DocumentDownload._meta.get_fields()} == {"id", "document", "day", "count"}

    def test_a_file_missing_from_storage_is_not_counted(self, client, library, pdf_document):
        add_material(library, document=pdf_document)
        pdf_document.file.storage.delete(pdf_document.file.name)
        assert client.get(pdf_document.url).status_code == 404
        assert not DocumentDownload.objects.exists()

    def test_editors_see_the_most_downloaded(self, admin_client, library):
        popular, rare = LibraryDocumentFactory(title="Популярний"), LibraryDocumentFactory(title="Рідкісний")
        for _ in range(5):
            admin_client.get(popular.url)
        admin_client.get(rare.url)
        html = admin_client.get(reverse("library_most_downloaded")).content.decode()
        assert html.index("Популярний") < html.index("Рідкісний")
        assert ">5<" in html.replace(" ", "").replace("\n", "")
        export = admin_client.get(reverse("library_most_downloaded"), {"export": "csv"})
        csv = b"".join(export.streaming_content).decode()
        assert "Популярний" in csv

    def test_the_report_needs_document_permissions(self, client, home):
        editor = UserFactory(is_staff=True)
        editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
        client.force_login(editor)
        assert client.get(reverse("library_most_downloaded")).status_code in (302, 403)


def facet_values(sections, speakers, document, count, prefix):
    """``count`` new sections, speakers, tags and documents for bulk materials to spread over."""
    from taggit.models import Tag

    files = LibraryDocument.objects.bulk_create(
        # One stored file behind them all: the pages read only the documents' rows.
        LibraryDocument(
            title=f"Файл {prefix}{n}",
            file=document.file.name,
            file_size=document.file_size,
            file_hash=f"{prefix}{n:039d}",
            collection=document.collection,
            extraction_status="done",
        )
        for n in range(count)
    )
    return {
        "sections": bulk_pages(
            sections["energy"].get_parent(),
            SectionPage,
            count,
            f"rozdil-{prefix}",
            summary="Розділ для масових матеріалів.",
            order=lambda page: 100 + page.pk,
        ),
        "speakers": bulk_pages(speakers["olena"].get_parent(), SpeakerPage, count, f"spiker-{prefix}"),
        "tags": Tag.objects.bulk_create(Tag(name=f"тема {prefix}{n}", slug=f"tema-{prefix}{n}") for n in range(count)),
        "documents": files,
    }


def bulk_materials(library, count, values):
    """``count`` materials, each with a speaker, a document, two sections and two tags of ``values`` in turn."""

    def nth(name, page, step=0):
        return values[name][(page.pk + step) % len(values[name])]

    pages = bulk_pages(
        library,
        MaterialPage,
        count,
        "masovyi",
        summary="Масово.",
        kind=lambda page: list(MaterialKind.values)[page.pk % 7],
        year=lambda page: 2020 + page.pk % 6,
        document_id=lambda page: nth("documents", page).pk,
        speaker_id=lambda page: nth("speakers", page).pk,
    )
    bulk_relate(MaterialPage, "sections", pages, lambda page: {nth("sections", page), nth("sections", page, 1)})
    MaterialTag.objects.bulk_create(
        MaterialTag(content_object_id=page.pk, tag=tag)
        for page in pages
        for tag in {nth("tags", page), nth("tags", page, 2)}
    )


class TestQueryBounds:
    """The listing, a material, a section and a speaker cost the same with 20 materials as with 2,000.

    The materials spread over 5 speakers, documents, sections and tags at 20, over 50 at 2,000:
    a query for each facet value (or each section or speaker shown) would show as a difference.
    """

    def measure(self, client, urls):
        counts = {}
        for url in urls:
            assert client.get(url).status_code == 200, url  # fills the caches later requests find full
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            counts[url] = len(queries)
        return counts

    def test_query_counts_do_not_grow_with_materials(self, client, library, sections, speakers, pdf_document):
        energy = sections["energy"]
        target = add_material(
            library, title="Ціль", slug="target", document=pdf_document, sections=[energy], speaker=speakers["olena"]
        )
        target.tags.add("котельні")
        target.save()
        values = facet_values(sections, speakers, pdf_document, 5, "a")
        bulk_materials(library, 19, values)
        section, speaker, tag = values["sections"][0], values["speakers"][0], values["tags"][0]
        year = MaterialPage.objects.filter(speaker_id=speaker.pk).values_list("year", flat=True).first()
        filtered = [
            f"/library/?section={section.slug}&tag={tag.slug}",
            f"/library/?speaker={speaker.slug}&year={year}&language=uk",
        ]
        for url in filtered:  # the same items at both sizes would prove little: these find some
            assert titles_in_order(client.get(url).content.decode()), url
        urls = [
            "/library/",
            *filtered,
            "/library/?page=3",
            target.url,
            energy.url,
            section.url,
            speakers["olena"].url,
            speaker.url,
            "/sections/",
            "/speakers/",
        ]
        with_twenty = self.measure(client, urls)
        more = facet_values(sections, speakers, pdf_document, 45, "b")
        bulk_materials(library, 1980, {name: values[name] + more[name] for name in values})
        assert MaterialPage.objects.count() == 2000
        assert LibraryDocument.objects.filter(materials__isnull=False).distinct().count() == 51
        with_two_thousand = self.measure(client, urls)
        assert with_two_thousand == with_twenty
        assert max(with_twenty.values()) <= 40


class TestPreviews:
    def test_a_preview_missing_from_storage_is_not_found(self, client, pdf_document):
        pdf_document.refresh_from_db()
        url = pdf_document.get_preview_url()
        assert client.get(url).status_code == 200
        pdf_document.preview.storage.delete(pdf_document.preview.name)
        assert client.get(url).status_code == 404

    def test_deleting_a_document_deletes_its_preview(self, pdf_document, django_capture_on_commit_callbacks):
        pdf_document.refresh_from_db()
        storage, name = pdf_document.preview.storage, pdf_document.preview.name
        assert storage.exists(name)
        with django_capture_on_commit_callbacks(execute=True):
            pdf_document.delete()
        assert not storage.exists(name)


class TestEditorsSeeTheExtraction:
    def test_the_document_page_says_what_became_of_the_text(self, admin_client):
        failed = LibraryDocumentFactory(file__filename="bytyi.pdf", file__data=b"%PDF-1.7\n" + bytes(300))
        failed.refresh_from_db()
        html = admin_client.get(reverse("wagtaildocs:edit", args=[failed.pk])).content.decode()
        assert "Не вдалося прочитати текст" in html
        assert failed.extraction_error.startswith("The file is damaged:")
        assert "Файл пошкоджено:" in html
        read = LibraryDocumentFactory()
        html = admin_client.get(reverse("wagtaildocs:edit", args=[read.pk])).content.decode()
        assert "Текст файлу прочитано для пошуку" in html

    def test_the_reason_is_in_the_editors_language(self, admin_client):
        bomb = LibraryDocumentFactory(file__filename="bomba.docx", file__data=zip_bomb_docx(unpacked_megabytes=5))
        bomb.refresh_from_db()
        assert "decompression bomb" in bomb.extraction_error  # stored in English
        html = admin_client.get(reverse("wagtaildocs:edit", args=[bomb.pk])).content.decode()
        assert "Частина файлу (word/document.xml) розпаковується" in html
        assert "decompression bomb" not in html


class TestEditing(WagtailPageTestCase):
    """Editors create and preview materials in the admin, unsaved sections and tags included."""

    def setUp(self):
        from home.site_setup import ensure_site_tree

        home = ensure_site_tree()
        section_index = SectionIndexPageFactory(parent=home)
        self.section = SectionPageFactory(parent=section_index, title="Енергетична стійкість", slug="")
        self.club = SectionPageFactory(parent=section_index, title="Кабінет мера", slug="", kind=SectionKind.CLUB)
        self.library = LibraryPageFactory(parent=home)
        self.document = LibraryDocumentFactory(title="Посібник")
        self.editor = self.login()

    def form_data(self, **values):
        from wagtail.test.utils.form_data import nested_form_data

        data = nested_form_data(
            {
                "title": "Модульні котельні: посібник",
                "slug": "модульні-котельні-посібник",  # as the admin pre-fills it from the title
                "summary": "Як обрати котельню.",
                "kind": "guide",
                "document": self.document.pk,
                "video_url": "",
                "file_language": "uk",
                "year": 2025,
                "tags": "котельні",
                **values,
            }
        )
        data["sections"] = [self.section.pk]  # a plain multiple choice, which nested_form_data would number
        return data

    def test_an_editor_publishes_a_material_with_a_latin_slug(self):
        data = self.form_data()
        data["action-publish"] = "action-publish"
        self.assertCanCreate(self.library, MaterialPage, data)
        material = MaterialPage.objects.get(title="Модульні котельні: посібник", locale__language_code="uk")
        assert material.slug == "modulni-kotelni-posibnyk"
        assert list(material.sections.all()) == [self.section] and material.live

    def test_a_year_in_the_future_or_without_a_file_is_a_form_error(self):
        response = self.client.post(
            reverse("wagtailadmin_pages:add", args=["library", "materialpage", self.library.pk]),
            self.form_data(year=2100, document=""),
        )
        assert response.status_code == 200
        form = response.context["form"]
        assert "year" in form.errors and "document" in form.errors
        assert not MaterialPage.objects.exists()

    def test_a_material_previews_with_unsaved_sections_and_tags(self):
        material = MaterialPageFactory(parent=self.library, title="Чернетка", document=self.document)
        self.assertPageIsPreviewable(material, post_data=self.form_data(title="Чернетка з розділом"))
        self.client.force_login(self.editor)  # the assertion signed its own user out
        self.client.post(f"/admin/pages/{material.pk}/edit/preview/", self.form_data(title="Чернетка з розділом"))
        html = self.client.get(f"/admin/pages/{material.pk}/edit/preview/").content.decode()
        assert "Чернетка з розділом" in html and "Енергетична стійкість" in html

    def test_a_club_draft_saved_in_the_admin_closes_the_file_it_newly_chooses(self):
        material = MaterialPageFactory(parent=self.library, document=self.document, sections=[self.club])
        new_file = LibraryDocumentFactory(title="Нова версія")
        data = self.form_data(slug=material.slug, document=new_file.pk)
        data["sections"] = [self.club.pk]
        response = self.client.post(reverse("wagtailadmin_pages:edit", args=[material.pk]), data)
        assert response.status_code == 302
        new_file.refresh_from_db()
        assert new_file.collection.name == CLUB_COLLECTION_NAME
        assert MaterialPage.objects.get(pk=material.pk).has_unpublished_changes  # saved as a draft only

    def test_the_sections_offered_are_of_the_material_language(self):
        response = self.client.get(reverse("wagtailadmin_pages:add", args=["library", "materialpage", self.library.pk]))
        choices = [str(label) for _value, label in response.context["form"].fields["sections"].choices]
        assert choices == ["Енергетична стійкість", "Кабінет мера"]


def test_a_document_in_use_cannot_be_deleted_from_the_admin(admin_client, library):
    material = add_material(library)
    url = reverse("wagtaildocs:delete", args=[material.document.pk])
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url)
    assert response.status_code in (200, 302, 403)
    assert LibraryDocument.objects.filter(pk=material.document.pk).exists()


# The worker closes its database connection when it is done, as a separate process would:
# outside a test transaction, the test simply reconnects.
@pytest.mark.django_db(transaction=True)
@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_in_production_the_text_waits_for_the_database_worker(home):
    from django.core.management import call_command

    document = LibraryDocumentFactory(
        file__filename="chekaie.docx", file__data=demo_files.make_docx("Черга", ["Грантові заявки громад."])
    )
    document.refresh_from_db()
    assert document.extraction_status == "pending" and document.extracted_text == ""
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO(), stderr=io.StringIO())
    document.refresh_from_db()
    assert document.extraction_status == "done"
    assert "Грантові заявки громад." in document.extracted_text
