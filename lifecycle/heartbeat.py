"""Heartbeats: each worker and the scheduler write a row every few seconds; health reads them.

/healthz and the support dashboard answer from these rows in one query, never by pinging the
workers over the broker (a ping waits its whole timeout for replies). The rows live in the
database, so the same code works on PostgreSQL + Redis and on `make run`'s SQLite + filesystem
broker.

Writers, both installed by config/celery.py:
- `WorkerHeartbeat`, a step of the worker's consumer: it beats while the worker is connected to
  the broker and consuming (the step stops when the connection is lost, and on shutdown it
  marks the row stopped), from a thread of its own, so a long task does not silence it.
- `HeartbeatScheduler`, celery beat's scheduler: it beats from its tick loop, so a beat that
  wedges goes stale, and marks the row stopped when beat shuts down.

This module imports no model at import time: config/celery.py imports it before Django is set up.
"""

import logging
import os
import socket
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from celery import bootsteps
from celery.beat import PersistentScheduler
from django.db import connections
from django.db.models import Q
from django.utils import timezone

log = logging.getLogger(__name__)

EVERY = timedelta(seconds=5)  # how often each process writes its row
STALE_AFTER = timedelta(seconds=20)  # four missed beats: the process is taken for down
WORKER, SCHEDULER = "worker", "scheduler"


def beat(kind: str, name: str, *, started: bool = False, stopped: bool = False) -> bool:
    """Write `name`'s heartbeat now; False (and a log line) when the database cannot be reached.

    Called from the worker's timer and beat's loop, outside any request: stale connections are
    closed before and after, as Celery's Django fixup does around tasks.
    """
    from lifecycle.models import Heartbeat

    now = timezone.now()
    values: dict[str, Any] = {"kind": kind, "beat_at": now, "stopped_at": now if stopped else None}
    if started:
        values["started_at"] = now
    _drop_stale_connections()
    try:
        Heartbeat.objects.update_or_create(
            name=name, defaults=values, create_defaults={**values, "started_at": now}
        )
    except Exception:  # a database that is down makes the heartbeat go stale: that is the signal
        log.warning("could not write the %s heartbeat of %s", kind, name, exc_info=True)
        return False
    finally:
        _drop_stale_connections()
    return True


def _drop_stale_connections() -> None:
    """Close this thread's connections that are broken or past CONN_MAX_AGE (never one inside
    a transaction: a test's, or a caller's)."""
    for conn in connections.all(initialized_only=True):
        if not conn.in_atomic_block:
            conn.close_if_unusable_or_obsolete()


@dataclass(frozen=True)
class Part:
    """The health of one kind of process, as /healthz and the support dashboard show it."""

    kind: str
    up: bool
    alive: list[str] = field(default_factory=list)  # names of the processes beating now
    last: datetime | None = None  # the newest heartbeat of this kind, fresh or not
    detail: str = ""


def _part(kind: str, rows: list, now: datetime) -> Part:
    rows = [row for row in rows if row.kind == kind]
    fresh = [r for r in rows if r.stopped_at is None and now - r.beat_at <= STALE_AFTER]
    last = max((r.beat_at for r in rows), default=None)
    if len(fresh) > 1 and kind == SCHEDULER:  # jobs stay single, but one is meant to run
        names = ", ".join(r.name for r in fresh)
        detail = f"{len(fresh)} schedulers beating: {names} (run exactly one)"
    elif fresh:
        detail = ", ".join(r.name for r in fresh)
    elif not rows:
        detail = "no heartbeat recorded yet"
    else:
        newest = max(rows, key=lambda r: r.beat_at)
        ago = _seconds(now - newest.beat_at)
        if newest.stopped_at is not None:
            detail = f"{newest.name} stopped {ago} ago"
        else:
            detail = f"{newest.name} silent for {ago}"
    return Part(kind, bool(fresh), [r.name for r in fresh], last, detail)


def _seconds(delta: timedelta) -> str:
    seconds = max(int(delta.total_seconds()), 0)
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 7200:
        return f"{seconds // 60} min"
    return f"{seconds // 3600} h"


def status(now: datetime | None = None) -> dict[str, Part]:
    """{"worker": Part, "scheduler": Part} from the heartbeat rows, in one query."""
    from lifecycle.models import Heartbeat

    now = now or timezone.now()
    rows = list(Heartbeat.objects.all())
    return {kind: _part(kind, rows, now) for kind in (WORKER, SCHEDULER)}


class WorkerHeartbeat(bootsteps.StartStopStep):
    """A consumer step: while the worker consumes from the broker, a thread of its own beats.

    A thread, not the worker's timer: with one task at a time (the solo pool) the timer waits
    for the task, and a long export would look like a worker down.
    """

    requires = {"celery.worker.consumer.tasks:Tasks"}

    def __init__(self, parent: Any, **kwargs: Any) -> None:
        super().__init__(parent, **kwargs)
        self.thread: threading.Thread | None = None
        self.stopping = threading.Event()
        self.name = ""

    def start(self, parent: Any) -> None:
        self.name = parent.hostname
        beat(WORKER, self.name, started=True)
        self.stopping.clear()
        self.thread = threading.Thread(target=self.run, name="heartbeat", daemon=True)
        self.thread.start()

    def run(self) -> None:
        try:
            while not self.stopping.wait(EVERY.total_seconds()):
                beat(WORKER, self.name)
        finally:
            connections.close_all()  # this thread's own connection

    def stop(self, parent: Any) -> None:
        """The connection was lost or the worker is stopping: it consumes nothing now."""
        if self.thread is not None:
            self.stopping.set()
            self.thread.join(timeout=5)
            self.thread = None
            beat(WORKER, self.name, stopped=True)

    shutdown = stop


def forget_dead_schedulers(host: str, keep: str) -> None:
    """Delete this host's scheduler rows other than `keep` that stopped or went silent: earlier
    runs of beat here (each run has a row of its own, named with its process id)."""
    from lifecycle.models import Heartbeat

    silent_since = timezone.now() - STALE_AFTER
    try:
        rows = Heartbeat.objects.filter(kind=SCHEDULER, name__startswith=f"beat@{host}:")
        rows = rows.exclude(name=keep).filter(
            Q(stopped_at__isnull=False) | Q(beat_at__lt=silent_since)
        )
        rows.delete()
    except Exception:  # as beat() does: a database down is not the scheduler's problem
        log.warning("could not forget the dead schedulers of %s", host, exc_info=True)
    finally:
        _drop_stale_connections()


class HeartbeatScheduler(PersistentScheduler):
    """celery beat's persistent scheduler, beating from its own loop.

    Each beat process has a row of its own (host and process id), so two schedulers started by
    mistake show as two on /healthz and the support dashboard instead of sharing one row.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.heartbeat_host = socket.gethostname()
        self.heartbeat_name = f"beat@{self.heartbeat_host}:{os.getpid()}"
        self.next_beat = 0.0
        super().__init__(*args, **kwargs)

    def tick(self, *args: Any, **kwargs: Any) -> float:
        interval = super().tick(*args, **kwargs)
        now = time.monotonic()
        if now >= self.next_beat:
            first = not self.next_beat
            beat(SCHEDULER, self.heartbeat_name, started=first)
            if first:
                forget_dead_schedulers(self.heartbeat_host, keep=self.heartbeat_name)
            self.next_beat = now + EVERY.total_seconds()
        return min(interval, max(self.next_beat - now, 0.1))

    def close(self) -> None:
        try:
            super().close()
        finally:
            if self.next_beat:
                beat(SCHEDULER, self.heartbeat_name, stopped=True)
