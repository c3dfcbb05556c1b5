import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.viewsets.pages import PageListingViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from sections.holdings import SECTION_HOLDINGS_HOOK

from .demo import load_communities_and_needs
from .holdings import SectionNeeds
from .katotth import Oblast
from .models import Community, NeedCategory, NeedPage, NeedStatus, Urgency


@hooks.register(SECTION_HOLDINGS_HOOK)
def register_section_needs():
    return SectionNeeds()


class CommunityFilterSet(WagtailFilterSet):
    oblast = django_filters.MultipleChoiceFilter(
        label=_("Oblast"), choices=Oblast.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Community
        fields = ["kind"]


class CommunityViewSet(SnippetViewSet):
    model = Community
    icon = "group"
    menu_label = _("Communities")
    menu_order = 150
    add_to_admin_menu = True
    list_display = ["name", "oblast", "kind", "population", "code"]
    filterset_class = CommunityFilterSet
    ordering = ["oblast", "name"]


register_snippet(CommunityViewSet)


class NeedFilterSet(PageListingViewSet.filterset_class):
    category = django_filters.MultipleChoiceFilter(
        label=_("Category"), choices=NeedCategory.choices, widget=forms.CheckboxSelectMultiple
    )
    urgency = django_filters.MultipleChoiceFilter(
        label=_("Urgency"), choices=Urgency.choices, widget=forms.CheckboxSelectMultiple
    )
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=NeedStatus.choices, widget=forms.CheckboxSelectMultiple
    )
    oblast = django_filters.MultipleChoiceFilter(
        label=_("Oblast"), field_name="community__oblast", choices=Oblast.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = NeedPage
        fields = []


class NeedListingViewSet(PageListingViewSet):
    model = NeedPage
    icon = "tasks"
    menu_label = _("Needs")
    menu_order = 155
    add_to_admin_menu = True
    filterset_class = NeedFilterSet


@hooks.register("register_admin_viewset")
def register_need_listing():
    return NeedListingViewSet("needs")


@hooks.register("load_demo_content", order=50)
def load_needs_demo_content(home, log):
    load_communities_and_needs(home, log)
