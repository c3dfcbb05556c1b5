"""Editors' report of the most downloaded documents, from the anonymous daily counters."""

import datetime

import django_filters
from django.db.models import Max, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.documents import get_document_model
from wagtail.documents.permissions import permission_policy as document_permission_policy

PERIODS = {"7": 7, "30": 30, "365": 365}


class DownloadPeriodFilterSet(WagtailFilterSet):
    period = django_filters.ChoiceFilter(
        label=_("Period"),
        choices=[("7", _("Last 7 days")), ("30", _("Last 30 days")), ("365", _("Last year"))],
        empty_label=_("All time"),
        method="keep",  # the period shapes the counts themselves, in get_queryset
    )

    class Meta:
        model = get_document_model()
        fields = []

    def keep(self, queryset, name, value):
        return queryset


class MostDownloadedView(ReportView):
    page_title = _("Most downloaded")
    header_icon = "download"
    index_url_name = "library_most_downloaded"
    index_results_url_name = "library_most_downloaded_results"
    filterset_class = DownloadPeriodFilterSet
    permission_policy = document_permission_policy
    any_permission_required = ["change", "choose"]
    columns = [
        TitleColumn("title", label=_("Document"), url_name="wagtaildocs:edit"),
        Column("type_label", label=_("Type")),
        Column("downloads_total", label=_("Downloads")),
        DateColumn("last_downloaded", label=_("Last downloaded")),
    ]
    list_export = ["title", "type_label", "downloads_total", "last_downloaded"]
    export_headings = {
        "title": _("Document"),
        "type_label": _("Type"),
        "downloads_total": _("Downloads"),
        "last_downloaded": _("Last downloaded"),
    }

    def get_queryset(self):
        period = PERIODS.get(self.request.GET.get("period", ""))
        in_period = Q()
        if period:
            in_period = Q(downloads__day__gt=timezone.localdate() - datetime.timedelta(days=period))
        return (
            get_document_model()
            .objects.annotate(
                downloads_total=Sum("downloads__count", filter=in_period),
                last_downloaded=Max("downloads__day", filter=in_period),
            )
            .filter(downloads_total__gt=0)
            .order_by("-downloads_total", "title")
        )
