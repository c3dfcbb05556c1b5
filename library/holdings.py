from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from sections.holdings import Holding

from .models import LibraryPage, MaterialPage, localize_listing

PREVIEW_SIZE = 6


class HeldMaterials(Holding):
    """The latest materials that name a section or a speaker: a count on its card, a list on its page."""

    name = "materials"
    template_name = "library/held_materials.html"
    #: The material's relation to the holder, matched by translation key.
    relation = ""
    #: The library filter that shows all of them (``?<param>=<slug>``).
    filter_param = ""
    title = ""

    def _held(self, locale_id, translation_key):
        return MaterialPage.objects.live().filter(locale_id=locale_id, **{self.relation: translation_key})

    def count(self):
        # Cards count what everybody may open; the club's own page lists its materials to members.
        materials = (
            self._held(OuterRef("locale_id"), OuterRef("translation_key"))
            .filter(members_only=False)
            .order_by()
            .values("locale_id")
            .annotate(total=Count("pk", distinct=True))
            .values("total")
        )
        return Coalesce(Subquery(materials), 0)

    def count_label(self, count):
        return ngettext("%(count)d material", "%(count)d materials", count) % {"count": count}

    def get_context(self, page, request):
        materials = (
            MaterialPage.objects.visible_to(request.user)
            .filter(locale_id=page.locale_id, **{self.relation: page.translation_key})
            .distinct()
        )
        latest = materials.order_by("-first_published_at", "-pk").for_listing()[:PREVIEW_SIZE]
        library = LibraryPage.objects.live().filter(locale_id=page.locale_id).first()
        return {
            "materials": localize_listing(latest, page.locale_id),
            "total": materials.count(),
            "library": library,
            "filter_param": self.filter_param,
            "title": self.title,
        }


class SectionMaterials(HeldMaterials):
    relation = "sections__translation_key"
    filter_param = "section"
    title = _("Materials of the section")


class SpeakerMaterials(HeldMaterials):
    relation = "speaker__translation_key"
    filter_param = "speaker"
    title = _("Materials of the speaker")
