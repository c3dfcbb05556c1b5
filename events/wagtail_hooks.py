import django_filters
from django import forms
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.pages import PageListingViewSet

from sections.filters import SectionFilter
from sections.holdings import SECTION_HOLDINGS_HOOK, SPEAKER_HOLDINGS_HOOK

from .demo import load_events
from .holdings import SectionEvents, SpeakerEvents
from .models import EventFormat, EventPage, EventSeriesPage
from .tasks import update_series_events
from .views import EventStatisticsView


# After wagtail-localize's own hook, which gives a page created in the admin its aliases in the other
# languages: a series published at once may have made its events before its aliases existed.
@hooks.register("after_create_page", order=1)
def alias_the_events_of_a_new_series(request, page):
    if isinstance(page.specific, EventSeriesPage) and page.live:
        update_series_events.enqueue(page.pk)


@hooks.register(SECTION_HOLDINGS_HOOK)
def register_section_events():
    return SectionEvents()


@hooks.register(SPEAKER_HOLDINGS_HOOK)
def register_speaker_events():
    return SpeakerEvents()


class EventFilterSet(PageListingViewSet.filterset_class):
    format = django_filters.MultipleChoiceFilter(
        label=_("Format"), choices=EventFormat.choices, widget=forms.CheckboxSelectMultiple
    )
    start = django_filters.DateFromToRangeFilter(label=_("Start"))
    section = SectionFilter()

    class Meta:
        model = EventPage
        fields = []


class EventListingViewSet(PageListingViewSet):
    model = EventPage
    icon = "date"
    menu_label = _("Events")
    menu_order = 140
    add_to_admin_menu = True
    filterset_class = EventFilterSet


@hooks.register("register_admin_viewset")
def register_event_listing():
    return EventListingViewSet("events")


@hooks.register("register_admin_urls")
def register_statistics_url():
    return [path("reports/event-statistics/", EventStatisticsView.as_view(), name="events_statistics")]


@hooks.register("register_reports_menu_item")
def register_statistics_menu_item():
    return MenuItem(_("Event statistics"), reverse("events_statistics"), icon_name="date", order=710)


@hooks.register("load_demo_content", order=40)
def load_events_demo_content(home, log):
    load_events(home, log)
