"""What the benchmark scripts share: Django on the bench settings, bulk fixtures, timing.

Every script imports this first (`from common import ...`, run as `python bench/NAME.py`): it
puts the project on sys.path and sets Django up on config.settings.bench (PostgreSQL and Redis
from DATABASE_URL/REDIS_URL), (the database and broker come from the environment).
"""

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["SIMULATOR_BENCH"] = "1"
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.bench"

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402


def require_postgresql(why: str) -> None:
    if connection.vendor != "postgresql":
        sys.exit(f"set DATABASE_URL to a PostgreSQL database: {why}")


def scale_arg(value: str) -> list[int]:
    """ "1000,10000" -> [1000, 10000] (the sizes a benchmark runs at)."""
    return [int(n) for n in value.split(",") if n.strip()]


class Transactions:
    """The wall time of every outermost transaction on the connection while active.

    Django opens one by turning autocommit off (atomic's outermost block) and ends it by turning
    autocommit back on after the commit or rollback; both go through `set_autocommit`.
    """

    def __init__(self) -> None:
        self.durations: list[float] = []
        self._started: float | None = None
        self._original = None

    def __enter__(self) -> "Transactions":
        self._original = original = connection.set_autocommit

        def set_autocommit(autocommit: bool, *args, **kwargs):
            if not autocommit and self._started is None:
                self._started = time.perf_counter()
            result = original(autocommit, *args, **kwargs)
            if autocommit and self._started is not None:
                self.durations.append(time.perf_counter() - self._started)
                self._started = None
            return result

        connection.set_autocommit = set_autocommit
        return self

    def __exit__(self, *exc) -> None:
        connection.set_autocommit = self._original

    @property
    def longest(self) -> float:
        return max(self.durations, default=0.0)


@contextmanager
def timed():
    """`with timed() as t: ...` then t() is the seconds the block took."""
    started = time.perf_counter()
    end: list[float] = []
    yield lambda: (end[0] if end else time.perf_counter()) - started
    end.append(time.perf_counter())


def purge_job_queue() -> None:
    """Drop the job messages the benchmark's services queued (no worker runs them here)."""
    from config.celery import app

    try:
        app.control.purge()
    except Exception as exc:  # noqa: BLE001 (a broker that is down has nothing queued)
        print(f"(job queue not purged: {exc})", file=sys.stderr)


def bulk_sandboxes(count: int, prefix: str) -> list:
    """`count` owners, each with a sandbox and its seller account, in three bulk inserts.

    Returns the accounts, their sandboxes loaded (account.sandbox)."""
    from accounts.models import Sandbox, SellerAccount, User

    owners = User.objects.bulk_create(
        (User(username=f"{prefix}-{n}") for n in range(count)), batch_size=5000
    )
    sandboxes = Sandbox.objects.bulk_create(
        (Sandbox(owner=o, name=f"{prefix} {n}") for n, o in enumerate(owners)), batch_size=5000
    )
    return SellerAccount.objects.bulk_create(
        (SellerAccount(sandbox=s, display_name=f"Seller {s.name}") for s in sandboxes),
        batch_size=5000,
    )


def drop_users(prefix: str) -> None:
    """Remove what a benchmark built: its owners, and with them their sandboxes and rows."""
    from accounts.models import User

    User.objects.filter(username__startswith=f"{prefix}-").delete()


# --- gunicorn ---------------------------------------------------------------------------------

TRIVIAL_PATH = "__bench__/ok"  # config.bench_urls's reference view


def start_server(
    port: int, *, workers: int = 2, threads: int = 1, env: dict[str, str] | None = None
) -> subprocess.Popen:
    """gunicorn serving config.wsgi on the bench settings (or `env`'s), once it answers."""
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent))
    if gunicorn is None:
        sys.exit("gunicorn is missing: run bench/run_all.py, which installs it")
    base = f"http://127.0.0.1:{port}"
    command = [gunicorn, "config.wsgi", "--workers", str(workers), "--bind", base[7:]]
    if threads > 1:
        command += ["--threads", str(threads)]  # gunicorn's gthread workers
    server = subprocess.Popen(
        command,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group, stopped as one at the end
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{base}/{TRIVIAL_PATH}", timeout=5)  # noqa: S310 (loopback)
            return server
        except OSError:  # refused while it starts, or slow on the loaded machine
            if server.poll() is not None:
                sys.exit(f"gunicorn stopped at start (exit {server.returncode})")
            time.sleep(0.2)
    stop_server(server)
    sys.exit("gunicorn did not answer within 60 s")


def stop_server(server: subprocess.Popen) -> None:
    """Stop a process this benchmark started (its own process group), killed if it lingers."""
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=30)
