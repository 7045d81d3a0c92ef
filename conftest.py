"""Shared fixtures. The suite talks to real PostgreSQL and Redis; it stops at once without them."""

import socket
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.db import connection
from django.db.models.signals import pre_save

from accounts.models import User
from lifecycle.services import Actor
from tests.engine_guard import ACTIVE, WriteGuard

# Fixtures of the background-job tests (a fake queue, real Celery workers).
pytest_plugins = ["tests.lifecycle.jobs_helpers", "tests.lifecycle.workers"]

START = {
    "PostgreSQL": "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start",
    "Redis": 'redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no',
}


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def pytest_sessionstart(session):
    db = settings.DATABASES["default"]
    broker = urlparse(settings.REDIS_URL)
    needed = {
        "PostgreSQL": (db.get("HOST") or "127.0.0.1", int(db.get("PORT") or 5432)),
        "Redis": (broker.hostname or "127.0.0.1", broker.port or 6379),
    }
    for name, (host, port) in needed.items():
        if not _reachable(host, port):
            pytest.exit(f"{name} is not reachable at {host}:{port}; start it: {START[name]}", 3)


# --- Parallel runs: `make test` runs pytest-xdist with --dist loadgroup ------------------------
# Each worker process has its own test database, Redis database and media folder
# (config/settings/test.py), so any two tests may run at once. What is grouped is what must not
# be spread: the tests that drive Chromium or start real processes (Celery workers, beat,
# gunicorn, make run, a private redis-server, the benchmarks) are CPU-heavy and wait on
# deadlines, so they run one after another on one worker while the others take the rest; a
# module whose fixture is built once per module (a SQLite run, a scratch database) stays whole;
# and the users of an expensive session fixture share one worker, which builds it once.
REAL_PROCESS_FIXTURES = {
    *("browser", "live_server", "celery_worker", "private_redis"),
    *("gunicorn", "production", "make_env"),  # tests/security, tests/test_make_run.py
}
WHOLE_MODULES = {"test_sqlite.py", "test_bench_smoke.py"}
SESSION_FIXTURES = {"rehearsals"}  # every scenario played twice (tests/training/conftest.py)


def xdist_group(item: pytest.Item) -> str | None:
    """The group an item runs in under --dist loadgroup (None: any worker, alone)."""
    fixtures = set(getattr(item, "fixturenames", ()))
    if item.path.name in WHOLE_MODULES:
        return item.path.name
    if item.get_closest_marker("browser") or item.get_closest_marker("worker"):
        return "real-processes"
    if REAL_PROCESS_FIXTURES & fixtures:
        return "real-processes"
    if shared := SESSION_FIXTURES & fixtures:
        return min(shared)
    return None


@pytest.hookimpl(tryfirst=True)  # before xdist reads the marks to name the groups
def pytest_collection_modifyitems(config, items):
    for item in items:
        group = xdist_group(item)
        if group and not item.get_closest_marker("xdist_group"):
            item.add_marker(pytest.mark.xdist_group(group))


@pytest.fixture
def trainee(db) -> User:
    return User.objects.create_user("trainee", "trainee@example.com", "correct-horse-9")


@pytest.fixture
def other_trainee(db) -> User:
    return User.objects.create_user("other", "other@example.com", "another-horse-9")


@pytest.fixture
def staff_user(db) -> User:
    return User.objects.create_user("agent", "agent@example.com", "agent-pass-9", is_staff=True)


@pytest.fixture
def as_trainee(trainee) -> Actor:
    return Actor.trainee(trainee)


@pytest.fixture
def as_staff(staff_user) -> Actor:
    return Actor.staff(staff_user, reason="The trainee asked support for help")


@pytest.fixture(autouse=True)
def declared_states_change_only_through_the_engine():
    """Fail any test in which a declared state field is written outside lifecycle.core.apply."""
    guard = WriteGuard()
    ACTIVE.append(guard)
    pre_save.connect(guard.pre_save, dispatch_uid="engine-write-guard")
    try:
        with connection.execute_wrapper(guard):
            yield guard
    finally:
        pre_save.disconnect(dispatch_uid="engine-write-guard")
        ACTIVE.remove(guard)
    if guard.violations:
        pytest.fail("\n".join(guard.violations[:5]), pytrace=False)
