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
    sweep_sandboxes,
)
from lti.grades import resend_due, send_score

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


# Sandboxes per sweep_sandboxes_task: each batch is one set-based sweep (a query per kind of due
# work), and the batches spread over the workers.
SWEEP_BATCH = 200


@shared_task(**JOB)
def sweep_sandboxes_task(sandbox_ids: list[int]) -> list[str]:
    done = sweep_sandboxes(sandbox_ids)
    if done:
        log.info("sweep of %s sandboxes: %s", len(sandbox_ids), "; ".join(done))
    return done


@register(Job.SEND_SCORE)
@shared_task(**JOB)
def send_score_task(send_id: int) -> str:
    return send_score(send_id)


@shared_task(**JOB)
def sweep_task() -> int:
    """The periodic sweep: the sandboxes that may have something due, in batches of
    SWEEP_BATCH, one sweep_sandboxes_task each; and the scores owed to learning platforms
    that are due for another try."""
    resent = resend_due()
    if resent:
        log.info("sweep: %s scores sent again to learning platforms", resent)
    sandbox_ids = sandboxes_with_due_work()
    for start in range(0, len(sandbox_ids), SWEEP_BATCH):
        sweep_sandboxes_task.delay(sandbox_ids[start : start + SWEEP_BATCH])
    return len(sandbox_ids)
