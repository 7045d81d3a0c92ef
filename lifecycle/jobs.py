"""Queueing background jobs from services, and asking whether the job system is up.

Services queue follow-up work with `enqueue(Job.X, ...)`: the message goes to the broker only
after the transaction commits, and a broker that is down never breaks the action that queued it.
The job's own row (an export queued, an email owed) is the record of the work, so the sweep sends
again what the broker did not take.

A job is named by a member of `Job`; `lifecycle.tasks` registers the Celery task of each one, and
the app's start-up (`LifecycleConfig.ready`) fails when a member has no task. So services never
import the tasks (which import the services), and a reference no task answers to fails loudly
instead of being swallowed with the broker's errors.
"""

import json
import logging
from collections.abc import Callable
from enum import StrEnum
from typing import Any

import redis
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from kombu.exceptions import OperationalError as BrokerUnreachable

from config.celery import app

log = logging.getLogger(__name__)


class Job(StrEnum):
    """The background jobs services queue; each value is the name of its task in lifecycle.tasks."""

    BUILD_EXPORT = "build_export_task"
    SEND_DELETION_CONFIRMATION = "send_deletion_confirmation_task"
    NOTIFY_CUSTOMERS = "notify_customers_task"
    SWEEP_SANDBOX = "sweep_sandbox_task"
    SEND_SCORE = "send_score_task"  # a finished attempt's score to its course's grade book (LTI)


_TASKS: dict[Job, Any] = {}


def register(job: Job) -> Callable[[Any], Any]:
    """Declare the Celery task that runs `job` (used by lifecycle.tasks)."""

    def decorate(task: Any) -> Any:
        if _TASKS.get(job, task) is not task:
            raise ImproperlyConfigured(f"Two tasks are registered for the job {job}.")
        _TASKS[job] = task
        return task

    return decorate


def check_registry() -> None:
    """Every job has its task: called at start-up, so a missing one stops the process there."""
    missing = [job.value for job in Job if job not in _TASKS]
    if missing:
        raise ImproperlyConfigured(f"No task is registered for the jobs: {', '.join(missing)}.")


def task_for(job: Job | str) -> Any:
    """The task of `job`; LookupError for a reference that names no job."""
    try:
        return _TASKS[Job(job)]
    except (ValueError, KeyError):
        raise LookupError(f"No background job is registered as {job!r}.") from None


class Dispatch:
    """What became of a queued message; filled in after the commit."""

    def __init__(self) -> None:
        self.sent: bool | None = None  # None: not yet (the transaction is still open)

    @property
    def unavailable(self) -> bool:
        return self.sent is False


def send_now(job: Job, *args: Any, **options: Any) -> bool:
    """Hand the job's task to the broker at once; False (and a log line) when the broker cannot
    be reached. Any other error (an unknown job, bad arguments) is raised."""
    task = task_for(job)
    try:
        task.apply_async(args=args, **options)
    except (BrokerUnreachable, OSError):  # the row stays; the sweep sends it again
        log.warning("could not queue %s%r: the broker is unavailable", job, args)
        return False
    return True


def enqueue(
    job: Job, *args: Any, on_failure: Callable[[], None] | None = None, **options: Any
) -> Dispatch:
    """Queue `job(*args)` once the current transaction commits. An unknown job is refused here,
    at once, inside the service that asked for it."""
    task_for(job)  # an unknown reference fails here, in the service that asked for it
    job = Job(job)
    dispatch = Dispatch()

    def send() -> None:
        dispatch.sent = send_now(job, *args, **options)
        if not dispatch.sent and on_failure is not None:
            on_failure()

    transaction.on_commit(send)
    return dispatch


def broker_ok(timeout: float = 1.0) -> bool:
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=0, timeout=timeout)  # one try
    except Exception:
        return False
    return True


def waiting_in_broker(job: Job) -> set[str] | None:
    """The arguments (as Celery writes them: "(5,)") of `job`'s messages waiting in the broker's
    queue, not yet taken by a worker; None when the broker cannot be looked into (it is not
    Redis, or it is down). A queued job whose message is still there is in line, not lost."""
    url = str(app.conf.broker_url or "")
    if not url.startswith(("redis://", "rediss://")):
        return None
    name = task_for(job).name
    try:
        client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        raw = client.lrange(app.conf.task_default_queue, 0, -1)
    except (redis.RedisError, OSError):
        return None
    waiting = set()
    for item in raw:
        try:
            headers = json.loads(item)["headers"]
        except (ValueError, KeyError, TypeError):
            continue  # not a Celery message of protocol 2
        if headers.get("task") == name:
            waiting.add(str(headers.get("argsrepr")))
    return waiting
