"""Editors' figures: events per month and communities per event, as the platform reports them
("551 events, 46 communities on average"), over a period and optionally for one section.

Only events of the source language count, so a translated event is not counted twice. The
average is over the events whose communities were recorded, and says how many those are; it is
rounded half up, as people round: 46.5 is 47 (Python's round() gives 46). Every month of the period has its
row and its bar, a month without events too.
"""

import datetime
import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth

from sections.models import SectionPage

from .models import EventPage
from .timing import KYIV, kyiv_datetime

CHART_WIDTH, CHART_HEIGHT, CHART_PADDING = 720, 240, 32
#: Beyond this many months, only every second (third…) bar is labelled, so that labels do not overlap.
CHART_LABELS = 24


@dataclass
class Row:
    label: str
    events: int
    participants: int
    communities_total: int
    reported: int  # events whose communities were recorded

    @classmethod
    def of(cls, label, counts):
        return cls(label, counts["events"], counts["participants"], counts["communities_total"], counts["reported"])

    @property
    def average_communities(self):
        if not self.reported:
            return None
        return int((Decimal(self.communities_total) / self.reported).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def months_of(date_from, date_to):
    """The first day of every month from ``date_from``'s to ``date_to``'s."""
    month = date_from.replace(day=1)
    while month <= date_to:
        yield month
        month = (month + datetime.timedelta(days=31)).replace(day=1)


def _counts():
    return {
        "events": Count("pk", distinct=True),
        "participants": Sum("participants", default=0),
        "communities_total": Sum("communities", default=0),
        "reported": Count("pk", filter=Q(communities__isnull=False), distinct=True),
    }


def _rows(queryset, key_field):
    return queryset.order_by().values(key_field).annotate(**_counts()).order_by(key_field)


def event_statistics(date_from, date_to, section=None):
    events = EventPage.objects.live().filter(
        locale__language_code=settings.LANGUAGE_CODE,
        start__gte=kyiv_datetime(date_from, datetime.time()),
        start__lt=kyiv_datetime(date_to + datetime.timedelta(days=1), datetime.time()),
    )
    if section is not None:
        events = events.filter(sections__translation_key=section.translation_key)

    by_month = {
        f"{row['month']:%Y-%m}": row for row in _rows(events.annotate(month=TruncMonth("start", tzinfo=KYIV)), "month")
    }
    no_events = dict.fromkeys(_counts(), 0)
    months = [
        Row.of(f"{month:%Y-%m}", by_month.get(f"{month:%Y-%m}", no_events)) for month in months_of(date_from, date_to)
    ]
    titles = dict(
        SectionPage.objects.filter(locale__language_code=settings.LANGUAGE_CODE).values_list("translation_key", "title")
    )
    sections = [
        Row.of(titles.get(row["sections__translation_key"], ""), row)
        for row in _rows(events.filter(sections__isnull=False), "sections__translation_key")
    ]
    sections.sort(key=lambda row: (-row.events, row.label))
    return {
        "months": months,
        "total": Row.of("", events.aggregate(**_counts())),
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
    label_every = math.ceil(len(months) / CHART_LABELS)
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
                "labelled": number % label_every == 0,
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
