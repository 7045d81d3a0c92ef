"""How long an export takes to recover by itself with the default deadlines. Run by hand:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sim_bench .venv/bin/python bench/recovery.py

It starts its own redis-server on a free port (never the shared one), one `celery beat` and
`celery worker` processes, and in the configured (migrated) database a demo sandbox per case,
removed at the end. Two cases: the worker is SIGKILLed mid-export and started again at once;
the broker is restarted empty while an export waits in its queue, then a worker starts. Each
prints the seconds from the fault until the export is ready, the trainee doing nothing.
tests/lifecycle/test_recovery.py runs the same faults with the deadlines lowered to seconds.
"""

import os
import signal
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"  # the workers' settings too

import django  # noqa: E402

django.setup()

from accounts.models import User  # noqa: E402
from lifecycle.conf import setting  # noqa: E402
from lifecycle.demo import build_demo_sandbox  # noqa: E402
from lifecycle.models import ExportJob, ExportStatus  # noqa: E402
from lifecycle.services import Actor, request_export  # noqa: E402
from tests.lifecycle.workers import (  # noqa: E402
    PrivateRedis,
    beat_process,
    broker_at,
    wait_for,
    worker_env,
    worker_process,
)

TIMEOUT = 600


def ready(pk: int) -> bool:
    return ExportJob.objects.get(pk=pk).status == ExportStatus.READY


def until_ready(pk: int, since: float, env: dict, log: Path, what: str) -> float:
    """Start a worker, wait for the export; print and return the seconds since the fault."""
    with worker_process(env, log, name="recovering"):
        wait_for(lambda: ready(pk), timeout=TIMEOUT, what=what)
    took = time.monotonic() - since
    row = ExportJob.objects.get(pk=pk)
    print(f"{what}: ready after {took:.0f} s (attempts {row.attempts}, resends {row.resends})")
    return took


def killed_worker(owner: User, env: dict, folder: Path) -> float:
    account = build_demo_sandbox(owner=owner, name=f"{owner.username}-kill").account
    log = folder / "worker.log"
    with worker_process(env, log) as proc:
        job = request_export(actor=Actor.trainee(owner), account=account)
        # Halfway, as in the issue (56%).
        wait_for(lambda: ExportJob.objects.get(pk=job.pk).progress >= 50, timeout=120)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    killed = time.monotonic()
    progress = ExportJob.objects.get(pk=job.pk).progress
    return until_ready(job.pk, killed, env, log, f"worker SIGKILLed at {progress}%, restarted")


def lost_queue(owner: User, env: dict, folder: Path, server: PrivateRedis) -> float:
    account = build_demo_sandbox(owner=owner, name=f"{owner.username}-lost").account
    job = request_export(actor=Actor.trainee(owner), account=account)  # no worker running
    server.restart()
    restarted = time.monotonic()
    what = "broker restarted empty with the export queued, then a worker started"
    return until_ready(job.pk, restarted, env, folder / "worker.log", what)


def main() -> None:
    name = f"bench-{os.getpid()}"
    owner = User.objects.create_user(name, f"{name}@example.com", "bench-pass-9")
    recover = setting("EXPORT_RECOVER_AFTER").total_seconds()
    sweep = float(os.environ.get("SIMULATOR_SWEEP_EVERY", "60"))
    print(f"deadlines: resend after {recover:.0f} s of silence, sweep every {sweep:.0f} s")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        server = PrivateRedis(folder)
        server.start()
        env = worker_env(
            REDIS_URL=server.url, SIMULATOR_VAR_DIR=str(folder), SIMULATOR_EXPORT_SLOWDOWN="0.05"
        )
        try:
            with broker_at(server.url), beat_process(env, folder / "beat.log"):
                killed_worker(owner, env, folder)
                lost_queue(owner, env, folder, server)
        finally:
            server.stop()
            owner.delete()  # its sandboxes and everything in them


if __name__ == "__main__":
    main()
