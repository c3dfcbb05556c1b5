from .event import (
    EventDetails,
    EventFormat,
    EventIndexPage,
    EventPage,
    EventPageQuerySet,
    ProgrammeItemBlock,
    localize_events,
)
from .series import EventSeriesPage, SeriesFrequency, SeriesOccurrence, free_slug

__all__ = [
    "EventDetails",
    "EventFormat",
    "EventIndexPage",
    "EventPage",
    "EventPageQuerySet",
    "EventSeriesPage",
    "ProgrammeItemBlock",
    "SeriesFrequency",
    "SeriesOccurrence",
    "free_slug",
    "localize_events",
]
