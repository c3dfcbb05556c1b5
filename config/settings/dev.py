"""A developer's machine: `make run` and `make dev`.

Runs on SQLite with no other service. DEBUG stays off unless DJANGO_DEBUG=1, so that
`make run` shows the site as visitors see it (its own 404 and 500 pages included).
"""

import os

from .base import *  # noqa: F403

DEBUG = os.environ.get("DJANGO_DEBUG") == "1"
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-never-use-in-production")
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"] + [
    host for host in os.environ.get("ALLOWED_HOSTS", "").split(",") if host
]

# gunicorn serves everything locally: user uploads included.
SERVE_MEDIA = True
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
