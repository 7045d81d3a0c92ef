"""Production: everything from the environment, HTTPS only, and a real SECRET_KEY and email
backend or no start.

gunicorn (config.wsgi), the ASGI app and `celery -A config` load this module unless
DJANGO_SETTINGS_MODULE says otherwise.
"""

import os

from config.emailing import production_email_backend

from .base import *  # noqa: F401,F403
from .base import (
    DATABASES,
    REDIS_URL,
    SERVED_SESSION_ENGINE,
    SIMULATOR,
    STORAGES,
    env_bool,
    real_secret_key,
    shared_cache,
)

SECRET_KEY = real_secret_key(os.environ.get("SECRET_KEY", ""))
DEBUG = False

# --- Email ----------------------------------------------------------------------------------
# A real backend (SMTP), or explicitly none: never the console, which would log every link.
EMAILS_SANDBOX_ONLY = env_bool("EMAILS_SANDBOX_ONLY", False)
EMAIL_BACKEND = production_email_backend(
    os.environ.get("EMAIL_BACKEND", ""),
    sandbox_only=EMAILS_SANDBOX_ONLY,
    deliver=bool(SIMULATOR["DELIVER_EMAIL"]),
)

# --- HTTPS ----------------------------------------------------------------------------------
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto (and strips it from clients),
# BEHIND_HTTPS_PROXY=1 lets Django see the request as https (else every request redirects).
if env_bool("BEHIND_HTTPS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)

# --- Static files ---------------------------------------------------------------------------
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Serving fast (issue 12; docs/benchmarks.md) --------------------------------------------
# Persistent database connections: a gunicorn worker keeps its connection for a minute instead
# of opening one per request (CONN_MAX_AGE=0 in the environment turns that off), and checks it
# is alive before reusing it.
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("CONN_MAX_AGE", "60"))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Sessions read from the cache that every process shares (Redis), written through to the
# database: no session query per request. Without Redis, plain database sessions.
if REDIS_URL:
    CACHES = shared_cache(REDIS_URL)
    SESSION_ENGINE = SERVED_SESSION_ENGINE
