"""`make test` runs the suite in parallel (pytest-xdist, --dist loadgroup): each worker process
has its own Redis database and media folder (pytest-django gives it its own test database), the
subprocesses a test starts use the worker's, and the tests that start real processes or drive
Chromium run one after another in one group."""

import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.settings.test import REDIS_DATABASES, worker_redis
from conftest import xdist_group
from tests.lifecycle.workers import worker_env

ROOT = Path(__file__).resolve().parent.parent
SHOW = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.CELERY_BROKER_URL, settings.CELERY_RESULT_BACKEND, settings.MEDIA_ROOT)"
)


def test_a_worker_takes_the_redis_database_after_the_given_one_by_its_index():
    assert worker_redis("redis://127.0.0.1:6379/8", "") == "redis://127.0.0.1:6379/8"
    assert worker_redis("redis://127.0.0.1:6379/8", "gw0") == "redis://127.0.0.1:6379/8"
    assert worker_redis("redis://127.0.0.1:6379/8", "gw3") == "redis://127.0.0.1:6379/11"
    assert worker_redis("redis://127.0.0.1:6379", "gw2") == "redis://127.0.0.1:6379/2"


def test_a_worker_past_the_last_redis_database_is_refused_with_what_to_do():
    last = f"gw{REDIS_DATABASES - 8}"
    with pytest.raises(ImproperlyConfigured, match="run fewer processes"):
        worker_redis("redis://127.0.0.1:6379/8", last)


def settings_seen(env: dict[str, str]) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", SHOW], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_each_worker_has_its_own_broker_results_and_media():
    base = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_XDIST_")}
    base.update(DJANGO_SETTINGS_MODULE="config.settings.test", REDIS_URL="redis://127.0.0.1:6379/8")
    base.pop("SIMULATOR_VAR_DIR", None)
    alone = settings_seen(base)
    first = settings_seen({**base, "PYTEST_XDIST_WORKER": "gw0"})
    second = settings_seen({**base, "PYTEST_XDIST_WORKER": "gw1"})
    assert alone[:2] == ["redis://127.0.0.1:6379/8"] * 2
    assert alone[2] == str(ROOT / "var" / "test-media")
    assert first[:2] == ["redis://127.0.0.1:6379/8"] * 2
    assert second[:2] == ["redis://127.0.0.1:6379/9"] * 2
    assert first[2] == str(ROOT / "var" / "xdist" / "gw0" / "test-media")
    assert second[2] == str(ROOT / "var" / "xdist" / "gw1" / "test-media")


def test_a_subprocess_of_a_worker_uses_the_workers_broker_and_media(settings, monkeypatch):
    """worker_env hands its Redis database and media folder over as they are and no worker
    name, so the subprocess's settings do not move the database a second time."""
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw1")
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/9"
    settings.MEDIA_ROOT = ROOT / "var" / "xdist" / "gw1" / "test-media"
    env = worker_env()
    assert "PYTEST_XDIST_WORKER" not in env
    broker, results, media = settings_seen(env)
    assert broker == results == "redis://127.0.0.1:6379/9"
    assert media == str(settings.MEDIA_ROOT)


def stub(path: str, marks: tuple[str, ...] = (), fixtures: tuple[str, ...] = ()):
    return SimpleNamespace(
        path=ROOT / path,
        fixturenames=list(fixtures),
        get_closest_marker=lambda name: name if name in marks else None,
    )


def test_the_group_of_a_test_is_what_it_starts():
    real = "real-processes"
    assert xdist_group(stub("tests/browser/test_look.py", marks=("browser",))) == real
    assert xdist_group(stub("tests/lifecycle/test_tasks.py", marks=("worker",))) == real
    assert xdist_group(stub("tests/x/test_y.py", fixtures=("db", "live_server"))) == real
    assert xdist_group(stub("tests/security/test_access_log.py", fixtures=("gunicorn",))) == real
    assert xdist_group(stub("tests/sqlite/test_sqlite.py")) == "test_sqlite.py"
    assert xdist_group(stub("tests/training/test_grading.py", fixtures=("rehearsals",))) == (
        "rehearsals"
    )
    assert xdist_group(stub("tests/accounts/test_models.py", fixtures=("db", "client"))) is None


REAL = (
    "tests/browser/",
    "tests/lifecycle/test_worker.py",
    "tests/lifecycle/test_recovery.py",
    "tests/test_make_run.py::test_make_run_announces",
    "tests/security/test_access_log.py",
    "tests/security/test_tokens_in_gunicorn_logs.py",
)


def test_the_collected_real_process_and_browser_tests_share_one_group(request):
    """Over what this run collected (the whole suite under `make test`)."""
    grouped = {item.nodeid.split("@")[0]: xdist_group(item) for item in request.session.items}
    real = [nodeid for nodeid in grouped if nodeid.startswith(REAL)]
    assert {grouped[nodeid] for nodeid in real} <= {"real-processes"}
    assert {grouped[n] for n in grouped if "test_sqlite.py" in n} <= {"test_sqlite.py"}
    assert grouped[request.node.nodeid.split("@")[0]] is None
    if len(grouped) > 1000:  # the whole suite: most tests go to any worker
        assert len(real) > 40
        assert sum(group is None for group in grouped.values()) > len(grouped) / 2
