import django_filters
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import SectionPage


def source_sections(request):
    return SectionPage.objects.filter(locale__language_code=settings.LANGUAGE_CODE).order_by("order", "title")


class SectionFilter(django_filters.ModelMultipleChoiceFilter):
    """An admin listing filter by section, for pages with a ``sections`` relation."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Section"))
        kwargs.setdefault("queryset", source_sections)
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(**kwargs)

    def filter(self, queryset, value):
        # Both languages' pages point at the source sections; match by translation key.
        if not value:
            return queryset
        return queryset.filter(sections__translation_key__in=[section.translation_key for section in value]).distinct()
