from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from sections.holdings import Holding

from .models import EventIndexPage, EventPage, localize_events

PREVIEW_SIZE = 4


class HeldEvents(Holding):
    """A section's or a speaker's upcoming and latest past events: a count on its card, lists on its page."""

    name = "events"
    template_name = "events/held_events.html"
    relation = ""
    filter_param = ""
    title = ""

    def count(self):
        upcoming = (
            EventPage.objects.visible_to()  # the card is the same for everyone
            .filter(locale_id=OuterRef("locale_id"), **{self.relation: OuterRef("translation_key")})
            .upcoming()
            .order_by()
            .values("locale_id")
            .annotate(total=Count("pk", distinct=True))
            .values("total")
        )
        return Coalesce(Subquery(upcoming), 0)

    def count_label(self, count):
        return ngettext("%(count)d upcoming event", "%(count)d upcoming events", count) % {"count": count}

    def get_context(self, page, request):
        now = timezone.now()
        events = (
            EventPage.objects.visible_to(request.user)
            .filter(locale_id=page.locale_id, **{self.relation: page.translation_key})
            .distinct()
        )
        upcoming = list(events.upcoming(now).order_by("start", "pk").for_listing()[:PREVIEW_SIZE])
        past = list(events.past(now).order_by("-start", "-pk").for_listing()[:PREVIEW_SIZE])
        localize_events(upcoming + past, page.locale_id)  # one lookup of sections and speakers for both lists
        return {
            "upcoming": upcoming,
            "past": past,
            "index": EventIndexPage.objects.live().filter(locale_id=page.locale_id).first(),
            "filter_param": self.filter_param,
            "title": self.title,
        }


class SectionEvents(HeldEvents):
    relation = "sections__translation_key"
    filter_param = "section"
    title = _("Events of the section")


class SpeakerEvents(HeldEvents):
    relation = "speakers__translation_key"
    filter_param = "speaker"
    title = _("Events with the speaker")
