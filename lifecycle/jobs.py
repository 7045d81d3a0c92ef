"""Queueing background jobs from services, and asking whether the job system is up.

Services queue follow-up work with `enqueue(...)`: the message goes to the broker only after the
transaction commits, and a broker that is down never breaks the action that queued it. The job's
own row (an export queued, an email owed) is the record of the work, so the sweep sends again
what the broker did not take.
"""

import json
import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction

log = logging.getLogger(__name__)


class Dispatch:
    """What became of a queued message; filled in after the commit."""

    def __init__(self) -> None:
        self.sent: bool | None = None  # None: not yet (the transaction is still open)

    @property
    def unavailable(self) -> bool:
        return self.sent is False


def send_now(task_name: str, *args: Any, **options: Any) -> bool:
    """Hand the task to the broker at once; False (and a log line) when the broker is down."""
    from lifecycle import tasks

    try:
        getattr(tasks, task_name).apply_async(args=args, **options)
    except Exception:  # the broker is unreachable or refused: the row stays, the sweep retries
        log.warning("could not queue %s%r: the broker is unavailable", task_name, args)
        return False
    return True


def enqueue(
    task_name: str, *args: Any, on_failure: Callable[[], None] | None = None, **options: Any
) -> Dispatch:
    """Queue `lifecycle.tasks.<task_name>(*args)` once the current transaction commits."""
    dispatch = Dispatch()

    def send() -> None:
        dispatch.sent = send_now(task_name, *args, **options)
        if not dispatch.sent and on_failure is not None:
            on_failure()

    transaction.on_commit(send)
    return dispatch


def broker_ok(timeout: float = 1.0) -> bool:
    from config.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=0, timeout=timeout)  # one try
    except Exception:
        return False
    return True


def workers_answering(timeout: float = 1.0) -> list[str]:
    """Names of the workers that answered a ping; empty when none did or the broker is down."""
    from config.celery import app

    try:
        replies = app.control.ping(timeout=timeout) or []
    except Exception:
        return []
    return sorted(name for reply in replies for name in reply)


def waiting_in_broker(task_name: str) -> set[str] | None:
    """The arguments (as Celery writes them: "(5,)") of the `task_name` messages waiting in the
    broker's queue; None when the broker cannot be looked into (not Redis, or down).

    A queued job whose message is still there is waiting in line, not lost."""
    from config.celery import app

    if not str(app.conf.broker_url).startswith("redis"):
        return None
    try:
        with app.connection_for_read() as conn:
            raw = conn.default_channel.client.lrange(app.conf.task_default_queue, 0, -1)
    except Exception:
        return None
    waiting = set()
    for item in raw:
        try:
            headers = json.loads(item)["headers"]
        except (ValueError, KeyError, TypeError):
            continue
        if headers.get("task") == task_name:
            waiting.add(str(headers.get("argsrepr")))
    return waiting
