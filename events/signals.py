from django.dispatch import receiver
from wagtail.signals import page_published

from .models import EventPage, EventSeriesPage
from .tasks import find_recording_embed, update_series_events


@receiver(page_published, sender=EventSeriesPage)
def update_the_series_events(sender, instance, **kwargs):
    update_series_events.enqueue(instance.pk)


@receiver(page_published, sender=EventPage)
def find_the_recording_player(sender, instance, **kwargs):
    if instance.recording_url and not instance.alias_of_id:
        find_recording_embed.enqueue(instance.recording_url)
