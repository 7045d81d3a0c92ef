"""Settings shared by every environment; what differs per machine comes from the environment."""

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("SIMULATOR_VAR_DIR", BASE_DIR / "var"))


# The development key is published in this repository: the production settings refuse it.
# bandit: published on purpose; prod refuses it
DEV_SECRET_KEY = "insecure-simulator-key-set-SECRET_KEY-in-production"  # noqa: S105  # nosec B105


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def real_secret_key(value: str) -> str:
    """The key, or ImproperlyConfigured when it is missing, published or too weak to sign with.

    "Too weak" is what `check --deploy` warns about: under 50 characters or under 5 distinct.
    """
    value = value.strip()
    if not value:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set: the production settings need a long random key, e.g. "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    if value == DEV_SECRET_KEY or value.startswith("django-insecure"):
        raise ImproperlyConfigured(
            "SECRET_KEY is the development key published in the repository: set a random one."
        )
    if len(value) < 50:
        raise ImproperlyConfigured("SECRET_KEY is too short: use at least 50 random characters.")
    if len(set(value)) < 5:
        raise ImproperlyConfigured(
            "SECRET_KEY is not random: it repeats fewer than 5 distinct characters; use a "
            "random one, e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    return value


# --- Core -----------------------------------------------------------------------------------
SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]
THIRD_PARTY_APPS = ["django_htmx", "crispy_forms", "crispy_bootstrap5", "csp", "axes", "lti_tool"]
LOCAL_APPS = ["editions", "accounts", "shops", "lifecycle", "studio", "training", "lti", "rewind"]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.middleware.SignedInPagesNotStoredMiddleware",  # no-store for signed-in responses
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "lifecycle.web.RefusalKeepsItsPage",  # a refused htmx form keeps its page's address
    "axes.middleware.AxesMiddleware",  # last: it turns a refused sign-in into the lockout page
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lifecycle.context_processors.seller_center",
                "training.context_processors.objectives",
                "training.context_processors.trainer_nav",
            ],
            # Every page writes times and timeline events through the same filters.
            "builtins": [
                "lifecycle.templatetags.seller_center",
                "lifecycle.templatetags.states",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# SQLite under var/ unless DATABASE_URL says otherwise, so a fresh clone runs with no server.
# SQLite is made safe for one web process and one worker writing at once: the WAL journal lets
# readers go on while one writes, IMMEDIATE transactions take the write lock at BEGIN (so two
# writers queue instead of failing when one upgrades its read lock), and the busy timeout is how
# long a writer waits for the other before it gives up.
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}


def database(url: str, **kwargs: Any) -> dict[str, Any]:
    config: dict[str, Any] = dict(dj_database_url.parse(url, **kwargs))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {**SQLITE_OPTIONS, **config.get("OPTIONS", {})}
    return config


