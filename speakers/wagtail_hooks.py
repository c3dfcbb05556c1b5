import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.pages import PageListingViewSet

from sections.filters import SectionFilter
from sections.holdings import SECTION_HOLDINGS_HOOK

from .demo import load_speakers
from .holdings import SectionSpeakers
from .models import SpeakerKind, SpeakerPage


@hooks.register(SECTION_HOLDINGS_HOOK)
def register_section_speakers():
    return SectionSpeakers()


class SpeakerFilterSet(PageListingViewSet.filterset_class):
    kind = django_filters.MultipleChoiceFilter(
        label=_("Kind"), choices=SpeakerKind.choices, widget=forms.CheckboxSelectMultiple
    )
    section = SectionFilter()

    class Meta:
        model = SpeakerPage
        fields = []


class SpeakerListingViewSet(PageListingViewSet):
    model = SpeakerPage
    icon = "user"
    menu_label = _("Speakers")
    menu_order = 120
    add_to_admin_menu = True
    filterset_class = SpeakerFilterSet


@hooks.register("register_admin_viewset")
def register_speaker_listing():
    return SpeakerListingViewSet("speakers")


@hooks.register("load_demo_content", order=20)
def load_speakers_demo_content(home, log):
    load_speakers(home, log)
