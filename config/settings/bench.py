"""The benchmarks' server (`make bench` only): base settings, DEBUG off, plus the trivial view.

It serves as production does (persistent connections, sessions in the shared Redis cache) but
without HTTPS. It refuses to load unless SIMULATOR_BENCH=1 is set, so it cannot be picked as a
production settings module by mistake; bench/run_all.py sets that variable for the server it
starts.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .base import DATABASES, REDIS_URL, SERVED_SESSION_ENGINE, shared_cache

if os.environ.get("SIMULATOR_BENCH") != "1":
    raise ImproperlyConfigured("config.settings.bench is for bench/run_all.py only")

DEBUG = False  # debug keeps every query in memory: not what a trainee meets
ROOT_URLCONF = "config.bench_urls"
# What production takes (config/settings/prod.py): persistent connections, sessions in the
# shared cache. BENCH_CONN_MAX_AGE=0 measures without persistent connections.
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("BENCH_CONN_MAX_AGE", "60"))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if REDIS_URL:
    CACHES = shared_cache(REDIS_URL)
    SESSION_ENGINE = SERVED_SESSION_ENGINE
