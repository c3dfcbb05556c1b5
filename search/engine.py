"""Answering a query: the matching pages of one language, ranked, counted and faceted in the database.

A results page costs a fixed number of queries whatever the number of matches: one per facet
chosen plus one for the counts (the total is the sum of the type counts), one for the page's
ranked ids, one for their passages and one per page type shown.
"""

import re
from dataclasses import dataclass, field
from functools import cached_property

from django.db import connection
from django.utils.html import escape
from django.utils.safestring import mark_safe
from wagtail.models import Page

from .analysis import APOSTROPHES, inflections, lemmas, meaningful_words, query_terms, words
from .models import IndexEntry
from .store import get_store

# The facets a search can be narrowed by, in the order they are shown.
FACET_NAMES = ("type", "section", "kind", "speaker", "language", "year")

PASSAGE_BEFORE, PASSAGE_AFTER = 90, 210


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

    def _where(self, without=None):
        """FROM and WHERE over the matching entries ``e``, with every filter but ``without``."""
        sql, params = get_store().matching(self.terms)
        sql += " AND e.locale_id = %s"
        params.append(self.locale_id)
        narrowing = [(name, [value]) for name, value in self.filters.items() if name != without]
        if self.types:
            narrowing.append(("type", list(self.types)))
        for name, values in narrowing:
            placeholders = ", ".join(["%s"] * len(values))
            sql += (
                " AND e.page_id IN (SELECT f.entry_id FROM search_indexfacet f"
                f" WHERE f.name = %s AND f.value IN ({placeholders}))"
            )
            params.extend([name, *values])
        return sql, params

    def _count_facets(self, without=None):
        sql, params = self._where(without)
        only = " AND f.name = %s" if without else ""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT f.name, f.value, COUNT(*) FROM search_indexfacet f"
                f" WHERE f.entry_id IN (SELECT e.page_id FROM {sql}){only} GROUP BY f.name, f.value",
                [*params, without] if without else params,
            )
            return cursor.fetchall()

    @cached_property
    def facet_counts(self):
        """{facet name: {value: count}}: a chosen facet's counts ignore its own choice, so
        its other values stay reachable; every other count is within all the choices."""
        if not self.terms:
            return {}
        counts = {}
        rows = self._count_facets()
        for name in self.filters:
            rows = [row for row in rows if row[0] != name] + self._count_facets(without=name)
        for name, value, count in rows:
            counts.setdefault(name, {})[value] = count
        return counts

    @cached_property
    def total(self):
        types = self.facet_counts.get("type", {})
        if "type" in self.filters:  # its counts ignore its own choice
            return types.get(self.filters["type"], 0)
        return sum(types.values())

    def count(self):
        return self.total

    def ranked_ids(self, offset, limit):
        store = get_store()
        sql, params = self._where()
        rank, rank_params, direction = store.ranking(self.terms)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT e.page_id FROM {sql} ORDER BY {rank} {direction},"
                " e.published_at DESC, e.page_id DESC LIMIT %s OFFSET %s",
                [*params, *rank_params, limit, offset],
            )
            return [row[0] for row in cursor.fetchall()]

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
    with connection.cursor() as cursor:
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
