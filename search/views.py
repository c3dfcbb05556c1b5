from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from wagtail.models import Locale

from .engine import suggest_titles
from .index import facet_type
from .results import SiteSearch, clean_query, type_labels


@require_safe
def search(request):
    found = SiteSearch(request)
    found.log()
    return render(
        request,
        "search/search.html",
        {
            "found": found,
            # The header's search box shows the query too.
            "search_query": found.query,
        },
    )


@require_safe
@cache_control(max_age=60)
def suggest(request):
    """Titles that start with what is being typed, for the search boxes (JSON)."""
    query, _truncated = clean_query(request.GET.get("q", ""))
    labels = type_labels()
    types = [request.GET["type"]] if request.GET.get("type") in labels else []
    pages = suggest_titles(query, Locale.get_active().pk, types) if len(query) >= 2 else []
    return JsonResponse(
        {
            "query": query,
            "suggestions": [
                {
                    "title": page.title,
                    "url": page.get_url(request),
                    "type": str(labels.get(facet_type(page.specific_class), "")),
                }
                for page in pages
            ],
        }
    )
