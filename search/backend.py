"""The site search as a Wagtail search backend, for its indexing side.

Registered in ``WAGTAILSEARCH_BACKENDS`` as "site", it is kept current by Wagtail's own signal
handlers (a page saved, published, unpublished, moved or deleted) and rebuilt by
``manage.py update_index`` with its progress. Queries go through ``search.engine``, which
ranks, counts and filters in the database; the admin keeps searching with the "default" backend.
"""

from modelsearch.backends import get_search_backend
from modelsearch.backends.base import BaseIndex, BaseSearchBackend
from wagtail.models import Page

from . import index


class SiteIndex(BaseIndex):
    def get_key(self):
        return "site"

    def reset(self):
        index.clear()

    def add_items(self, model, items):
        if issubclass(model, Page):
            index.index_pages(items)

    def delete_item(self, item):
        if isinstance(item, Page):
            index.remove_pages([item.pk])


class SiteIndexRebuilder:
    """Rebuilds in place: the index keeps answering while ``update_index`` runs."""

    def __init__(self, index_):
        self.index = index_

    def start(self):
        return self.index

    def finish(self):
        index.remove_stale()


class SearchBackend(BaseSearchBackend):
    index_class = SiteIndex
    rebuilder_class = SiteIndexRebuilder

    def add(self, obj):
        self.get_index_for_object(obj).add_item(obj)

    def add_bulk(self, model, obj_list):
        self.get_index_for_model(model).add_items(model, obj_list)

    def delete(self, obj):
        self.get_index_for_object(obj).delete_item(obj)

    # Wagtail's query API (``Page.objects.search(..., backend="site")``) is answered by the admin's
    # backend; the site's own queries go through search.engine.Search, with facets and passages.
    def search(self, *args, **kwargs):
        return get_search_backend("default").search(*args, **kwargs)

    def autocomplete(self, *args, **kwargs):
        return get_search_backend("default").autocomplete(*args, **kwargs)
