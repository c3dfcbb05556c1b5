from django.db.models import Case, CharField, Count, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import ngettext

from sections.holdings import Holding

from .models import ACTIVE_STATUSES, CATEGORY_SECTION_SLUGS, NeedIndexPage, NeedPage, for_listing

PREVIEW_SIZE = 6


def _section_slug():
    """The slug of the section a need's category belongs to, as an expression on needs."""
    return Case(
        *[When(category=category, then=Value(slug)) for category, slug in CATEGORY_SECTION_SLUGS.items()],
        default=Value(""),
        output_field=CharField(),
    )


class SectionNeeds(Holding):
    """The open needs in a section's category (energy for energy resilience, and so on)."""

    name = "needs"
    template_name = "communities/section_needs.html"

    def count(self):
        needs = (
            NeedPage.objects.live()
            .filter(locale_id=OuterRef("locale_id"), status__in=ACTIVE_STATUSES)
            .annotate(section_slug=_section_slug())
            .filter(section_slug=OuterRef("slug"))
            .order_by()
            .values("locale_id")
            .annotate(total=Count("pk"))
            .values("total")
        )
        return Coalesce(Subquery(needs), 0)

    def count_label(self, count):
        return ngettext("%(count)d open need", "%(count)d open needs", count) % {"count": count}

    def get_context(self, page, request):
        categories = [category for category, slug in CATEGORY_SECTION_SLUGS.items() if slug == page.slug]
        if not categories:
            return {"needs": []}
        needs = (
            NeedPage.objects.live()
            .filter(locale_id=page.locale_id, status__in=ACTIVE_STATUSES, category__in=categories)
            .select_related("community")
        )
        board = NeedIndexPage.objects.live().filter(locale_id=page.locale_id).first()
        return {
            "needs": for_listing(
                list(needs.board_order()[:PREVIEW_SIZE]), page.locale_id, sections=dict.fromkeys(categories, page)
            ),
            "total": needs.count(),
            "board": board,
            "category": categories[0],
        }
