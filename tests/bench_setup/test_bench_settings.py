"""The benchmark's settings and trivial view stay out of production."""

import importlib
import importlib.util
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from django.urls import Resolver404, resolve


def _import_bench_settings():
    sys.modules.pop("config.settings.bench", None)
    return importlib.import_module("config.settings.bench")


def test_bench_settings_refuse_to_load_without_the_bench_flag(monkeypatch):
    monkeypatch.delenv("SIMULATOR_BENCH", raising=False)
    with pytest.raises(ImproperlyConfigured, match="bench/run_all.py only"):
        _import_bench_settings()


def test_bench_settings_load_with_the_flag_debug_off_and_the_bench_urls(monkeypatch):
    monkeypatch.setenv("SIMULATOR_BENCH", "1")
    module = _import_bench_settings()
    assert module.DEBUG is False
    assert module.ROOT_URLCONF == "config.bench_urls"


def test_the_trivial_view_is_not_in_the_production_urls():
    from config.bench_urls import TRIVIAL_PATH

    with pytest.raises(Resolver404):
        resolve("/" + TRIVIAL_PATH, urlconf="config.urls")


@override_settings(ROOT_URLCONF="config.bench_urls")
def test_the_trivial_view_answers_ok_through_the_middleware(client):
    from config.bench_urls import TRIVIAL_PATH

    response = client.get("/" + TRIVIAL_PATH)
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["X-Frame-Options"] == "DENY"  # the clickjacking middleware ran


# --- The levers production takes (issue 12) ---------------------------------------------------

SERVING = (
    "from django.conf import settings; from django.template import engines; "
    "db = settings.DATABASES['default']; "
    "loaders = [type(l).__module__ for l in engines['django'].engine.template_loaders]; "
    "print(db['CONN_MAX_AGE'], db['CONN_HEALTH_CHECKS'], settings.SESSION_ENGINE, "
    "settings.CACHES['default']['BACKEND'], *loaders)"
)


def serving(module: str, **env: str) -> list[str]:
    """The serving settings a fresh process of `module` runs with."""
    import os
    import secrets
    import subprocess
    from pathlib import Path

    keep = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "REDIS_URL"}}
    done = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {SERVING}"],
        cwd=Path(__file__).resolve().parents[2],
        env={
            **keep,
            "DJANGO_SETTINGS_MODULE": module,
            "SECRET_KEY": secrets.token_urlsafe(50),
            "SIMULATOR_BENCH": "1",
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


@pytest.mark.parametrize("module", ["config.settings.prod", "config.settings.bench"])
def test_production_and_bench_keep_connections_and_read_sessions_from_redis(module):
    max_age, health, sessions, cache, *loaders = serving(
        module, REDIS_URL="redis://127.0.0.1:6379/8"
    )
    assert (max_age, health) == ("60", "True")
    assert sessions == "django.contrib.sessions.backends.cached_db"
    assert cache == "config.cache.FailOpenRedisCache"  # Redis down: pages go on (issue 20)
    assert loaders == ["django.template.loaders.cached"]  # Django's default with no loaders set


def test_production_without_redis_keeps_database_sessions_and_the_age_is_configurable():
    max_age, _health, sessions, cache, *_ = serving("config.settings.prod", CONN_MAX_AGE="0")
    assert max_age == "0"
    assert sessions == "django.contrib.sessions.backends.db"
    assert cache == "django.core.cache.backends.locmem.LocMemCache"


def test_the_report_keeps_the_part_written_by_hand(tmp_path, monkeypatch):
    """`make bench` rewrites docs/benchmarks.md but carries over its part written by hand."""
    from pathlib import Path

    report = tmp_path / "benchmarks.md"
    monkeypatch.setenv("REPORT", str(report))
    spec = importlib.util.spec_from_file_location(
        "run_all", Path(__file__).resolve().parents[2] / "bench" / "run_all.py"
    )
    run_all = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(run_all)
    assert run_all.kept_by_hand() == ""  # no report yet
    start, end = run_all.BY_HAND
    report.write_text(
        f"# Benchmarks\n\nold figures\n\n{start}\nThe levers taken.\n{end}\n\nold table\n"
    )
    assert run_all.kept_by_hand() == f"{start}\nThe levers taken.\n{end}\n\n"
