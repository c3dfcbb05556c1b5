"""Translations follow their Ukrainian source as soon as it changes."""

from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.models import Page, TranslatableMixin
from wagtail.signals import page_published

from .translation import carry_over_to_translations


@receiver(page_published)
def page_translations_follow_source(sender, instance, revision=None, **kwargs):
    carry_over_to_translations(instance, user=getattr(revision, "user", None))


@receiver(post_save)
def snippet_translations_follow_source(sender, instance, raw=False, **kwargs):
    # Pages follow when published, not on every draft save.
    if raw or not isinstance(instance, TranslatableMixin) or isinstance(instance, Page):
        return
    carry_over_to_translations(instance)
