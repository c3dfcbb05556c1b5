"""Answering a query: the matching pages of one language, ranked, counted and faceted in the database.

A results page costs a fixed number of queries whatever the number of matches: a count and the
facet counts for the query and again for each facet chosen, the page's ranked ids, their
passages and one per page type shown.
"""

import hashlib
import re
from dataclasses import dataclass, field
from functools import cached_property

from django.core.cache import cache
from django.utils.html import escape
from django.utils.safestring import mark_safe
from wagtail.models import Page

from .analysis import APOSTROPHES, inflections, lemmas, meaningful_words, query_terms, words
from .models import IndexEntry, IndexState
from .store import get_store

# The facets a search can be narrowed by, in the order they are shown.
FACET_NAMES = ("type", "section", "kind", "speaker", "language", "year")

PASSAGE_BEFORE, PASSAGE_AFTER = 90, 210
# How long the facet totals of a set of filters are kept; any change to the index renews them sooner.
TOTALS_SECONDS = 600
# Up to this many pages holding the words (in any language), their facets are counted one by one.
FEW_MATCHES = 5000


@dataclass
class Hit:
    page: Page
    label: str  # what kind of page it is: "матеріал", "подія"
    title: str  # HTML with the query's words marked
    passage: str  # HTML with the query's words marked
    in_document: bool


@dataclass
class Search:
    """One query in one language, narrowed by facet values ({"kind": "guide"}) and, for a
    listing that searches one kind of page only, by ``types`` ("material")."""

    text: str
    locale_id: int
    filters: dict = field(default_factory=dict)
    types: tuple = ()

    @cached_property
    def terms(self):
        return query_terms(self.text)

    def _narrowing(self, without=None):
        """AND conditions on ``e`` for every chosen facet value but ``without``, and the fixed types."""
        narrowing = [(name, [value]) for name, value in self.filters.items() if name != without]
        if self.types:
            narrowing.append(("type", list(self.types)))
        sql, params = "", []
        for name, values in narrowing:
            placeholders = ", ".join(["%s"] * len(values))
            sql += (
                " AND e.page_id IN (SELECT f.entry_id FROM search_indexfacet f"
                f" WHERE f.name = %s AND f.value IN ({placeholders}))"
            )
            params.extend([name, *values])
        return sql, params

    def _where(self, without=None):
        """FROM and WHERE over the matching entries ``e``, with every filter but ``without``."""
        sql, params = get_store().matching(self.terms)
        narrowing, narrowing_params = self._narrowing(without)
        return f"{sql} AND e.locale_id = %s{narrowing}", [*params, self.locale_id, *narrowing_params]

    def _candidates(self, without=None):
        """FROM and WHERE over the entries the filters leave, matching the query or not."""
        narrowing, narrowing_params = self._narrowing(without)
        return f"search_indexentry e WHERE e.locale_id = %s{narrowing}", [self.locale_id, *narrowing_params]

    def _fetch(self, sql, params):
        """Rows of a query, run on the cursor of the ``searching()`` block in progress."""
        self._cursor.execute(sql, params)
        return self._cursor.fetchall()

    def _group(self, sql, params):
        return self._fetch(
            "SELECT f.name, f.value, COUNT(*) FROM search_indexfacet f"
            f" WHERE f.entry_id IN (SELECT e.page_id FROM {sql}) GROUP BY f.name, f.value",
            params,
        )

    def _count_facets(self, without=None):
        """(name, value, count) rows over the matches, and the number of matches.

        When the query matches most of what the filters leave (a common word), the counts are
        the filters' totals, which do not depend on the query and are cached, less the counts
        of the few pages it does not match: the many matches are never grouped one by one."""
        ids_sql, ids_params = get_store().matching_ids(self.terms)
        anywhere = self._fetch(f"SELECT COUNT(*) FROM ({ids_sql}) matches", ids_params)[0][0]
        if not anywhere:
            return [], 0
        candidates_sql, candidates_params = self._candidates(without)
        totals = self._totals(candidates_sql, candidates_params) if anywhere > FEW_MATCHES else []
        candidates = sum(count for name, _value, count in totals if name == "type")
        if anywhere * 2 <= candidates or anywhere <= FEW_MATCHES:
            match_sql, match_params = self._where(without)
            rows = self._group(match_sql, match_params)
        else:
            unmatched = {
                (name, value): count
                for name, value, count in self._group(
                    f"{candidates_sql} AND e.page_id NOT IN ({ids_sql})", [*candidates_params, *ids_params]
                )
            }
            rows = [(name, value, count - unmatched.get((name, value), 0)) for name, value, count in totals]
            rows = [row for row in rows if row[2] > 0]
        # Every page has exactly one type.
        return rows, sum(count for name, _value, count in rows if name == "type")

    def _totals(self, sql, params):
        key = "search:totals:" + hashlib.sha256(repr((self.index_version, sql, params)).encode()).hexdigest()
        totals = cache.get(key)
        if totals is None:
            totals = self._group(sql, params)
            cache.set(key, totals, TOTALS_SECONDS)
        return totals

    @cached_property
    def index_version(self):
        return IndexState.version()

    @cached_property
    def facet_counts(self):
        """{facet name: {value: count}}: a chosen facet's counts ignore its own choice, so
        its other values stay reachable; every other count is within all the choices."""
        if not self.terms:
            return {}
        with get_store().searching() as self._cursor:
            rows, self._total = self._count_facets()
            for name in self.filters:
                rows = [row for row in rows if row[0] != name]
                rows += [row for row in self._count_facets(without=name)[0] if row[0] == name]
        counts = {}
        for name, value, count in rows:
            counts.setdefault(name, {})[value] = count
        return counts

    @cached_property
    def total(self):
        return self._total if self.facet_counts else 0

    def count(self):
        return self.total

    def ranked_ids(self, offset, limit):
        """Titles first, then body text, then document text; the newest first within each.

        Each part is asked only for as many ids as the page still needs (one to three queries)."""
        narrowing, narrowing_params = self._narrowing()
        wanted, ids = offset + limit, []
        with get_store().searching() as self._cursor:
            for sql, params in get_store().tiers(self.terms):
                rows = self._fetch(
                    f"SELECT e.page_id FROM {sql} AND e.locale_id = %s{narrowing}"
                    " ORDER BY e.published_at DESC, e.page_id DESC LIMIT %s",
                    [*params, self.locale_id, *narrowing_params, wanted - len(ids)],
                )
                ids += [row[0] for row in rows]
                if len(ids) >= wanted:
                    break
        return ids[offset:wanted]

    def __getitem__(self, key):
        """The hits of one results page (the Paginator slices)."""
        if not isinstance(key, slice) or not self.terms:
            return []
        offset = key.start or 0
        return self.hits(offset, (key.stop or offset) - offset)

    def hits(self, offset, limit):
        ids = self.ranked_ids(offset, limit)
        if not ids:
            return []
        # Checked again against the pages themselves: an entry never outlives the page's privacy.
        pages = Page.objects.filter(pk__in=ids).live().public().specific().in_bulk()
        texts = IndexEntry.objects.filter(page_id__in=ids).only("body_text", "document_text").in_bulk()
        marker = Marker(self.text)
        hits = []
        for page_id in ids:
            page, entry = pages.get(page_id), texts.get(page_id)
            if page is None or entry is None:
                continue
            passage, in_document = marker.passage(entry.body_text, entry.document_text)
            hits.append(
                Hit(
                    page=page,
                    label=type(page)._meta.verbose_name,
                    title=marker.mark(page.title),
                    passage=passage,
                    in_document=in_document,
                )
            )
        return hits


