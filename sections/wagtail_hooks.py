import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.pages import PageListingViewSet

from .access import closed_by_group
from .demo import load_sections
from .models import FiledInSections, SectionKind, SectionPage


@hooks.register("before_serve_page")
def explain_closed_sections(page, request, serve_args, serve_kwargs):
    # Runs before Wagtail's own check, which would only send the visitor to a login form:
    # outside the club one sees who the section is for and how to join, never its content.
    if isinstance(page, SectionPage) and page.is_closed_to(request):
        return page.serve_members_only(request)
    # A page filed under the club (a material, an event) says the same, in its own language.
    if isinstance(page, FiledInSections) and page.members_only and closed_by_group(page, request):
        return page.serve_to_outsider(request)
    return None


class SectionFilterSet(PageListingViewSet.filterset_class):
    kind = django_filters.MultipleChoiceFilter(
        label=_("Kind"), choices=SectionKind.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = SectionPage
        fields = []


class SectionListingViewSet(PageListingViewSet):
    model = SectionPage
    icon = "folder-open-inverse"
    menu_label = _("Sections")
    menu_order = 110
    add_to_admin_menu = True
    filterset_class = SectionFilterSet


@hooks.register("register_admin_viewset")
def register_section_listing():
    return SectionListingViewSet("sections")


@hooks.register("load_demo_content", order=10)
def load_sections_demo_content(home, log):
    load_sections(home, log)
