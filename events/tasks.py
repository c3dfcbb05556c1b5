"""Work that publishing an event or a series leaves to the background.

django-tasks runs it at once in development and tests, and from the database queue
(`manage.py db_worker`) in production, so the editor's request does not wait for it.
"""

from django.conf import settings
from django_tasks import task
from wagtail.embeds.embeds import get_embed
from wagtail.embeds.exceptions import EmbedException

from .models import EventSeriesPage
from .models.event import RECORDING_EMBED_WIDTH


@task()
def update_series_events(series_id):
    """Creates a published series' missing events and moves its upcoming ones to a new time; safe to repeat.

    Only the source language makes events; its translations get them as aliases.
    """
    series = (
        EventSeriesPage.objects.live()
        .filter(pk=series_id, alias_of=None, locale__language_code=settings.LANGUAGE_CODE)
        .first()
    )
    if series is None:  # a translation, or deleted or unpublished meanwhile
        return 0
    return len(series.update_events())


@task()
def find_recording_embed(url):
    """Asks the recording's provider for its player once, into Wagtail's cache of embeds that the page reads."""
    try:
        get_embed(url, max_width=RECORDING_EMBED_WIDTH)
    except EmbedException:
        return False  # no provider for this address, or it did not answer: the page links to the recording
    return True
