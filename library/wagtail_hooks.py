import django_filters
from django import forms
from django.contrib import messages
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.pages import PageListingViewSet

from sections.filters import SectionFilter
from sections.holdings import SECTION_HOLDINGS_HOOK, SPEAKER_HOLDINGS_HOOK

from .demo import load_materials
from .holdings import SectionMaterials, SpeakerMaterials
from .models import DocumentDownload, FileLanguage, LibraryDocument, MaterialKind, MaterialPage
from .privacy import CLUB_COLLECTION_NAME, put_club_files_back
from .reports import MostDownloadedView


@hooks.register(SECTION_HOLDINGS_HOOK)
def register_section_materials():
    return SectionMaterials()


@hooks.register(SPEAKER_HOLDINGS_HOOK)
def register_speaker_materials():
    return SpeakerMaterials()


def _counts_as_download(request):
    # A resumed download (a range past the start) or a HEAD probe is not another download.
    if request.method != "GET":
        return False
    requested_range = request.headers.get("Range", "")
    return not requested_range or requested_range.replace(" ", "").startswith("bytes=0-")


@hooks.register("before_serve_document", order=100)
def count_download(document, request):
    # Wagtail's own privacy check runs first (order 0), and finds the file only after this hook:
    # a file missing from storage answers 404 and is not counted.
    if _counts_as_download(request) and document.file.storage.exists(document.file.name):
        DocumentDownload.record(document)


@hooks.register("after_bulk_action")
def keep_club_files_in_the_club(request, action_type, objects, action):
    # The bulk move updates the rows past LibraryDocument.save, which keeps club files closed otherwise.
    if action_type != "add_to_collection" or action.model is not LibraryDocument:
        return
    kept = put_club_files_back(objects)
    if kept:
        messages.warning(
            request,
            _(
                "Members-only materials of the club use these files, so they stay in the collection "
                "“%(collection)s”: %(titles)s."
            )
            % {"collection": CLUB_COLLECTION_NAME, "titles": ", ".join(document.title for document in kept)},
        )


class MaterialFilterSet(PageListingViewSet.filterset_class):
    kind = django_filters.MultipleChoiceFilter(
        label=_("Kind"), choices=MaterialKind.choices, widget=forms.CheckboxSelectMultiple
    )
    file_language = django_filters.MultipleChoiceFilter(
        label=_("Language of the file"), choices=FileLanguage.choices, widget=forms.CheckboxSelectMultiple
    )
    section = SectionFilter()

    class Meta:
        model = MaterialPage
        fields = []


class MaterialListingViewSet(PageListingViewSet):
    model = MaterialPage
    icon = "doc-full-inverse"
    menu_label = _("Materials")
    menu_order = 130
    add_to_admin_menu = True
    filterset_class = MaterialFilterSet


@hooks.register("register_admin_viewset")
def register_material_listing():
    return MaterialListingViewSet("materials")


@hooks.register("register_admin_urls")
def register_report_urls():
    return [
        path("reports/most-downloaded/", MostDownloadedView.as_view(), name="library_most_downloaded"),
        path(
            "reports/most-downloaded/results/",
            MostDownloadedView.as_view(results_only=True),
            name="library_most_downloaded_results",
        ),
    ]


class MostDownloadedMenuItem(MenuItem):
    def is_shown(self, request):
        return MostDownloadedView.permission_policy.user_has_any_permission(request.user, ["change", "choose"])


@hooks.register("register_reports_menu_item")
def register_most_downloaded_menu_item():
    return MostDownloadedMenuItem(
        _("Most downloaded"), reverse("library_most_downloaded"), icon_name="download", order=700
    )


@hooks.register("load_demo_content", order=30)
def load_materials_demo_content(home, log):
    load_materials(home, log)
