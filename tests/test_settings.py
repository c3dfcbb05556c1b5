"""The production settings: secure, read from the environment, clean under `check --deploy`."""

import os
import subprocess
import sys

from django.conf import settings

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "k3N9-vq2Lx8Rz5Tw7Yb1Hd4Jf6Mp0Sc2Ue8Wg5Ai9Ko3Qn7Xr1Zt4Vy6Bm8Dl2Fh0",
    "ALLOWED_HOSTS": "rishennia.example.org",
    "DATABASE_URL": "postgres://app@db.internal:5432/supermarket",
    "REDIS_URL": "redis://cache.internal:6379/0",
    "WAGTAILADMIN_BASE_URL": "https://rishennia.example.org",
}


def run_manage(*args, env):
    full_env = {key: value for key, value in os.environ.items() if key not in PRODUCTION_ENV}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_reports_no_issue_at_all():
    result = run_manage("check", "--deploy", "--fail-level", "DEBUG", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**PRODUCTION_ENV, "SECRET_KEY": ""}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_reads_database_and_cache_from_the_environment():
    script = (
        "import django; django.setup(); from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['HOST'],"
        " s.CACHES['default']['BACKEND'], s.DEBUG, s.ALLOWED_HOSTS)"
    )
    env = {key: value for key, value in os.environ.items() if key not in PRODUCTION_ENV}
    env.update(PRODUCTION_ENV)
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "db.internal",
        "django.core.cache.backends.redis.RedisCache",
        "False",
        "['rishennia.example.org']",
    ]


def test_base_settings_are_secure_by_default():
    from config.settings import base

    assert base.DEBUG is False
    assert not hasattr(base, "SECRET_KEY")