def suggest_titles(text, locale_id, types=(), limit=8):
    """Pages whose title starts with what has been typed (the last word may be unfinished)."""
    terms = [lemmas(word) for word in words(text)][:8]
    if not terms:
        return []
    sql, params = get_store().title_matching(terms)
    sql += " AND e.locale_id = %s"
    params.append(locale_id)
    if types:
        placeholders = ", ".join(["%s"] * len(types))
        sql += (
            " AND e.page_id IN (SELECT f.entry_id FROM search_indexfacet f"
            f" WHERE f.name = 'type' AND f.value IN ({placeholders}))"
        )
        params.extend(types)
    with get_store().searching() as cursor:
        cursor.execute(f"SELECT e.page_id FROM {sql} ORDER BY e.published_at DESC LIMIT %s", [*params, limit])
        ids = [row[0] for row in cursor.fetchall()]
    pages = Page.objects.filter(pk__in=ids).live().public().in_bulk()
    return [pages[page_id] for page_id in ids if page_id in pages]


class Marker:
    """Finds and marks the query's words, in any of their forms, in a title or a passage."""

    def __init__(self, text):
        alternatives = set()
        for word in meaningful_words(text):
            stems = {form for form in lemmas(word) if form.isascii() and form != word}
            alternatives.update(re.escape(form) + r"\w*" for form in stems)
            alternatives.update(re.escape(form) for form in inflections(word))
        apostrophe = f"[{APOSTROPHES}]"
        pattern = "|".join(sorted((a.replace("'", apostrophe) for a in alternatives), key=len, reverse=True))
        self.pattern = re.compile(rf"(?<!\w)(?:{pattern})(?!\w)", re.IGNORECASE) if pattern else None

    def mark(self, text):
        if not self.pattern:
            return escape(text)
        marked, end = [], 0
        for match in self.pattern.finditer(text):
            marked.append(escape(text[end : match.start()]))
            marked.append(f"<mark>{escape(match.group())}</mark>")
            end = match.end()
        marked.append(escape(text[end:]))
        return mark_safe("".join(marked))  # noqa: S308 (every piece of the text is escaped above)

    def passage(self, body, document):
        """A passage around the first match, from the body or else from the document's text."""
        for source, in_document in ((body, False), (document, True)):
            match = self.pattern.search(source) if self.pattern and source else None
            if match:
                return self.mark(_window(source, match.start(), match.end())), in_document
        return self.mark(_window(body, 0, 0)) if body else "", False


def _window(text, start, end):
    left = max(0, start - PASSAGE_BEFORE)
    right = min(len(text), end + PASSAGE_AFTER)
    if left > 0:
        space = text.find(" ", left, start)
        left = space + 1 if space != -1 else left
    if right < len(text):
        space = text.rfind(" ", end, right)
        right = space if space != -1 else right
    passage = " ".join(text[left:right].split())
    return ("… " if left > 0 else "") + passage + (" …" if right < len(text) else "")
