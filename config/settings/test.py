"""The test suite: fast hashing, a local-memory cache, plain static storage, media of its own."""

import atexit
import shutil
import tempfile

from .base import *  # noqa: F403

SECRET_KEY = "test-only-key"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tests do not depend on `collectstatic` having run.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
# Uploaded and generated files go to a folder of the run's own, never the site's media.
MEDIA_ROOT = tempfile.mkdtemp(prefix="rishennia-test-media-")
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WAGTAILADMIN_BASE_URL = "http://testserver"
# The demo's 400 materials take minutes to load; the tests load a sample of every section.
LIBRARY_DEMO_PER_SECTION = 1
EVENTS_DEMO_PER_FILE = 5
NEEDS_DEMO_SAMPLE = 8