DATABASES = {
    "default": database(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'simulator.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Sessions and the cache -----------------------------------------------------------------
# Sessions stay in the database; served with a cache that every web process shares (Redis,
# production and the benchmarks), they are read from the cache (written through to the
# database), so a page does not read the session row on every request. The development
# server keeps plain database sessions: its cache is per process.
SERVED_SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"


def shared_cache(url: str) -> dict:
    """A Redis cache on `url`, shared by every process of a deployment. It fails open
    (config/cache.py): with Redis down, sessions are read from the database and pages go on.
    The timeouts bound what a Redis that does not answer costs a request."""
    return {
        "default": {
            "BACKEND": "config.cache.FailOpenRedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }


# --- Auth -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"
# Axes first: it refuses a locked-out sign-in before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# --- Sign-in protection (django-axes) -------------------------------------------------------
# A username is locked only together with the address it failed from, so an attacker cannot
# lock a person out from everywhere; the lock lifts by itself after the cool-off, counted from
# the failure that locked it (more tries while locked do not push it further), and support
# staff can lift it at once in the admin (Axes → Access attempts → delete).
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_HTTP_RESPONSE_CODE = 429  # the lockout page's status (axes' default, named for the page)
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "accounts.lockout.locked_out"
AXES_VERBOSE = False  # log lines name the lockout parameters only, never the user agent
# Behind a proxy, the number of proxies that append to X-Forwarded-For (else REMOTE_ADDR).
AXES_IPWARE_PROXY_COUNT = (
    int(os.environ["TRUSTED_PROXY_COUNT"]) if os.environ.get("TRUSTED_PROXY_COUNT") else None
)
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)

# --- Security headers -----------------------------------------------------------------------
# Every page keeps this policy: no inline script or style anywhere (JS and CSS are static
# files under static/), nothing from another origin, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'report-sample'"],
        "style-src": ["'self'", "'report-sample'"],
        "img-src": ["'self'", "data:"],  # Bootstrap draws its icons as data: SVGs
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# Browser features the simulator never uses, switched off for every page (config.middleware).
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Demo mode: the sign-in page lists the published demo logins and demo sandboxes are reset
# nightly (at DEMO_RESET_HOUR, UTC, declared with the periodic schedules in config/celery.py).
DEMO_MODE = env_bool("DEMO_MODE", False)

# /healthz tells anyone whether each part is up; the names of the workers and schedulers and
# their heartbeat times only to support staff and to a monitor sending this token
# (`Authorization: Bearer <HEALTHZ_TOKEN>`). Unset: staff only.
HEALTHZ_TOKEN = os.environ.get("HEALTHZ_TOKEN", "")

# --- I18N / time ----------------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
# One time format in every page and the admin (config/formats/en/formats.py).
FORMAT_MODULE_PATH = ["config.formats"]

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Forms ----------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Email ----------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "seller-center@simulator.invalid")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
# On (production only, EMAILS_SANDBOX_ONLY=1): the site sends no email at all. Platform emails
# still land in the sandbox inbox; password reset, set-password and verification links go nowhere.
EMAILS_SANDBOX_ONLY = False
# --- Celery ---------------------------------------------------------------------------------
# Redis when REDIS_URL is set; otherwise kombu's server-less filesystem transport under var/.
REDIS_URL = os.environ.get("REDIS_URL", "")
BROKER_DIR = VAR_DIR / "broker"
# Redis hands a dead worker's unacknowledged message to another worker only after this long
# (kombu's default is an hour). Longer than any task runs or waits for its retry (exports take
# minutes, retries wait at most 2), or a live task would be delivered twice. Exports do not wait
# for it: the sweep sends a build whose worker died again by itself (EXPORT_RECOVER_AFTER).
REDIS_VISIBILITY_TIMEOUT = int(os.environ.get("REDIS_VISIBILITY_TIMEOUT", "600"))
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, Any] = {
        "visibility_timeout": REDIS_VISIBILITY_TIMEOUT
    }
else:
    CELERY_BROKER_URL = "filesystem://localhost/"  # a host named: kombu warns without one
    CELERY_BROKER_TRANSPORT: str | None = "config.broker:Transport"  # stops at once on Ctrl-C
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "control_folder": str(BROKER_DIR / "control"),  # worker pings (/healthz) go here
        "store_processed": False,
    }
    CELERY_RESULT_BACKEND = f"file://{BROKER_DIR / 'results'}"
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_RESULT_EXPIRES = timedelta(days=1)
# celery beat's own state (when each schedule last ran) under the var dir, wherever beat is
# started from (its default is the working directory).
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# --- The simulated platform -----------------------------------------------------------------
# Deployment settings of the simulator. The rules' numbers (cool-downs, limits, grace periods...)
# are not settings: each edition declares them (editions/declared/, RULEBOOK §12); settings name
# only the edition a new sandbox is played under unless one is chosen. What stays here is how this
# deployment runs: real-time recovery of background work, batch sizes, money, email, the site.
SIMULATOR = {
    "EDITION": os.environ.get("SIMULATOR_EDITION", "source-article"),
    # Real minutes without progress after which the sweep fails an export (a worker's health,
    # not a rule a seller reads).
    "EXPORT_STUCK_AFTER": timedelta(minutes=10),
    # A running export silent this long (real time) lost its worker, a queued one sent this long
    # ago and not waiting in the broker's queue lost its message: the sweep sends it again, at
    # most EXPORT_MAX_RESENDS times, then gives up on it (failed, with Retry).
    "EXPORT_RECOVER_AFTER": timedelta(
        seconds=float(os.environ.get("SIMULATOR_EXPORT_RECOVER_AFTER", "60"))
    ),
    "EXPORT_MAX_RESENDS": int(os.environ.get("SIMULATOR_EXPORT_MAX_RESENDS", "3")),
    # Rows purged per statement when a deletion is finalized.
    "PURGE_BATCH_SIZE": 500,
    # The currency of every amount the simulated shops show (ISO 4217 code).
    "CURRENCY": os.environ.get("SIMULATOR_CURRENCY", "USD"),
    # Jobs: store every email in the inbox; also hand it to EMAIL_BACKEND when DELIVER_EMAIL is on.
    "DELIVER_EMAIL": env_bool("DELIVER_EMAIL", False),
    # The address emailed links start with, when emails are delivered outside the inbox: unless
    # set, the address `make run` serves (WEB_PORT), so a port other than 8000 needs no second
    # setting for the links to work.
    "SITE_URL": os.environ.get("SITE_URL")
    or f"http://127.0.0.1:{os.environ.get('WEB_PORT') or '8000'}",
    # Seconds the export waits per progress step; only for tests and demos of a slow export.
    "EXPORT_SLOWDOWN": float(os.environ.get("SIMULATOR_EXPORT_SLOWDOWN", "0")),
}

# The checkpoints a sandbox keeps (saved and automatic); past it the oldest automatic one goes
# first, then the oldest saved one (rewind.services). An attempt's step checkpoints are its own.
REWIND_MAX_CHECKPOINTS = int(os.environ.get("REWIND_MAX_CHECKPOINTS", "10"))

# --- Logging --------------------------------------------------------------------------------
# Every line hides the tokens of emailed and shared links (lifecycle.redaction): each is in the
# path of its link's first hop, which Django's request warnings and runserver's access log
# repeat. gunicorn's access log gets the same filter from config/gunicorn.conf.py.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "redact_secrets": {"()": "lifecycle.redaction.RedactSecretsFilter"},
        "forbidden_quietly": {"()": "lifecycle.logfilters.ForbiddenWithoutTracebackFilter"},
    },
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_secrets"]},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["redact_secrets"],
        },
    },
    "loggers": {
        # On the loggers too, so every handler (and a test's log capture) gets the clean line.
        # Django's default gives "django" a console handler of its own under DEBUG, and its
        # records reach the root's too: configured here without one, each line prints once.
        "django": {"level": "INFO"},
        "django.request": {"filters": ["redact_secrets", "forbidden_quietly"]},
        "django.security.csrf": {"filters": ["redact_secrets"]},
        "django.server": {
            "handlers": ["django.server"],
            "level": "INFO",
            "propagate": False,
            "filters": ["redact_secrets"],
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# --- Static files without collectstatic (development and tests) ------------------------------
WHITENOISE_USE_FINDERS = DEBUG
