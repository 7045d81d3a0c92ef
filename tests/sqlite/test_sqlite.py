"""The embedded default database, SQLite, under what `make run` does to it (issue 8 items 1, 2).

The suite runs on PostgreSQL; these tests run tests/sqlite/run.py in a subprocess on a fresh
SQLite file with `make run`'s settings, and the money figures once more on PostgreSQL here.
"""

import json
import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client

from config.settings.base import SQLITE_OPTIONS, database
from tests.lifecycle.helpers import build_world
from tests.sqlite.figures import money_figures

EXPECTED_TOTALS = {"1001": "2469.22", "1002": "5717.97"}
EXPECTED_LINES = ["0.10", "2469.12", "5717.97"]


@pytest.fixture(scope="module")
def on_sqlite(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("sqlite")
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DJANGO_SETTINGS_MODULE")},
        "DATABASE_URL": f"sqlite:///{folder / 'simulator.sqlite3'}",
        "SIMULATOR_VAR_DIR": str(folder),
        "ALLOWED_HOSTS": "testserver",
    }
    done = subprocess.run(
        [sys.executable, "-m", "tests.sqlite.run"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_only_sqlite_urls_get_the_sqlite_options():
    lite = database("sqlite:////tmp/x.sqlite3")
    assert lite["OPTIONS"] == SQLITE_OPTIONS
    assert lite["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    server = database("postgres://postgres@127.0.0.1:5432/x")
    assert "transaction_mode" not in server.get("OPTIONS", {})


def test_simultaneous_writers_on_sqlite_get_no_error(on_sqlite):
    writers = on_sqlite["writers"]
    assert writers["journal_mode"] == "wal"
    for burst in ("exports", "wrong_password", "clock"):
        assert writers[burst]["errors"] == [], burst
    # One export is accepted; the other two are refused (one in flight, or the cool-down).
    assert writers["exports"]["codes"] == [302, 409, 409]
    assert writers["wrong_password"]["codes"] == [409, 409]
    assert len(writers["clock"]["codes"]) == 5
    assert writers["clock"]["codes"] == [302, 409, 409, 409, 409]  # one move, four repeats


def _check_money(figures: dict) -> None:
    assert figures["orders_total"] == EXPECTED_TOTALS
    assert figures["line_totals"] == EXPECTED_LINES
    assert figures["analytics_revenue"] == ["8187.19"]
    analytics, orders = figures["pages"]["analytics"], figures["pages"]["orders"]
    assert "Revenue per day: $8,187.19 in total" in analytics
    assert "highest day: $8,187.19" in analytics
    assert "$2,469.12 (2 sold)" in analytics
    assert "$5,717.97" in orders and "$2,469.22" in orders
    # No amount anywhere with more than two decimal places.
    for page in (analytics, orders):
        assert not re.search(r"\d\.\d{3,}", page)


def test_money_on_sqlite_has_two_places(on_sqlite):
    _check_money(on_sqlite["money"])


def test_money_on_postgresql_has_two_places(trainee, own_media):
    world = build_world(trainee)

    def client_for() -> Client:
        client = Client()
        client.force_login(world.owner)
        return client

    _check_money(money_figures(world, client_for))
