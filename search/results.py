"""A search as a visitor asks it: the query and facets from the address, the results page,
the facet links, editors' promoted results, "did you mean" and the query statistics."""

import difflib
from functools import cached_property

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.search_promotions.models import Query
from wagtail.models import Locale, Page, get_page_models

from home.facets import build_facet, clean_params
from library.models import FileLanguage, MaterialKind
from sections.models import SectionPage
from speakers.models import SpeakerPage

from .analysis import words
from .engine import FACET_NAMES, Search
from .index import facet_type
from .models import IndexFacet, UnansweredQuery

MAX_QUERY_LENGTH = 200
RESULTS_PER_PAGE = 10
#: Longer facets show their most frequent values (and the chosen one).
FACET_SIZE = {"section": 15, "speaker": 10}
FACET_TITLES = {
    "type": (_("Type"), _("All types")),
    "section": (_("Section"), _("All sections")),
    "kind": (_("Kind of material"), _("All kinds")),
    "speaker": (_("Speaker"), _("All speakers")),
    "language": (_("Language of the file"), _("All languages")),
    "year": (_("Year"), _("All years")),
}
VOCABULARY_SECONDS = 600


def clean_query(raw):
    """(the query as searched, whether it was cut to the maximum length)."""
    text = " ".join(raw.replace("\x00", " ").split())
    return text[:MAX_QUERY_LENGTH], len(text) > MAX_QUERY_LENGTH


def type_labels():
    """{"material": "Матеріали", …} for every page type, in the active language."""
    return {facet_type(model): capfirst(model._meta.verbose_name_plural) for model in get_page_models()}


class SiteSearch:
    max_query_length = MAX_QUERY_LENGTH

    def __init__(self, request, types=(), per_page=RESULTS_PER_PAGE):
        self.request = request
        self.locale = Locale.get_active()
        self.raw_query = request.GET.get("q", "")
        self.query, self.truncated = clean_query(self.raw_query)
        self.fixed_types = tuple(types)
        params = clean_params(request.GET)
        names = [name for name in FACET_NAMES if not (name == "type" and types)]
        chosen = {name: params[name] for name in names if params.get(name)}
        self.search = Search(self.query, self.locale.pk, self._known(chosen), self.fixed_types)
        self.page_obj = Paginator(self.search, per_page).get_page(request.GET.get("page"))

    @property
    def has_words(self):
        return bool(self.search.terms)

    def _known(self, chosen):
        """The chosen facet values that name something in this language; the others are ignored."""
        if not chosen:
            return {}
        condition = Q()
        for name, value in chosen.items():
            condition |= Q(name=name, value=value)
        in_language = IndexFacet.objects.filter(condition, entry__locale_id=self.locale.pk)
        known = set(in_language.values_list("name", "value").distinct()[:50])
        return {name: value for name, value in chosen.items() if (name, value) in known}

    @cached_property
    def facets(self):
        counts = self.search.facet_counts
        facets = []
        for name in FACET_NAMES:
            if name == "type" and self.fixed_types:
                continue
            values = self._labelled(name, counts.get(name, {}))
            if not values:
                continue
            title, all_label = FACET_TITLES[name]
            facets.append(
                build_facet(
                    self.request, name, title, all_label, values, self.search.filters.get(name), FACET_SIZE.get(name)
                )
            )
        return facets

    def _labelled(self, name, counts):
        """(value, label, count) rows of a facet, in the order they are shown."""
        by_count = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        if name == "type":
            labels = type_labels()
            return [(value, labels.get(value, value), count) for value, count in by_count]
        if name == "kind":
            return [(value, label, counts[value]) for value, label in MaterialKind.choices if value in counts]
        if name == "language":
            return [(value, label, counts[value]) for value, label in FileLanguage.choices if value in counts]
        if name == "year":
            return [(value, value, count) for value, count in sorted(counts.items(), reverse=True)]
        model = {"section": SectionPage, "speaker": SpeakerPage}[name]
        titles = dict(
            model.objects.live().filter(locale=self.locale, slug__in=list(counts)).values_list("slug", "title")
        )
        return [(value, titles[value], count) for value, count in by_count if value in titles]

    @property
    def chosen_facets(self):
        return [facet for facet in self.facets if facet.chosen]

    @property
    def is_first_page(self):
        return self.request.GET.get("page", "1") == "1"

    @cached_property
    def promotions(self):
        """Editors' picks for this query (Wagtail's search promotions), on the first page only."""
        if not self.has_words or not self.is_first_page or self.search.filters:
            return []
        query = Query.objects.filter(query_string=self.logged_query).first()
        if query is None:
            return []
        picks = []
        for pick in query.editors_picks.select_related("page").order_by("sort_order"):
            if pick.page_id:
                page = pick.page.get_translation_or_none(self.locale) or pick.page
                if not page.live or page.locale_id != self.locale.pk:
                    continue
                picks.append({"title": page.title, "url": page.get_url(self.request), "description": pick.description})
            elif pick.external_link_url:
                picks.append({"title": pick.title, "url": pick.link, "description": pick.description})
        return picks

    @cached_property
    def logged_query(self):
        return " ".join(words(self.query))[:255]

    def log(self):
        """Counts the query once per search (not per results page or facet) in Wagtail's query log."""
        if not self.logged_query or not self.is_first_page or self.search.filters:
            return
        query = Query.get(self.logged_query)
        query.add_hit()
        if self.search.total == 0:
            day, _created = UnansweredQuery.objects.get_or_create(query=query, date=timezone.localdate())
            UnansweredQuery.objects.filter(pk=day.pk).update(hits=F("hits") + 1)

    @cached_property
    def did_you_mean(self):
        """A near spelling of a query that found nothing, when that spelling finds something."""
        if not self.has_words or self.search.total:
            return None
        vocabulary = title_vocabulary(self.locale.pk)
        corrected, changed = [], False
        for word in words(self.query):
            near = word
            if word not in vocabulary and len(word) > 2:
                near = next(iter(difflib.get_close_matches(word, vocabulary.near(word), n=1, cutoff=0.75)), word)
            changed |= near != word
            corrected.append(near)
        if not changed:
            return None
        suggestion = " ".join(corrected)
        if Search(suggestion, self.locale.pk, types=self.fixed_types).total == 0:
            return None
        return suggestion


class Vocabulary(set):
    """The words of the titles of one language, grouped by first letter for near matches."""

    def near(self, word):
        return [candidate for candidate in self if candidate[0] == word[0] and abs(len(candidate) - len(word)) <= 2]


def title_vocabulary(locale_id):
    # Kept for a while whatever changes: a suggestion may miss a title published minutes ago.
    key = f"search:vocabulary:{locale_id}"
    vocabulary = cache.get(key)
    if vocabulary is None:
        titles = Page.objects.filter(
            locale_id=locale_id, pk__in=IndexFacet.objects.filter(name="type").values("entry_id")
        ).values_list("title", flat=True)
        vocabulary = Vocabulary(word for title in titles.iterator() for word in words(title) if len(word) > 2)
        cache.set(key, vocabulary, VOCABULARY_SECONDS)
    return vocabulary
