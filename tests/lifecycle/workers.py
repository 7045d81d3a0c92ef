"""Real Celery workers for the job tests, on the test Redis database, always stopped cleanly.

`celery_worker` runs a worker thread inside the test process (celery.contrib.testing);
`worker_process` starts `celery -A config worker` as a real subprocess that a test may kill.
Both need pytest.mark.django_db(transaction=True): the worker sees only committed rows.
"""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.db import connection

from config.celery import app

ROOT = Path(__file__).resolve().parent.parent.parent


def flush_broker() -> None:
    """Forget the queued and unacknowledged messages left by earlier tests (only Celery's keys:
    other users of the same Redis database keep theirs)."""
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    keys = ["celery", "unacked", "unacked_index", "unacked_mutex"]
    keys += client.keys("celery-task-meta-*")
    client.delete(*keys)


def wait_for(condition: Callable[[], object], *, timeout: float = 60, what: str = "") -> object:
    """Poll until `condition()` is truthy; fail the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    pytest.fail(f"timed out waiting for {what or condition}")


@contextmanager
def inprocess_worker() -> Iterator[None]:
    """A worker thread in this process, consuming the test broker, stopped on exit."""
    import celery.contrib.testing.tasks  # noqa: F401  (the ping task start_worker checks with)

    with start_worker(
        app, pool="solo", concurrency=1, perform_ping_check=True, shutdown_timeout=20
    ):
        yield


@pytest.fixture
def celery_worker(transactional_db) -> Iterator[None]:
    flush_broker()
    with inprocess_worker():
        yield
    flush_broker()


@pytest.fixture
def own_media(settings, tmp_path) -> Path:
    """This test's files under tmp_path; give worker subprocesses SIMULATOR_VAR_DIR=tmp_path."""
    settings.MEDIA_ROOT = tmp_path / "test-media"
    return tmp_path


@contextmanager
def broker_at(url: str) -> Iterator[None]:
    """Point this process's Celery app at another broker (a closed port: Redis is down)."""
    saved = app.conf.broker_url

    def reset() -> None:
        app._pool = None
        app.amqp._producer_pool = None

    app.conf.broker_url = url
    reset()
    try:
        yield
    finally:
        app.conf.broker_url = saved
        reset()


def worker_env(**extra: str) -> dict[str, str]:
    """The environment of a worker subprocess that uses this test run's database."""
    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": url,
        "REDIS_URL": settings.CELERY_BROKER_URL,
        "PYTHONUNBUFFERED": "1",
    }
    env.update(extra)
    return env


@contextmanager
def worker_process(
    env: dict[str, str], log: Path, name: str = "killable"
) -> Iterator[subprocess.Popen]:
    """`celery -A config worker` as a real process (solo pool: one process, the one we kill)."""
    connection.close()  # the subprocess must not share our socket
    with log.open("w") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                "--without-mingle",
                "--without-gossip",
                "-n",
                "killable@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            yield proc
        finally:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
