from django.db.models.signals import post_save
from django.dispatch import receiver

from .access import restrict_to_mayors
from .models import SectionKind, SectionPage


@receiver(post_save, sender=SectionPage)
def keep_club_sections_closed(sender, instance, created, **kwargs):
    # Every save of a club section, its English copy included (wagtail-localize saves
    # aliases and translations as pages of their own), keeps it restricted to the Mayors.
    # A new alias is left alone: Wagtail copies its source's restrictions right after.
    if instance.kind == SectionKind.CLUB and not (created and instance.alias_of_id):
        restrict_to_mayors(instance)
