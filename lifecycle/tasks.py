"""Background jobs. Each one is thin: load by id, call a service, done.

All are acknowledged late (a worker that dies mid-job leaves the message to be delivered again),
retried with backoff on transient database errors, and idempotent, so a second delivery changes
nothing twice. What the trainee sees of a job lives in its database row, not in the result store.
"""

import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError

from lifecycle.core import Actor
from lifecycle.exporting import build_export
from lifecycle.jobs import Job, register
from lifecycle.services import (
    notify_customers,
    sandboxes_with_due_work,
    send_deletion_confirmation,
    sweep_sandbox,
)

log = logging.getLogger(__name__)

JOB = {
    "acks_late": True,
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": 2,
    "retry_backoff_max": 120,
    "retry_jitter": True,
    "max_retries": 6,
    "ignore_result": True,
}


@register(Job.BUILD_EXPORT)
@shared_task(**JOB)
def build_export_task(export_id: int) -> None:
    # A delivery that finds a live builder does nothing; one whose builder died is sent again
    # by the sweep (lifecycle.services.due), so nothing here waits for another worker.
    build_export(export_id)


@register(Job.SEND_DELETION_CONFIRMATION)
@shared_task(**JOB)
def send_deletion_confirmation_task(request_id: int) -> None:
    send_deletion_confirmation(actor=Actor.job("deletion email"), request=request_id)


@register(Job.NOTIFY_CUSTOMERS)
@shared_task(**JOB)
def notify_customers_task(account_id: int, announcement_id: int) -> None:
    notify_customers(
        actor=Actor.job("notify customers"), account=account_id, announcement=announcement_id
    )


@register(Job.SWEEP_SANDBOX)
@shared_task(**JOB)
def sweep_sandbox_task(sandbox_id: int) -> list[str]:
    done = sweep_sandbox(sandbox=sandbox_id)
    if done:
        log.info("sweep of sandbox %s: %s", sandbox_id, "; ".join(done))
    return done


@shared_task(**JOB)
def sweep_task() -> int:
    """The periodic sweep: one sweep_sandbox_task per sandbox that may have something due."""
    sandbox_ids = sandboxes_with_due_work()
    for sandbox_id in sandbox_ids:
        sweep_sandbox_task.delay(sandbox_id)
    return len(sandbox_ids)
