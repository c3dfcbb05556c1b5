"""The admin's search: Wagtail's database backend, safe from quotes in what editors type.

modelsearch 1.3 wraps each word in double quotes for SQLite's FTS5 without doubling the quotes
inside it, so a word holding '"' is a syntax error and the snippet, document and chooser
listings answer 500. Quotes mean nothing to the admin's plain-text search: they become spaces,
and a query left with no words finds nothing.
"""

from functools import cache

from django.db.models import QuerySet
from modelsearch.backends.database import SearchBackend as database_backend


def _without_quotes(query):
    return " ".join(query.replace('"', " ").split()) if isinstance(query, str) else query


def _nothing(model_or_queryset):
    # An empty queryset, not modelsearch's EmptySearchResults: the admin's listings read its model.
    return model_or_queryset.none() if isinstance(model_or_queryset, QuerySet) else model_or_queryset.objects.none()


@cache
def _quote_safe(backend_class):
    class QuoteSafeBackend(backend_class):
        def search(self, query, model_or_queryset, *args, **kwargs):
            query = _without_quotes(query)
            if query == "":
                return _nothing(model_or_queryset)
            return super().search(query, model_or_queryset, *args, **kwargs)

        def autocomplete(self, query, model_or_queryset, *args, **kwargs):
            query = _without_quotes(query)
            if query == "":
                return _nothing(model_or_queryset)
            return super().autocomplete(query, model_or_queryset, *args, **kwargs)

    QuoteSafeBackend.__name__ = QuoteSafeBackend.__qualname__ = f"QuoteSafe{backend_class.__name__}"
    return QuoteSafeBackend


def SearchBackend(params):  # the name Wagtail looks up in a backend module
    """The database's own backend (SQLite FTS5 or PostgreSQL), as Wagtail would choose it."""
    return _quote_safe(type(database_backend(params)))(params)
