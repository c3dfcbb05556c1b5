from django import template
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

from events.timing import in_kyiv

register = template.Library()


@register.simple_tag
def event_when(event, with_weekday=True):
    """When an event is, in Kyiv time with the zone named: "вт, 12 березня 2025, 11:00–12:30 (Київ, EET)".

    An event that ends on another day says so; one without an end shows its start only.
    """
    start, end = in_kyiv(event.start), in_kyiv(event.end)
    day = date_format(start, "D, j E Y" if with_weekday else "j E Y")
    zone = _("Kyiv, %(zone)s") % {"zone": start.tzname()}
    if end is None:
        times = date_format(start, "H:i")
    elif end.date() == start.date():
        times = f"{date_format(start, 'H:i')}–{date_format(end, 'H:i')}"
    else:
        times = _("%(start)s – %(end_day)s, %(end)s") % {
            "start": date_format(start, "H:i"),
            "end_day": date_format(end, "j E"),
            "end": date_format(end, "H:i"),
        }
    return format_html(
        '<time datetime="{}">{}, {}</time> <span class="event-zone">({})</span>', start.isoformat(), day, times, zone
    )
