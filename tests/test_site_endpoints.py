"""sitemap.xml, robots.txt, the health check and the error pages."""

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import translation
from django.views.defaults import permission_denied
from wagtail.models import PageViewRestriction
from wagtail_localize.synctree import create_aliases_for_new_page

from home.models import HomePage
from tests.factories import StandardPageFactory

pytestmark = pytest.mark.django_db

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}


def sitemap_entries(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    return {
        url.find("s:loc", SITEMAP_NS).text: {
            link.get("hreflang"): link.get("href") for link in url.findall("xhtml:link", SITEMAP_NS)
        }
        for url in root.findall("s:url", SITEMAP_NS)
    }


class TestSitemap:
    def test_lists_both_languages_with_alternates(self, client, home, translate):
        translate(home, {home.title: "Solutions Supermarket for Communities"})
        page = StandardPageFactory(parent=home, title="Про платформу", slug="pro-platformu")
        translate(page, {"Про платформу": "About the platform"})
        entries = sitemap_entries(client)
        assert set(entries) == {
            "http://localhost/",
            "http://localhost/en/",
            "http://localhost/pro-platformu/",
            "http://localhost/en/pro-platformu/",
        }
        assert entries["http://localhost/en/pro-platformu/"] == {
            "uk": "http://localhost/pro-platformu/",
            "en": "http://localhost/en/pro-platformu/",
        }

    def test_leaves_out_untranslated_copies(self, client, home):
        page = StandardPageFactory(parent=home, title="Лише українською", slug="lyshe-ukrainskoiu")
        create_aliases_for_new_page(page)
        # The English home is still an untranslated copy here too.
        assert set(sitemap_entries(client)) == {"http://localhost/", "http://localhost/lyshe-ukrainskoiu/"}

    def test_leaves_out_drafts_and_private_pages(self, client, home):
        StandardPageFactory(parent=home, title="Чернетка", slug="chernetka", live=False)
        private = StandardPageFactory(parent=home, title="Клуб", slug="klub")
        PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
        assert set(sitemap_entries(client)) == {"http://localhost/"}

    def test_query_count_does_not_grow_with_pages(self, client, home, django_assert_max_num_queries):
        for number in range(5):
            StandardPageFactory(parent=home, slug=f"a-{number}")
        with django_assert_max_num_queries(12) as few:
            client.get("/sitemap.xml")
        queries_with_few_pages = len(few.captured_queries)  # read now: every request clears the log
        for number in range(40):
            StandardPageFactory(parent=home, slug=f"b-{number}")
        with django_assert_max_num_queries(queries_with_few_pages):
            client.get("/sitemap.xml")


class TestRobots:
    def test_points_at_the_sitemap_and_keeps_robots_out_of_the_admin(self, client, home):
        response = client.get("/robots.txt")
        assert response.status_code == 200
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        text = response.content.decode()
        assert "Disallow: /admin/" in text
        assert "Sitemap: http://testserver/sitemap.xml" in text


class TestHealthCheck:
    def test_answers_200_when_the_database_answers(self, client):
        response = client.get("/healthz")
        assert response.status_code == 200
        assert response.json() == {"status": "ok", "database": "ok"}
        assert "no-cache" in response["Cache-Control"]

    def test_answers_503_when_the_database_does_not(self):
        # A real unreachable database: a fresh process whose DATABASE_URL points at a closed port.
        script = (
            "import django, json; django.setup();"
            "from django.test import Client;"
            "r = Client().get('/healthz');"
            "print(json.dumps({'status': r.status_code, 'body': r.json()}))"
        )
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": "postgres://nobody@127.0.0.1:9/none",
            "LOG_LEVEL": "CRITICAL",
        }
        result = subprocess.run(
            [sys.executable, "-c", script], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0, result.stderr
        answer = json.loads(result.stdout.strip().splitlines()[-1])
        assert answer == {"status": 503, "body": {"status": "error", "database": "unavailable"}}


class TestErrorPages:
    @pytest.mark.parametrize(
        ("url", "lang", "text"),
        [("/nemaie-takoi/", "uk", "Сторінку не знайдено"), ("/en/no-such-page/", "en", "Page not found")],
    )
    def test_not_found_in_both_languages(self, client, home, url, lang, text):
        response = client.get(url)
        assert response.status_code == 404
        html = response.content.decode()
        assert f'<html lang="{lang}">' in html
        assert text in html

    @pytest.mark.parametrize(
        ("url", "lang", "text"),
        [("/", "uk", "Щось пішло не так"), ("/en/", "en", "Something went wrong on our side")],
    )
    def test_server_error_in_both_languages(self, client, home, monkeypatch, url, lang, text):
        def broken_serve(self, request, *args, **kwargs):
            raise RuntimeError("a bug in a page type")

        monkeypatch.setattr(HomePage, "serve", broken_serve)
        client.raise_request_exception = False
        response = client.get(url)
        assert response.status_code == 500
        html = response.content.decode()
        assert f'<html lang="{lang}">' in html
        assert text in html

    @pytest.mark.parametrize(
        ("url", "lang", "text"),
        [("/", "uk", "Запит не вдалося зрозуміти"), ("/en/", "en", "The request could not be understood")],
    )
    def test_bad_host_gets_a_clear_400_in_both_languages(self, client, home, url, lang, text):
        response = client.get(url, HTTP_HOST="not-our-site.example")
        assert response.status_code == 400
        html = response.content.decode()
        assert f'<html lang="{lang}">' in html
        assert text in html

    @pytest.mark.parametrize(
        ("lang", "text"), [("uk", "У вас немає доступу до цієї сторінки"), ("en", "You do not have access")]
    )
    def test_permission_denied_in_both_languages(self, rf, lang, text):
        with translation.override(lang):
            response = permission_denied(rf.get("/"), PermissionDenied())
        assert response.status_code == 403
        assert text in response.content.decode()


@pytest.mark.parametrize("url", ["/healthz", "/robots.txt", "/sitemap.xml"])
def test_head_requests_are_answered(client, home, url):
    assert client.head(url).status_code == 200


@pytest.mark.parametrize("url", ["/healthz", "/robots.txt", "/sitemap.xml"])
def test_writes_are_refused(client, home, url):
    assert client.post(url).status_code == 405
