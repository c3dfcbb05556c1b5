"""Event times: stored in UTC, shown in Kyiv time with the zone named, correct across DST changes."""

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

KYIV = ZoneInfo("Europe/Kyiv")
#: The join link shows this long before the start...
JOIN_LINK_OPENS_BEFORE = datetime.timedelta(minutes=30)
#: ...until the end. An event without an end lasts this long wherever a length is needed: the join
#: link, whether it is over, calendar feeds and the "add to calendar" links.
OPEN_ENDED_DURATION = datetime.timedelta(hours=2)


def in_kyiv(moment):
    return timezone.localtime(moment, KYIV) if moment else None


def kyiv_datetime(date, time):
    """An aware datetime for a Kyiv wall-clock date and time (the zone's rules decide the offset)."""
    return datetime.datetime.combine(date, time, tzinfo=KYIV)


def later_by(moment, length):
    """The moment ``length`` after ``moment``, counted in UTC: across a DST change an hour stays an hour
    (aware arithmetic in Kyiv time would count wall-clock hours)."""
    return in_kyiv(moment.astimezone(datetime.UTC) + length)


def effective_end(start, end):
    return end or later_by(start, OPEN_ENDED_DURATION)


def month_bounds(year, month):
    """The first moment of a month in Kyiv and of the next, as aware datetimes."""
    first = datetime.date(year, month, 1)
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return kyiv_datetime(first, datetime.time()), kyiv_datetime(following, datetime.time())
