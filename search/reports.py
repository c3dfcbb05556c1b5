"""Editors' report of what visitors searched for and did not find.

The most frequent queries are Wagtail's own report (Reports → Search terms); this one counts
the queries that found nothing, from ``UnansweredQuery``, so editors can add the missing
material or promote an existing page for that query.
"""

from django.db.models import Max, Sum
from django.utils.translation import gettext_lazy as _
from django_filters import DateFromToRangeFilter
from wagtail.admin.auth import permission_denied
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, NumberColumn
from wagtail.admin.views.reports import ReportView
from wagtail.contrib.search_promotions.models import Query

PROMOTION_PERMISSION = "wagtailsearchpromotions.add_searchpromotion"


def may_see_search_statistics(user):
    return user.is_superuser or user.has_perm(PROMOTION_PERMISSION)


class UnansweredFilterSet(WagtailFilterSet):
    date = DateFromToRangeFilter(label=_("Date"), field_name="unanswered_days__date", widget=DateRangePickerWidget)

    class Meta:
        model = Query
        fields = []


class UnansweredQueriesView(ReportView):
    page_title = _("Searches without results")
    header_icon = "search"
    is_searchable = True
    search_fields = ["query_string"]
    filterset_class = UnansweredFilterSet
    default_ordering = "-unanswered"
    index_url_name = "search_unanswered"
    index_results_url_name = "search_unanswered_results"
    columns = [
        Column("query_string", label=_("Query"), sort_key="query_string"),
        NumberColumn("unanswered", label=_("Times without results"), sort_key="unanswered"),
        DateColumn("last_unanswered", label=_("Last time"), sort_key="last_unanswered"),
    ]
    list_export = ["query_string", "unanswered", "last_unanswered"]
    export_headings = {
        "query_string": _("Query"),
        "unanswered": _("Times without results"),
        "last_unanswered": _("Last time"),
    }

    def get_filterset_kwargs(self):
        kwargs = super().get_filterset_kwargs()
        kwargs["queryset"] = self.get_base_queryset()
        return kwargs

    def get_base_queryset(self):
        return (
            Query.objects.filter(unanswered_days__isnull=False)
            .annotate(unanswered=Sum("unanswered_days__hits"), last_unanswered=Max("unanswered_days__date"))
            .order_by("-unanswered", "query_string")
        )

    def dispatch(self, request, *args, **kwargs):
        if not may_see_search_statistics(request.user):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)
