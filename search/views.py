import re

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_safe
from wagtail.models import Locale, Page

MAX_QUERY_LENGTH = 200
RESULTS_PER_PAGE = 10

# Only letters, digits, apostrophes and hyphens inside words reach the search backend:
# quotes, operators and NUL bytes make SQLite FTS5 raise instead of answering.
_NOT_WORD = re.compile(r"[^\w'’ʼ-]+")


def clean_query(raw):
    """Returns (the words to search for, whether the query was cut to the maximum length)."""
    text = raw.replace("\x00", " ")
    truncated = len(text) > MAX_QUERY_LENGTH
    text = text[:MAX_QUERY_LENGTH]
    words = [word.strip("'’ʼ-") for word in _NOT_WORD.split(text)]
    return " ".join(word for word in words if word), truncated


@require_safe
def search(request):
    raw_query = request.GET.get("q", "")
    query, truncated = clean_query(raw_query)
    results_page = None
    if query:
        results = (
            Page.objects.live()
            .public()
            .filter(locale=Locale.get_active())
            .exclude(depth=1)
            .search(query, operator="and")
        )
        results_page = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "search/search.html",
        {
            "search_query": raw_query.replace("\x00", "")[:MAX_QUERY_LENGTH].strip(),
            "query_was_truncated": truncated,
            "max_query_length": MAX_QUERY_LENGTH,
            "results_page": results_page,
        },
    )
