"""`make run`'s last word: once every process is up, the address and the demo sign-ins again.

The Procfile runs this beside the web server, the worker and the scheduler. It waits until the
worker and the scheduler write their heartbeats and the web server answers /healthz with 200,
prints the address and the logins (seed_demo printed them before some 60 lines of Celery
banners), then stays until honcho stops it (honcho stops everything when one process ends).
"""

import http.client
import signal
import sys
import time
from urllib.parse import urlsplit

from django.core.management.base import BaseCommand

from accounts.models import User
from lifecycle import heartbeat
from lifecycle.management.commands import seed_demo
from training.cohorts import demo as training_demo

POLL = 0.5  # seconds between looks
SAY_WAITING_AFTER = 60.0  # seconds: then say what is still missing, once


def _stop(signum: int, frame: object) -> None:
    sys.exit(0)  # a clean exit on honcho's SIGTERM (or a Ctrl-C), not a traceback


def web_answers(url: str) -> bool:
    """True when GET <url>healthz answers 200 (every part up, as seen by the web server)."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port or 80, timeout=2)
    try:
        conn.request("GET", f"{parts.path.rstrip('/')}/healthz")
        return conn.getresponse().status == 200
    except OSError:
        return False
    finally:
        conn.close()


def missing(url: str) -> list[str]:
    """The parts not up yet: the worker and the scheduler by heartbeat, then the web server."""
    try:
        parts = heartbeat.status()
    except Exception:  # the database is still being created: nothing is up yet
        return ["database"]
    waiting = [kind for kind, part in parts.items() if not part.up]
    if not waiting and not web_answers(url):
        waiting.append("web server")
    return waiting


def sign_ins() -> list[str]:
    """The published logins seed_demo made (the support agent only where it made one)."""
    lines = [
        f"Demo trainee: {seed_demo.DEMO_USERNAME} / {seed_demo.DEMO_PASSWORD}",
        f"Demo trainer (at /trainer/): {training_demo.TRAINER_USERNAME} / "
        f"{training_demo.TRAINER_PASSWORD}",
    ]
    if User.objects.filter(username=seed_demo.STAFF_USERNAME).exists():
        lines.append(
            f"Support staff (admin at /admin/): {seed_demo.STAFF_USERNAME} / "
            f"{seed_demo.STAFF_PASSWORD}"
        )
    return lines


class Command(BaseCommand):
    help = (
        "Wait until the web server, the worker and the scheduler are up, then print the address "
        "and the demo sign-ins; stay until stopped (the `ready` process of make run's Procfile)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/", help="The web address.")

    def handle(self, *args, url: str, **options):
        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
        started = time.monotonic()
        said_waiting = False
        while waiting := missing(url):
            if not said_waiting and time.monotonic() - started > SAY_WAITING_AFTER:
                self.stdout.write(f"Still waiting for: {', '.join(waiting)} (see its lines above)")
                self.stdout.flush()
                said_waiting = True
            time.sleep(POLL)
        rule = "=" * 72
        lines = [rule, f"Ready: open {url}", *(f"  {line}" for line in sign_ins())]
        lines += ["Ctrl-C stops the web server, the worker and the scheduler.", rule]
        self.stdout.write("\n".join(lines))
        self.stdout.flush()
        while True:
            signal.pause()
