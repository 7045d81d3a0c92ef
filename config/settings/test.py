"""The test suite: PostgreSQL and Redis at their local addresses unless the environment says so."""

import os

from .base import *  # noqa: F401,F403
from .base import REDIS_VISIBILITY_TIMEOUT, VAR_DIR, database

DATABASES = {
    "default": database(
        os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/simulator")
    )
}
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
CELERY_BROKER_URL = REDIS_URL
CELERY_BROKER_TRANSPORT = None  # the URL's: base names the filesystem one when REDIS_URL is unset
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": REDIS_VISIBILITY_TIMEOUT}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = VAR_DIR / "test-media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
