"""The benchmark's settings and trivial view stay out of production."""

import importlib
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
