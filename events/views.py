import datetime

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.widgets import AdminDateInput
from wagtail.models import Locale

from sections.models import SectionPage

from .stats import event_statistics
from .timing import in_kyiv

#: The years a period may reach: the platform's and the foreseeable future, far from what the database holds.
FIRST_YEAR, LAST_YEAR = 2000, 2100


def validate_year(value):
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValidationError(
            _("Choose a date from %(first)s to %(last)s."), params={"first": FIRST_YEAR, "last": LAST_YEAR}
        )


class PeriodForm(forms.Form):
    date_from = forms.DateField(label=_("From"), widget=AdminDateInput, validators=[validate_year])
    date_to = forms.DateField(label=_("To"), widget=AdminDateInput, validators=[validate_year])
    section = forms.ModelChoiceField(
        label=_("Section"),
        queryset=SectionPage.objects.none(),
        required=False,
        empty_label=_("All sections"),
        # By the page's own id, which Django checks against the column's range: a lookup by the
        # primary key (the link to the page row) passes a huge number on to the database, where it fails.
        to_field_name="id",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = SectionPage.objects.filter(
            locale__language_code=settings.LANGUAGE_CODE
        ).order_by("order", "title")

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            raise forms.ValidationError(_("The period must start before it ends."))
        if date_from and date_to and (date_to - date_from).days > 366 * 10:
            raise forms.ValidationError(_("Choose a period of at most ten years."))
        return cleaned


def default_period():
    today = in_kyiv(timezone.now()).date()
    return today.replace(day=1) - datetime.timedelta(days=365), today


class EventStatisticsView(WagtailAdminTemplateMixin, TemplateView):
    page_title = _("Event statistics")
    header_icon = "date"
    template_name = "events/admin/statistics.html"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        date_from, date_to = default_period()
        form = PeriodForm(self.request.GET or {"date_from": date_from, "date_to": date_to})
        if form.is_valid():
            data = form.cleaned_data
            context["statistics"] = event_statistics(data["date_from"], data["date_to"], data["section"])
            context["period"] = data
        context["form"] = form
        return context


def calendar_feed(request):
    """/events/feed.ics (and /en/…): every public event of the language's calendar, or one section's."""
    from .calendar import calendar_feed as build_feed
    from .models import EventIndexPage

    index = EventIndexPage.objects.live().filter(locale=Locale.get_active()).first()
    if index is None:
        raise Http404
    return build_feed(index, request)


def event_calendar_file(request, event_id):
    """One event as a calendar file ("add to calendar"), under the same privacy as its page."""
    from .calendar import event_file
    from .models import EventPage

    # By the page's own id, which Django checks against the column's range (see PeriodForm.section).
    event = get_object_or_404(EventPage.objects.live(), id=event_id)
    if not all(restriction.accept_request(request) for restriction in event.get_view_restrictions()):
        raise Http404
    return event_file(event, request)
