"""The site search inside a listing page (the library searches its materials only)."""

from django import template

from search.results import SiteSearch

register = template.Library()


@register.simple_tag(takes_context=True)
def search_listing(context, types, per_page=20):
    """The search the address asks for, limited to page types ("material" or "material,event")."""
    found = SiteSearch(context["request"], types=types.split(","), per_page=per_page)
    found.log()
    return found
