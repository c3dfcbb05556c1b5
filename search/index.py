"""What the site search holds for a page, and keeping it so.

A page is indexed when it is live, not an alias, public (no view restriction on it or above it) and below the
root. Its text comes from the page type's own ``search_fields``: the field ``title`` is the
title; a field with a boost below 1 is the text of an attached document, ranked lowest; every
other field is body text. Its facets come from ``search_facets()`` where the page type has one.
"""

import html

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Manager, Q
from django.utils.encoding import force_str
from django.utils.html import strip_tags
from modelsearch import index
from wagtail.models import Page, PageViewRestriction

from .analysis import index_text
from .models import IndexEntry, IndexFacet, IndexState
from .store import get_store

# How much plain text is kept to cut a result's passage from (the words are all indexed).
MAX_PASSAGE_SOURCE_CHARS = 100_000


def facet_type(model):
    """The value of the "type" facet for a page model: "material" for MaterialPage."""
    return model._meta.model_name.removesuffix("page") or model._meta.model_name


def _plain(value):
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return " ".join(_plain(item) for item in value)
    if isinstance(value, dict):
        return " ".join(_plain(item) for item in value.values())
    text = force_str(value)
    if "<" in text:
        text = strip_tags(text)
    return html.unescape(text)


def _field_values(obj, field):
    if isinstance(field, index.SearchField):
        yield field, _plain(field.get_value(obj))
    elif isinstance(field, index.RelatedFields):
        related = field.get_value(obj)
        if related is None:
            return
        if isinstance(related, Manager):
            related = related.all()
        elif callable(related):
            related = [related()]
        else:
            related = [related]
        for item in related:
            for sub_field in field.fields:
                yield from _field_values(item, sub_field)


def page_texts(page):
    """(title, body, document text) of a specific page, from its search fields."""
    parts = {"title": [], "body": [], "document": []}
    for field in page.get_search_fields():
        for search_field, text in _field_values(page, field):
            if not text:
                continue
            if search_field.field_name == "title":
                parts["title"].append(text)
            elif (search_field.boost or 1) < 1:
                parts["document"].append(text)
            else:
                parts["body"].append(text)
    return tuple("\n".join(texts) for texts in parts.values())


def is_public(page, restricted_paths):
    # An alias (the English copy of a page not yet translated) would only repeat its source.
    return (
        page.live
        and page.alias_of_id is None
        and page.depth > 1
        and not page.expired
        and not any(page.path.startswith(path) for path in restricted_paths)
    )


def restricted_paths():
    return list(PageViewRestriction.objects.values_list("page__path", flat=True))


def _tokens(text):
    return index_text(text).split()


@transaction.atomic
def index_pages(pages):
    """Indexes each specific page that is public and drops the others from the index."""
    paths = restricted_paths()
    store = get_store()
    public = [page for page in pages if is_public(page, paths)]
    hidden = [page.pk for page in pages if not is_public(page, paths)]
    if hidden:
        remove_pages(hidden)
    with connection.cursor() as cursor:
        for page in public:
            title, body, document = page_texts(page)
            IndexEntry.objects.update_or_create(
                page_id=page.pk,
                defaults={
                    "locale_id": page.locale_id,
                    "content_type": ContentType.objects.get_for_model(type(page)),
                    "published_at": page.first_published_at,
                    "body_text": body[:MAX_PASSAGE_SOURCE_CHARS],
                    "document_text": document[:MAX_PASSAGE_SOURCE_CHARS],
                },
            )
            store.write(cursor, page.pk, _tokens(title), _tokens(body), _tokens(document))
            _write_facets(page)
    IndexState.touch()


def _write_facets(page):
    values = {("type", facet_type(type(page)))}
    facets = getattr(page, "search_facets", None)
    for name, found in (facets() if facets else {}).items():
        values.update((name, str(value)[:255]) for value in found if value not in (None, ""))
    existing = set(IndexFacet.objects.filter(entry_id=page.pk).values_list("name", "value"))
    gone = Q()
    for name, value in existing - values:
        gone |= Q(name=name, value=value)
    if gone:
        IndexFacet.objects.filter(gone, entry_id=page.pk).delete()
    IndexFacet.objects.bulk_create([IndexFacet(entry_id=page.pk, name=n, value=v) for n, v in values - existing])


def remove_pages(page_ids):
    store = get_store()
    with transaction.atomic(), connection.cursor() as cursor:
        IndexEntry.objects.filter(page_id__in=page_ids).delete()
        store.delete(cursor, page_ids)
        IndexState.touch()


def clear():
    with transaction.atomic(), connection.cursor() as cursor:
        IndexEntry.objects.all().delete()
        get_store().clear(cursor)
        IndexState.touch()


def reindex_tree(page):
    """Indexes a page and everything below it again (after a move or a change of view restriction)."""
    pages = Page.objects.filter(path__startswith=page.path).specific(defer=False).iterator(chunk_size=200)
    batch = []
    for page_ in pages:
        batch.append(page_)
        if len(batch) == 200:
            index_pages(batch)
            batch = []
    if batch:
        index_pages(batch)


def remove_stale():
    """Drops the entries of pages that are gone or no longer public (after a rebuild)."""
    paths = restricted_paths()
    stale = [
        page.pk
        for page in Page.objects.filter(pk__in=IndexEntry.objects.values("page_id")).only(
            "live", "alias_of_id", "depth", "expired", "path"
        )
        if not is_public(page, paths)
    ]
    if stale:
        remove_pages(stale)
