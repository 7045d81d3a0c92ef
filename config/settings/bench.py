"""The benchmarks' server (`make bench` only): base settings, DEBUG off, plus the trivial view.

It refuses to load unless SIMULATOR_BENCH=1 is set, so it cannot be picked as a production
settings module by mistake; bench/run_all.py sets that variable for the server it starts.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403

if os.environ.get("SIMULATOR_BENCH") != "1":
    raise ImproperlyConfigured("config.settings.bench is for bench/run_all.py only")

DEBUG = False  # debug keeps every query in memory: not what a trainee meets
ROOT_URLCONF = "config.bench_urls"
