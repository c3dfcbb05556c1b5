from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import ngettext

from sections.holdings import Holding

from .models import SpeakerPage

SECTION_PREVIEW_SIZE = 12


class SectionSpeakers(Holding):
    """The speakers who work in a section: a count on its card, a list on its page."""

    name = "speakers"
    template_name = "speakers/section_speakers.html"

    def _in_section(self, locale_id, translation_key):
        return SpeakerPage.objects.live().filter(locale_id=locale_id, sections__translation_key=translation_key)

    def count(self):
        speakers = (
            self._in_section(OuterRef("locale_id"), OuterRef("translation_key"))
            .order_by()
            .values("locale_id")
            .annotate(total=Count("pk", distinct=True))
            .values("total")
        )
        return Coalesce(Subquery(speakers), 0)

    def count_label(self, count):
        return ngettext("%(count)d speaker", "%(count)d speakers", count) % {"count": count}

    def get_context(self, page, request):
        speakers = self._in_section(page.locale_id, page.translation_key).distinct()
        preview = list(speakers.order_by("name_sort_key", "pk").with_photos()[:SECTION_PREVIEW_SIZE])
        total = speakers.count()
        index = preview[0].get_parent() if preview else None
        return {"speakers": preview, "total": total, "speaker_index": index}
