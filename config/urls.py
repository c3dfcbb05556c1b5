from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from accounts import urls as accounts_urls
from events import views as event_views
from home import views as home_views
from library import views as library_views
from search import views as search_views

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/preview/<int:document_id>.png", library_views.document_preview, name="library_document_preview"),
    path("documents/", include(wagtaildocs_urls)),
    path("healthz", home_views.healthz, name="healthz"),
    path("robots.txt", home_views.robots_txt, name="robots_txt"),
    path("sitemap.xml", home_views.sitemap, name="sitemap"),
]

if settings.SERVE_MEDIA:
    # Documents and their previews are left out: only Wagtail's view serves them, with their privacy.
    media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns += [re_path(rf"^{media_prefix}(?P<path>.*)$", home_views.serve_public_media)]

# Ukrainian at /…, English at /en/…; Wagtail serves every page path last.
urlpatterns += i18n_patterns(
    path("search/", search_views.search, name="search"),
    path("search/suggest/", search_views.suggest, name="search_suggest"),
    path("events/feed.ics", event_views.calendar_feed, name="events_feed"),
    path("events/event-<int:event_id>.ics", event_views.event_calendar_file, name="event_calendar_file"),
    path("", include(accounts_urls)),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
