"""The test suite: PostgreSQL and Redis at their local addresses unless the environment says so."""

import os
from urllib.parse import urlsplit, urlunsplit

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .base import REDIS_VISIBILITY_TIMEOUT, VAR_DIR, database

DATABASES = {
    "default": database(
        os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/simulator")
    )
}

# --- Parallel runs (pytest-xdist) -----------------------------------------------------------
# Each worker process (gw0, gw1, ...) takes the Redis database number of REDIS_URL plus its
# index and a var/ folder of its own, so the workers' Celery queues, results and files never
# meet; pytest-django already gives each its own test database (test_<name>_gw0, ...). The
# subprocesses a test starts get these values explicitly (tests/lifecycle/workers.py's
# worker_env) and no worker name, so they do not add the offset a second time.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
REDIS_DATABASES = 16  # redis-server's default number of databases


def worker_redis(url: str, worker: str) -> str:
    """`url` with its database number moved up by the worker's index (gw3: +3)."""
    if not worker:
        return url
    parts = urlsplit(url)
    number = int(parts.path.strip("/") or 0) + int(worker.removeprefix("gw"))
    if number >= REDIS_DATABASES:
        raise ImproperlyConfigured(
            f"pytest-xdist worker {worker} would use Redis database {number} (of 0-"
            f"{REDIS_DATABASES - 1}): run fewer processes (-n) or give REDIS_URL a lower number"
        )
    return urlunsplit(parts._replace(path=f"/{number}"))


REDIS_URL = worker_redis(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"), XDIST_WORKER)
CELERY_BROKER_URL = REDIS_URL
CELERY_BROKER_TRANSPORT = None  # the URL's: base names the filesystem one when REDIS_URL is unset
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": REDIS_VISIBILITY_TIMEOUT}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TEST_VAR_DIR = VAR_DIR / "xdist" / XDIST_WORKER if XDIST_WORKER else VAR_DIR
MEDIA_ROOT = TEST_VAR_DIR / "test-media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
