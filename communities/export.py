"""The board's current selection as CSV for donors' reports: UTF-8 with a byte-order mark,
so that Excel opens the Cyrillic right, and one row a need."""

import csv

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _


def cell(value):
    """A value as text a spreadsheet will not run as a formula."""
    text = str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


def needs_csv(board, request):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="needs-{timezone.localdate():%Y-%m-%d}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Need"),
            _("Community"),
            _("KATOTTH code"),
            _("Oblast"),
            _("Category"),
            _("How much"),
            _("Urgency"),
            _("Status"),
            _("Status changed on"),
            _("Opened on"),
            _("Address"),
        ]
    )
    for need in board.items:
        writer.writerow(
            cell(value)
            for value in [
                need.title,
                need.community_shown.name,
                need.community.code,
                need.community.get_oblast_display(),
                need.get_category_display(),
                need.quantity,
                need.get_urgency_display(),
                need.get_status_display(),
                need.status_changed_on.isoformat(),
                need.opened_on.isoformat(),
                need.get_full_url(request),
            ]
        )
    return response
