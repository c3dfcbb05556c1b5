import logging
import posixpath

from django.conf import settings
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.db import DatabaseError, connection
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe
from django.views.static import serve as serve_file

from .sitemap import MultilingualSitemap

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def healthz(request):
    """200 while the database answers, 503 when it does not: for load balancers and monitors."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database does not answer")
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_safe
@cache_control(max_age=60 * 60)
def robots_txt(request):
    return render(request, "robots.txt", content_type="text/plain; charset=utf-8")


@require_safe
@cache_control(max_age=60 * 60)
def sitemap(request):
    return sitemap_view(request, sitemaps={"pages": MultilingualSitemap(request)})


# Folders of the media store that only Wagtail's document view may serve, with their privacy.
PRIVATE_MEDIA_FOLDERS = ("documents", "document_previews")


def serve_public_media(request, path):
    """Development only (SERVE_MEDIA): the media store, without the documents' folders."""
    normalized = posixpath.normpath(path).lstrip("/")
    if normalized.split("/", 1)[0] in PRIVATE_MEDIA_FOLDERS:
        raise Http404
    return serve_file(request, normalized, document_root=settings.MEDIA_ROOT)
