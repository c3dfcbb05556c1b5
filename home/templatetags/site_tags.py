from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language
from wagtail.models import Page, Site

register = template.Library()


def _site_for(request):
    return (
        Site.find_for_request(request) or Site.objects.select_related("root_page").filter(is_default_site=True).first()
    )


def _language_homes(request):
    """The live home page of each language, keyed by language code; looked up once a request."""
    homes = getattr(request, "_language_homes", None)
    if homes is None:
        site = _site_for(request)
        pages = (
            Page.objects.filter(translation_key=site.root_page.translation_key).live().select_related("locale")
            if site is not None
            else []
        )
        homes = request._language_homes = {home.locale.language_code: home for home in pages}
    return homes


def _page_urls_by_language(page, request):
    translations = Page.objects.filter(translation_key=page.translation_key).live().select_related("locale")
    urls = {translation.locale.language_code: translation.get_url(request) for translation in translations}
    # A route of the page's own (a community on the needs board, a month of the calendar) is
    # the same route on each translation.
    own_url = urls.get(get_language())
    if getattr(request, "routable_resolver_match", None) is not None and own_url and request.path.startswith(own_url):
        route = request.path[len(own_url) :]
        urls = {code: url + route for code, url in urls.items()}
    return urls


@register.simple_tag(takes_context=True)
def language_alternates(context):
    """Where this page is in each site language, for the switcher and the hreflang links.

    A Wagtail page links its translations (or that language's home where none exists
    yet); a view of its own (search) links the same URL in the other language; anything
    else (a 404) links each language's home. Only the first two are the same page in
    another language (``is_translation``): hreflang names those alone.
    """
    request = context.get("request")
    if request is None:
        return []
    cached = getattr(request, "_language_alternates", None)
    if cached is not None:
        return cached

    page = context.get("page")
    match = getattr(request, "resolver_match", None)
    urls = {}
    query = ""
    if isinstance(page, Page):
        urls = _page_urls_by_language(page, request)
        # The switcher keeps the visitor's filters; hreflang names the page itself.
        query = request.META.get("QUERY_STRING", "")
    elif match is not None and match.url_name not in (None, "wagtail_serve"):
        urls = {code: translate_url(request.get_full_path(), code) for code, _name in settings.LANGUAGES}

    current = get_language()
    alternates = []
    for code, name in settings.LANGUAGES:
        url = urls.get(code)
        is_translation = url is not None
        if url is None:
            home = _language_homes(request).get(code)
            url = home.get_url(request) if home else ("/" if code == settings.LANGUAGE_CODE else f"/{code}/")
        alternates.append(
            {
                "code": code,
                "name": name,
                "url": f"{url}?{query}" if query and is_translation else url,
                "absolute_url": request.build_absolute_uri(url),
                "is_current": code == current,
                "is_translation": is_translation,
            }
        )
    request._language_alternates = alternates
    return alternates


@register.simple_tag(takes_context=True)
def main_menu(context):
    """The pages editors marked "show in menus" under the home page of the active language."""
    request = context.get("request")
    homes = _language_homes(request) if request is not None else {}
    home = homes.get(get_language()) or homes.get(settings.LANGUAGE_CODE)
    if home is None:
        return []
    current = context.get("page")
    current_path = current.path if isinstance(current, Page) else None
    return [
        {"page": menu_page, "is_current": bool(current_path and current_path.startswith(menu_page.path))}
        for menu_page in home.get_children().live().public().in_menu().select_related("locale").order_by("path")
    ]
