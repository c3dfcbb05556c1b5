"""The needs board: filters by oblast, category, urgency and status that combine, the count,
the oblasts at a glance, and the page of needs; open needs first, by urgency, newest first.

By default the board shows the needs still open (open or partly covered); ?status= shows
any status, covered and closed ones included, which stay readable with their history.
"""

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from home.facets import build_facet, clean_params, facet_url
from home.text import sort_key

from .katotth import Oblast
from .models import ACTIVE_STATUSES, Community, NeedCategory, NeedStatus, Urgency, for_listing, localize_communities

FILTERS = {
    "oblast": ("community__oblast", Oblast, _("Oblast"), _("All oblasts")),
    "category": ("category", NeedCategory, _("Category"), _("All categories")),
    "urgency": ("urgency", Urgency, _("Urgency"), _("Any urgency")),
    "status": ("status", NeedStatus, _("Status"), _("Still open")),
}


class NeedBoard:
    """The board's selection; each part is computed when first asked for, so the export runs
    only the queries of the needs it writes."""

    def __init__(self, index, request):
        self.index = index
        self.request = request
        params = clean_params(request.GET)
        self.chosen = {
            param: choices(params[param])
            for param, (_field, choices, _title, _all) in FILTERS.items()
            if params.get(param) in choices.values
        }

    def _filtered(self, leave_out=None):
        needs = self.index.needs()
        for param, value in self.chosen.items():
            if param != leave_out:
                needs = needs.filter(**{FILTERS[param][0]: value})
        if "status" not in self.chosen and leave_out != "status":
            needs = needs.filter(status__in=ACTIVE_STATUSES)  # the board's default: what is still needed
        return needs

    def _ordered(self):
        return self._filtered().select_related("community").board_order()

    @cached_property
    def page_obj(self):
        return Paginator(self._ordered(), self.index.per_page).get_page(self.request.GET.get("page"))

    @cached_property
    def items(self):
        """The needs of the page shown."""
        return for_listing(list(self.page_obj.object_list), self.index.locale_id)

    def all_items(self):
        """Every need of the selection, for the export."""
        return localize_communities(list(self._ordered()), self.index.locale_id)

    @property
    def count(self):
        return self.page_obj.paginator.count

    @cached_property
    def _oblast_counts(self):
        """Each oblast's needs and critical needs under every chosen filter but the oblast:
        what the oblast filter and the overview offer."""
        rows = (
            self._filtered(leave_out="oblast")
            .order_by()
            .values_list("community__oblast")
            .annotate(total=Count("pk"), critical=Count("pk", filter=Q(urgency=Urgency.CRITICAL)))
        )
        return {oblast: (total, critical) for oblast, total, critical in rows}

    def _counts(self, param):
        if param == "oblast":
            return {oblast: total for oblast, (total, _critical) in self._oblast_counts.items()}
        field = FILTERS[param][0]
        return dict(self._filtered(leave_out=param).order_by().values_list(field).annotate(total=Count("pk")))

    def _facet(self, param):
        _field, choices, title, all_label = FILTERS[param]
        counts = self._counts(param)
        values = [(value, label, counts.get(value, 0)) for value, label in choices.choices]
        if param == "oblast":  # only the oblasts with needs, the longest list
            values = [row for row in values if row[2] or self.chosen.get(param) == row[0]]
        chosen = self.chosen.get(param)
        return build_facet(self.request, param, title, all_label, values, chosen.value if chosen else None)

    @cached_property
    def facets(self):
        return [self._facet(param) for param in FILTERS]

    @property
    def chosen_facets(self):
        return [facet for facet in self.facets if facet.chosen]

    @cached_property
    def oblasts(self):
        """Each oblast's needs and how many of them are critical, most needed first; a link keeps the other filters."""
        overview = [
            {
                "oblast": Oblast(oblast),
                "total": total,
                "critical": critical,
                "url": facet_url(self.request, "oblast", oblast),
            }
            for oblast, (total, critical) in self._oblast_counts.items()
        ]
        return sorted(overview, key=lambda row: (-row["critical"], -row["total"], row["oblast"].label))


def community_list(index):
    """The communities by oblast, in the board's language where translated, each with its needs still open."""
    open_counts = dict(
        index.needs()
        .filter(status__in=ACTIVE_STATUSES)
        .order_by()
        .values_list("community__translation_key")
        .annotate(total=Count("pk"))
    )
    by_oblast = {}
    for community in Community.objects.shown_in(index.locale_id):
        community.open_needs = open_counts.get(community.translation_key, 0)
        by_oblast.setdefault(community.oblast, []).append(community)
    return [
        {"oblast": Oblast(oblast), "communities": sorted(communities, key=lambda community: sort_key(community.name))}
        for oblast, communities in sorted(by_oblast.items(), key=lambda item: sort_key(str(Oblast(item[0]).label)))
    ]
