"""The needs board: filters by oblast, category, urgency and status that combine, the count,
the oblasts at a glance, and the page of needs; open needs first, by urgency, newest first.

By default the board shows the needs still open (open or partly covered); ?status= shows
any status, covered and closed ones included, which stay readable with their history.
"""

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from home.facets import build_facet, clean_params

from .katotth import Oblast
from .models import ACTIVE_STATUSES, Community, NeedCategory, NeedStatus, Urgency, localize_communities

FILTERS = {
    "oblast": ("community__oblast", Oblast, _("Oblast"), _("All oblasts")),
    "category": ("category", NeedCategory, _("Category"), _("All categories")),
    "urgency": ("urgency", Urgency, _("Urgency"), _("Any urgency")),
    "status": ("status", NeedStatus, _("Status"), _("Still open")),
}


class NeedBoard:
    def __init__(self, index, request, paginate=True):
        self.index = index
        self.request = request
        params = clean_params(request.GET)
        self.chosen = {
            param: choices(params[param])
            for param, (_field, choices, _title, _all) in FILTERS.items()
            if params.get(param) in choices.values
        }
        self.facets = [self._facet(param) for param in FILTERS]
        needs = self._filtered().select_related("community").board_order()
        if paginate:
            self.page_obj = Paginator(needs, index.per_page).get_page(request.GET.get("page"))
            self.items = list(self.page_obj.object_list)
        else:
            self.items = list(needs)
        localize_communities(self.items, index.locale_id)
        self.oblasts = self._oblast_overview()

    def _filtered(self, leave_out=None):
        needs = self.index.needs()
        for param, value in self.chosen.items():
            if param != leave_out:
                needs = needs.filter(**{FILTERS[param][0]: value})
        if "status" not in self.chosen and leave_out != "status":
            needs = needs.filter(status__in=ACTIVE_STATUSES)  # the board's default: what is still needed
        return needs

    def _facet(self, param):
        field, choices, title, all_label = FILTERS[param]
        rows = self._filtered(leave_out=param).order_by().values_list(field).annotate(total=Count("pk"))
        counts = dict(rows)
        values = [(value, label, counts.get(value, 0)) for value, label in choices.choices]
        if param == "oblast":  # only the oblasts with needs, the longest list
            values = [row for row in values if row[2] or self.chosen.get(param) == row[0]]
        chosen = self.chosen.get(param)
        return build_facet(self.request, param, title, all_label, values, chosen.value if chosen else None)

    def _oblast_overview(self):
        """Each oblast's needs still open and how many of them are critical, most needed first."""
        rows = (
            self.index.needs()
            .filter(status__in=ACTIVE_STATUSES)
            .order_by()
            .values_list("community__oblast")
            .annotate(total=Count("pk"), critical=Count("pk", filter=Q(urgency=Urgency.CRITICAL)))
        )
        overview = [
            {"oblast": Oblast(oblast), "total": total, "critical": critical, "url": f"?oblast={oblast}"}
            for oblast, total, critical in rows
        ]
        return sorted(overview, key=lambda row: (-row["critical"], -row["total"], row["oblast"].label))

    @property
    def chosen_facets(self):
        return [facet for facet in self.facets if facet.chosen]

    @property
    def count(self):
        return self.page_obj.paginator.count if hasattr(self, "page_obj") else len(self.items)


def community_list(index):
    """The communities of the board's language by oblast, each with its needs still open."""
    open_counts = dict(
        index.needs()
        .filter(status__in=ACTIVE_STATUSES)
        .order_by()
        .values_list("community__translation_key")
        .annotate(total=Count("pk"))
    )
    by_oblast = {}
    for community in Community.objects.filter(locale_id=index.locale_id).order_by("oblast", "name"):
        community.open_needs = open_counts.get(community.translation_key, 0)
        by_oblast.setdefault(community.oblast, []).append(community)
    return [
        {"oblast": Oblast(oblast), "communities": communities}
        for oblast, communities in sorted(by_oblast.items(), key=lambda item: Oblast(item[0]).label)
    ]
