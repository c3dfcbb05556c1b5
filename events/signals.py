from django.conf import settings
from django.dispatch import receiver
from wagtail.signals import page_published

from home.site_setup import sync_language_trees

from .models import EventSeriesPage


@receiver(page_published, sender=EventSeriesPage)
def create_the_series_events(sender, instance, **kwargs):
    # Only the source language creates events; its translations get theirs by synchronisation.
    if instance.alias_of_id or instance.locale.language_code != settings.LANGUAGE_CODE:
        return
    if instance.create_events():
        sync_language_trees()
