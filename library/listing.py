"""The library page's listing: materials newest first, narrowed by facets that combine.

Each facet counts the materials that the *other* chosen facets leave, so every count is
what its link would show. Values that name nothing are ignored. The whole page costs
a fixed number of queries: one aggregate a facet, the page of items, and the lookups
of their sections and speakers in the page's language.
"""

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from home.facets import build_facet, clean_params
from sections.models import SectionPage

from .models import FileLanguage, MaterialKind, MaterialPage, localize_listing

#: Longer facets show their most frequent values (and the chosen one).
FACET_SIZE = {"speaker": 15, "tag": 20}


class MaterialListing:
    def __init__(self, library, request, per_page=None):
        self.library = library
        self.request = request
        self.locale_id = library.locale_id
        self.materials = MaterialPage.objects.child_of(library).visible_to(request.user)
        self.sections = {
            section.translation_key: section
            for section in SectionPage.objects.live().filter(locale_id=self.locale_id).order_by("order", "title")
        }
        self.filters = self._chosen_filters(request.GET)
        self.facets = [self._facet(param) for param in ("section", "kind", "speaker", "language", "year", "tag")]

        listing = self._filtered().distinct().order_by("-first_published_at", "-pk").for_listing()
        self.page_obj = Paginator(listing, per_page or library.per_page).get_page(request.GET.get("page"))
        self.items = localize_listing(self.page_obj.object_list, self.locale_id)

    # What the query string asks for, as (filter, value, label) by parameter; unknown values are dropped.
    def _chosen_filters(self, query):
        params = clean_params(query)
        filters = {}
        section = next((s for s in self.sections.values() if s.slug == params.get("section")), None)
        if section:
            filters["section"] = (Q(sections__translation_key=section.translation_key), section.slug, section.title)
        if params.get("kind") in MaterialKind.values:
            kind = MaterialKind(params["kind"])
            filters["kind"] = (Q(kind=kind), kind.value, kind.label)
        if params.get("speaker"):
            from speakers.models import SpeakerPage

            speaker = SpeakerPage.objects.live().filter(locale_id=self.locale_id, slug=params["speaker"]).first()
            if speaker:
                filters["speaker"] = (Q(speaker__translation_key=speaker.translation_key), speaker.slug, speaker.title)
        if params.get("language") in FileLanguage.values:
            language = FileLanguage(params["language"])
            filters["language"] = (Q(file_language=language), language.value, language.label)
        year = params.get("year", "")
        if year.isascii() and year.isdigit() and len(year) == 4:
            filters["year"] = (Q(year=int(year)), year, year)
        tag = params.get("tag", "")
        if tag:
            filters["tag"] = (Q(tagged_items__tag__slug=tag), tag, tag)
        return filters

    def _filtered(self, leave_out=None):
        materials = self.materials
        for param, (condition, _value, _label) in self.filters.items():
            if param != leave_out:
                materials = materials.filter(condition)
        return materials

    def _counts(self, param, *fields):
        rows = (
            self._filtered(leave_out=param)
            .order_by()
            .values_list(*fields)
            .annotate(total=Count("pk", distinct=True))
            .values_list(*fields, "total")
        )
        return [row for row in rows if row[0] is not None]

    def _facet(self, param):
        titles = {
            "section": (_("Section"), _("All sections")),
            "kind": (_("Kind"), _("All kinds")),
            "speaker": (_("Speaker"), _("All speakers")),
            "language": (_("Language of the file"), _("All languages")),
            "year": (_("Year"), _("All years")),
            "tag": (_("Tag"), _("All tags")),
        }
        title, all_label = titles[param]
        chosen = self.filters.get(param)
        values = self._facet_values(param)
        if chosen and not any(str(value) == chosen[1] for value, _label, _count in values):
            values.append((chosen[1], chosen[2], 0))
        return build_facet(
            self.request, param, title, all_label, values, chosen[1] if chosen else None, FACET_SIZE.get(param)
        )

    def _facet_values(self, param):
        """(value for the link, label, count) of a facet, in the order they are shown."""
        if param == "section":
            counts = dict(self._counts(param, "sections__translation_key"))
            return [
                (section.slug, section.title, counts[key]) for key, section in self.sections.items() if key in counts
            ]
        if param == "kind":
            counts = dict(self._counts(param, "kind"))
            return [(value, label, counts[value]) for value, label in MaterialKind.choices if value in counts]
        if param == "language":
            counts = dict(self._counts(param, "file_language"))
            return [(value, label, counts[value]) for value, label in FileLanguage.choices if value in counts]
        if param == "year":
            return [(year, year, count) for year, count in sorted(self._counts(param, "year"), reverse=True)]
        if param == "speaker":
            from speakers.models import SpeakerPage

            counts = dict(self._counts(param, "speaker__translation_key"))
            speakers = SpeakerPage.objects.live().filter(locale_id=self.locale_id, translation_key__in=counts)
            rows = [(s.slug, s.title, counts[s.translation_key], s.name_sort_key) for s in speakers]
            rows.sort(key=lambda row: (-row[2], row[3]))
            return [row[:3] for row in rows]
        if param == "tag":
            rows = self._counts(param, "tagged_items__tag__slug", "tagged_items__tag__name")
            rows.sort(key=lambda row: (-row[2], row[1]))
            return rows
        raise ValueError(param)

    @property
    def chosen_facets(self):
        return [facet for facet in self.facets if facet.chosen]

    @property
    def is_filtered(self):
        return bool(self.filters)
