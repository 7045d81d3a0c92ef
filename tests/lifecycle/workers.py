"""Real Celery workers for the job tests, on the test Redis database, always stopped cleanly.

`celery_worker` runs a worker thread inside the test process (celery.contrib.testing);
`worker_process` starts `celery -A config worker` as a real subprocess that a test may kill,
`beat_process` the one scheduler; `private_redis` is a redis-server of the test's own that it
may restart empty. All need pytest.mark.django_db(transaction=True): a worker sees only
committed rows.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
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


def manage_shell(env: dict[str, str], code: str) -> None:
    """Run `code` in `manage.py shell` with `env`: a process of its own that queues a job as
    the site's processes do (on the broker its settings name)."""
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )


def confirmation_sent_through(env: dict[str, str], deletion_pk: int, countdown: int = 0) -> None:
    """Queue the confirmation email of deletion request `deletion_pk` from a process with `env`
    and wait until a worker has put it in the inbox."""
    from lifecycle.models import InboxMessage

    manage_shell(
        env,
        "from lifecycle.tasks import send_deletion_confirmation_task as t; "
        f"t.apply_async(args=[{deletion_pk}], countdown={countdown})",
    )
    wait_for(
        lambda: InboxMessage.objects.filter(kind="deletion_confirmation").exists(),
        timeout=60,
        what="a worker to send the confirmation email",
    )


def worker_env(**extra: str) -> dict[str, str]:
    """The environment of a worker subprocess that uses this test process's database, Redis
    database and media folder. Under pytest-xdist these are the worker's own, passed as they are:
    the subprocess is no xdist worker (no PYTEST_XDIST_WORKER), so its settings offset nothing."""
    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("PYTEST_XDIST_")},
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": url,
        "REDIS_URL": settings.CELERY_BROKER_URL,
        "SIMULATOR_VAR_DIR": str(Path(settings.MEDIA_ROOT).parent),  # its MEDIA_ROOT is ours
        "PYTHONUNBUFFERED": "1",
    }
    env.update(extra)
    return env


@contextmanager
def celery_process(env: dict[str, str], log: Path, *args: str) -> Iterator[subprocess.Popen]:
    """`celery -A config <args>` as a real process, logging to `log`, stopped on exit."""
    connection.close()  # the subprocess must not share our socket
    with log.open("a") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", *args],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            yield proc
        finally:
            stop(proc)


def stop(proc: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    """Stop a process this test started (SIGTERM, then SIGKILL after 20 s) and reap it."""
    if proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def worker_process(
    env: dict[str, str], log: Path, name: str = "killable", pool: str = "solo"
) -> AbstractContextManager[subprocess.Popen]:
    """`celery -A config worker` as a real process. The solo pool is one process, the one a
    test kills; `pool="prefork"` runs one pool child beside it (`pool_children`)."""
    return celery_process(
        env,
        log,
        "worker",
        f"--pool={pool}",
        "--concurrency=1",
        "--loglevel=INFO",
        "--without-mingle",
        "--without-gossip",
        "-n",
        f"{name}@%h",
    )


def pool_children(proc: subprocess.Popen) -> list[int]:
    """The process ids of a prefork worker's pool children (Linux's /proc)."""
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
    return [int(pid) for pid in children]


def beat_process(env: dict[str, str], log: Path) -> AbstractContextManager[subprocess.Popen]:
    """The one scheduler, `celery -A config beat`, its schedule file beside its log."""
    schedule = log.with_suffix(".schedule")
    return celery_process(env, log, "beat", "--loglevel=INFO", "-s", str(schedule))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivateRedis:
    """A redis-server of this test's own on a free port, that the test may restart empty. The
    shared Redis of the other test runs is never touched."""

    def __init__(self, folder: Path) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.folder = folder
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no", "--dir", str(self.folder)]
        self.proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis.from_url(self.url)
        wait_for(lambda: _pings(client), timeout=20, what="the private redis-server")

    def restart(self) -> None:
        """Kill it (it saves nothing) and start it again: every queued message is gone."""
        self.stop(signal.SIGKILL)
        self.start()

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.proc is not None:
            stop(self.proc, sig)
            self.proc = None

    def queued(self) -> int:
        """Messages waiting in Celery's default queue."""
        return redis.Redis.from_url(self.url).llen("celery")


def _pings(client: redis.Redis) -> bool:
    try:
        return bool(client.ping())
    except redis.ConnectionError:
        return False


@pytest.fixture
def private_redis(tmp_path) -> Iterator[PrivateRedis]:
    """A redis-server of the test's own, this process's broker for the test's duration."""
    server = PrivateRedis(tmp_path)
    server.start()
    try:
        with broker_at(server.url):
            yield server
    finally:
        server.stop()
