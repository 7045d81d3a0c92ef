"""The support dashboard: what is due soon or broken, each number a link to its filtered list."""

from datetime import timedelta
from typing import Any

from django.db.models import Count, Q
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from accounts.models import AccountStatus, SellerAccount
from lifecycle import heartbeat
from lifecycle.admin import finalizing_within, stuck_exports
from lifecycle.conf import setting
from lifecycle.jobs import broker_ok
from lifecycle.models import DeletionRequest, DeletionStatus, ExportJob, ExportStatus
from lifecycle.services.links import when

from .previews import days_until

SOON = timedelta(days=7)
LISTED = 10


def _list(model: str, **query: str) -> str:
    url = reverse(f"admin:{model}_changelist")
    return f"{url}?{urlencode(query)}" if query else url


def owed_emails():
    """Deletion requests whose email job failed, or whose confirmation is owed for too long."""
    late = timezone.now() - setting("EXPORT_STUCK_AFTER")
    return DeletionRequest.objects.filter(
        ~Q(failure_reason="")
        | Q(status=DeletionStatus.PENDING, confirmation_sent_at__isnull=True, created__lt=late)
    )


def queue_depth() -> int | None:
    """Messages waiting in the default Celery queue; None when the broker cannot say."""
    from config.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=0, timeout=1)
            name = app.conf.task_default_queue
            return conn.default_channel.queue_declare(queue=name, passive=True).message_count
    except Exception:  # an unreachable or unknown broker: shown as unknown, not as zero
        return None


def health() -> list[tuple[str, bool | None, str, str]]:
    """(part, up, detail, link) of the broker, the workers, the scheduler and the queue.

    The workers and the scheduler come from their heartbeat rows, as /healthz reads them (no
    ping over the broker); their lines link to /healthz, which gives each one's last heartbeat.
    """
    broker = broker_ok()
    beats = heartbeat.status()
    workers, scheduler = beats[heartbeat.WORKER], beats[heartbeat.SCHEDULER]
    healthz = reverse("healthz")
    alive = len(workers.alive)
    parts: list[tuple[str, bool | None, str, str]] = [
        ("Broker", broker, "reachable" if broker else "unreachable", ""),
        (
            "Workers",
            workers.up,
            f"{alive} worker{pluralize(alive)} beating: {workers.detail}"
            if workers.up
            else workers.detail,
            healthz,
        ),
        ("Scheduler", scheduler.up, scheduler.detail, healthz),
    ]
    depth = queue_depth() if broker else None
    parts.append(("Queue", None, "unknown" if depth is None else f"{depth} waiting", ""))
    return parts


def dashboard() -> dict[str, Any]:
    counts = dict(
        SellerAccount.objects.values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    by_status = [
        (label, counts.get(value, 0), _list("accounts_selleraccount", status__exact=value))
        for value, label in AccountStatus.choices
    ]
    soon = finalizing_within(DeletionRequest.objects.all(), SOON).select_related(
        "account", "account__sandbox"
    )
    finalizing = []
    for request in soon.order_by("scheduled_for")[:LISTED]:
        left = days_until(request.scheduled_for, request.account.sandbox.now())
        finalizing.append((request, when(request.scheduled_for), left))
    failed = ExportJob.objects.filter(status=ExportStatus.FAILED).select_related("account")
    stuck = stuck_exports(ExportJob.objects.all()).select_related("account")
    emails = owed_emails().select_related("account")
    return {
        "by_status": by_status,
        "finalizing": finalizing,
        "finalizing_count": soon.count(),
        "finalizing_url": _list("lifecycle_deletionrequest", finalizes="7d"),
        "failed_exports": list(failed.order_by("-id")[:LISTED]),
        "failed_count": failed.count(),
        "failed_url": _list("lifecycle_exportjob", status__exact=ExportStatus.FAILED),
        "stuck_exports": list(stuck.order_by("-id")[:LISTED]),
        "stuck_count": stuck.count(),
        "stuck_url": _list("lifecycle_exportjob", stuck="yes"),
        "owed_emails": list(emails.order_by("-id")[:LISTED]),
        "owed_count": emails.count(),
        "owed_url": _list("lifecycle_deletionrequest", emails="owed"),
        "health": health(),
    }
