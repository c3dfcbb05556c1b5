"""Editors' figures: events per month and communities per event, as the platform reports them
("551 events, 46 communities on average"), over a period and optionally for one section.

Only events of the source language count, so a translated event is not counted twice. The
average is over the events whose communities were recorded, and says how many those are.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth

from sections.models import SectionPage

from .models import EventPage
from .timing import KYIV, kyiv_datetime

CHART_WIDTH, CHART_HEIGHT, CHART_PADDING = 720, 240, 32


@dataclass
class Row:
    label: str
    events: int
    participants: int
    communities_total: int
    reported: int  # events whose communities were recorded

    @property
    def average_communities(self):
        return round(self.communities_total / self.reported) if self.reported else None


def _rows(queryset, key_field):
    return (
        queryset.order_by()
        .values(key_field)
        .annotate(
            events=Count("pk", distinct=True),
            participants=Sum("participants", default=0),
            communities_total=Sum("communities", default=0),
            reported=Count("pk", filter=Q(communities__isnull=False), distinct=True),
        )
        .order_by(key_field)
    )


def event_statistics(date_from, date_to, section=None):
    events = EventPage.objects.live().filter(
        locale__language_code=settings.LANGUAGE_CODE,
        start__gte=kyiv_datetime(date_from, datetime.time()),
        start__lt=kyiv_datetime(date_to + datetime.timedelta(days=1), datetime.time()),
    )
    if section is not None:
        events = events.filter(sections__translation_key=section.translation_key)

    months = [
        Row(f"{row['month']:%Y-%m}", row["events"], row["participants"], row["communities_total"], row["reported"])
        for row in _rows(events.annotate(month=TruncMonth("start", tzinfo=KYIV)), "month")
    ]
    totals = events.aggregate(
        events=Count("pk", distinct=True),
        participants=Sum("participants", default=0),
        communities_total=Sum("communities", default=0),
        reported=Count("pk", filter=Q(communities__isnull=False), distinct=True),
    )
    titles = dict(
        SectionPage.objects.filter(locale__language_code=settings.LANGUAGE_CODE).values_list("translation_key", "title")
    )
    sections = [
        Row(
            titles.get(row["sections__translation_key"], ""),
            row["events"],
            row["participants"],
            row["communities_total"],
            row["reported"],
        )
        for row in _rows(events.filter(sections__isnull=False), "sections__translation_key")
    ]
    sections.sort(key=lambda row: (-row.events, row.label))
    return {
        "months": months,
        "total": Row("", totals["events"], totals["participants"], totals["communities_total"], totals["reported"]),
        "sections": sections,
        "chart": bar_chart(months),
    }


def bar_chart(months):
    """Bars of events per month and a line of communities per event, as SVG geometry for the template."""
    if not months:
        return None
    plot_width, plot_height = CHART_WIDTH - 2 * CHART_PADDING, CHART_HEIGHT - 2 * CHART_PADDING
    step = plot_width / len(months)
    most_events = max(row.events for row in months) or 1
    most_communities = max((row.average_communities or 0) for row in months) or 1
    bars, points = [], []
    for number, row in enumerate(months):
        height = plot_height * row.events / most_events
        x = CHART_PADDING + number * step
        bars.append(
            {
                "x": round(x + step * 0.15, 1),
                "y": round(CHART_PADDING + plot_height - height, 1),
                "width": round(step * 0.7, 1),
                "height": round(height, 1),
                "row": row,
                "label_x": round(x + step / 2, 1),
            }
        )
        if row.average_communities is not None:
            y = CHART_PADDING + plot_height - plot_height * row.average_communities / most_communities
            points.append(f"{x + step / 2:.1f},{y:.1f}")
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "baseline": CHART_PADDING + plot_height,
        "bars": bars,
        "line": " ".join(points),
        "most_events": most_events,
        "most_communities": most_communities,
        "label_y": CHART_HEIGHT - CHART_PADDING / 3,
        "top_y": CHART_PADDING - 8,
        "left": CHART_PADDING,
        "right": CHART_WIDTH - CHART_PADDING,
    }
