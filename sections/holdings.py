"""What other apps file under a section or a speaker: a count on its card, a block on its page.

An app whose content names sections (speakers now; materials, events and needs later)
registers a ``Holding`` with the ``register_section_holding`` hook; one whose content
names speakers uses ``register_speaker_holding``. The pages that show them never import
those apps, so the app floors stay free of circles.
"""

from abc import ABC, abstractmethod

from django.template.loader import render_to_string
from wagtail import hooks

SECTION_HOLDINGS_HOOK = "register_section_holding"
SPEAKER_HOLDINGS_HOOK = "register_speaker_holding"


class Holding(ABC):
    #: Names the count annotation (``<name>_count``) on the holder's queryset.
    name = ""
    #: Renders the block on the holder's page with ``page``, ``request`` and ``get_context()``.
    template_name = ""

    @abstractmethod
    def count(self):
        """An expression counting what this app holds for ``OuterRef("locale_id")`` and
        ``OuterRef("translation_key")`` of the holder, live pages of that locale only.

        Relations point at the source-language page (wagtail-localize copies them as they
        are), so they are matched by translation key, not by primary key.
        """

    @abstractmethod
    def count_label(self, count):
        """The count as a phrase for a card, e.g. "12 speakers"."""

    def get_context(self, page, request):
        return {}

    def render(self, page, request):
        context = {"page": page, "request": request, "holding": self, **self.get_context(page, request)}
        return render_to_string(self.template_name, context, request=request)


def get_holdings(hook_name):
    return [register() for register in hooks.get_hooks(hook_name)]


def annotate_counts(queryset, holdings):
    return queryset.annotate(**{f"{holding.name}_count": holding.count() for holding in holdings})


def count_labels(holder, holdings):
    """The card phrases of an annotated holder, leaving out what it holds none of."""
    labels = []
    for holding in holdings:
        count = getattr(holder, f"{holding.name}_count", 0) or 0
        if count:
            labels.append(holding.count_label(count))
    return labels
