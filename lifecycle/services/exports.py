"""Data exports (RULEBOOK §6): asked for by the seller, built by a job, downloaded, expired.

queued → running → ready → expired, or → failed → (retry) queued. The job that builds the file
calls start_export, export_progress, mark_export_ready or fail_export; the sweep calls
expire_export and fails exports that stopped making progress.
"""

import logging
from datetime import datetime

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils import timezone

from accounts.models import SellerAccount
from lifecycle.conf import setting
from lifecycle.errors import Code
from lifecycle.jobs import Dispatch, enqueue
from lifecycle.models import IN_FLIGHT_EXPORT_STATUSES, ExportJob, ExportStatus
from lifecycle.transitions import NEW, Action, Transition, transition_for

from ._core import Actor, check_actor, lifecycle_service, lock_account, record, refuse
from .emails import email_owner
from .links import when

BUILDER = Actor.job("export")
BUILD_TASK = "lifecycle.tasks.build_export_task"
log = logging.getLogger(__name__)


def _lock_export(export: ExportJob | int) -> tuple[SellerAccount, ExportJob]:
    """Lock the account, then the export: the same order as every other service."""
    pk = export.pk if isinstance(export, ExportJob) else export
    account = lock_account(ExportJob.objects.values_list("account_id", flat=True).get(pk=pk))
    return account, ExportJob.objects.select_for_update().get(pk=pk)


def _guard(actor: Actor, transition: Transition, account: SellerAccount, context: dict) -> None:
    check_actor(actor, transition, account)
    if account.status not in transition.account_statuses:
        refuse(Code.ACCOUNT_DELETED, "This account was deleted; its data is gone.", **context)


def _open(
    actor: Actor, export: ExportJob | int, action: str
) -> tuple[SellerAccount, ExportJob, dict]:
    """Lock an export for `action`, check who acts and the account; return the refusal context."""
    account, job = _lock_export(export)
    context = {"account": account, "subject": job, "state": job.status}
    _guard(actor, transition_for(action), account, context)
    return account, job, context


def in_flight(account: SellerAccount) -> ExportJob | None:
    return account.exports.filter(status__in=IN_FLIGHT_EXPORT_STATUSES).first()


def next_export_allowed_at(account: SellerAccount) -> datetime | None:
    """When the cooldown allows a new export; None when it allows one now.

    A failed export does not count: the seller got nothing from it (and can retry it instead).
    """
    last = account.exports.exclude(status=ExportStatus.FAILED).order_by("-requested_at").first()
    if last is None:
        return None
    allowed_at = last.requested_at + setting("EXPORT_COOLDOWN")
    return allowed_at if account.sandbox.now() < allowed_at else None


def dispatch_export(pk: int) -> Dispatch:
    """Send the build task after the commit. The heartbeat of a queued export is the time it
    was handed to the broker; when the broker is down it stays empty and the sweep sends it."""

    def undispatched() -> None:
        ExportJob.objects.filter(pk=pk, status=ExportStatus.QUEUED).update(heartbeat=None)

    return enqueue("build_export_task", pk, on_failure=undispatched)


def queued_message(job: ExportJob) -> str:
    """What to tell the seller right after asking: queued, and whether the jobs are running."""
    dispatch = getattr(job, "dispatch", None)
    if dispatch is not None and dispatch.unavailable:
        return (
            f"Export #{job.pk} is queued. Background jobs are unavailable right now, so it "
            "starts as soon as they are back; nothing is lost."
        )
    return f"Export #{job.pk} is queued: an email with the download link follows when it is ready."


def _queue(job: ExportJob) -> None:
    job.dispatch = dispatch_export(job.pk)  # type: ignore[attr-defined]


@lifecycle_service(Action.REQUEST_EXPORT)
def request_export(*, actor: Actor, account: SellerAccount | int) -> ExportJob:
    """Queue a new export of the account's data. One in flight, one new per cooldown period."""
    account = lock_account(account)
    context = {"account": account, "machine": "export", "state": NEW}
    _guard(actor, transition_for(Action.REQUEST_EXPORT), account, context)
    current = in_flight(account)
    if current is not None:
        refuse(
            Code.EXPORT_IN_FLIGHT,
            f"Export #{current.pk} is still being prepared: wait for it to finish, the Data "
            "exports page shows its progress.",
            **context,
        )
    allowed_at = next_export_allowed_at(account)
    if allowed_at is not None:
        hours = int(setting("EXPORT_COOLDOWN").total_seconds() // 3600)
        refuse(
            Code.EXPORT_TOO_SOON,
            f"One new export is possible every {hours} hours: download the latest one, or ask "
            f"again after {when(allowed_at)}.",
            next_allowed_at=allowed_at,
            **context,
        )
    job = ExportJob.objects.create(
        account=account, requested_at=account.sandbox.now(), heartbeat=timezone.now()
    )
    record(
        actor=actor,
        action=Action.REQUEST_EXPORT,
        subject=job,
        before=NEW,
        after=job.status,
        account=account,
    )
    _queue(job)
    return job


@lifecycle_service(Action.RETRY_EXPORT)
def retry_export(*, actor: Actor, export: ExportJob | int) -> ExportJob:
    """Queue a failed export again, from the start."""
    account, job, context = _open(actor, export, Action.RETRY_EXPORT)
    if job.status in IN_FLIGHT_EXPORT_STATUSES:
        return job  # retried already: the same click twice queues it once
    if job.status != ExportStatus.FAILED:
        refuse(
            Code.EXPORT_NOT_RETRYABLE,
            f"Export #{job.pk} is {job.get_status_display().lower()}: only a failed export can "
            "be retried.",
            **context,
        )
    current = in_flight(account)
    if current is not None:
        refuse(
            Code.EXPORT_IN_FLIGHT,
            f"Export #{current.pk} is being prepared: wait for it to finish first.",
            **context,
        )
    job.status = ExportStatus.QUEUED
    job.progress = 0
    job.failure_reason = ""
    job.resends = 0
    job.heartbeat = timezone.now()
    job.save(update_fields=["status", "progress", "failure_reason", "resends", "heartbeat"])
    record(
        actor=actor,
        action=Action.RETRY_EXPORT,
        subject=job,
        before=ExportStatus.FAILED,
        after=job.status,
        account=account,
    )
    _queue(job)
    return job


def recovery_since() -> datetime:
    """Exports silent (real time) since before this lost their worker or their message."""
    return timezone.now() - setting("EXPORT_RECOVER_AFTER")


def start_export(*, export: ExportJob | int) -> ExportJob | None:
    """Claim a queued export for building; None when there is nothing for this delivery to build.

    A running export whose heartbeat is fresh has a live builder: a second delivery (a killed
    pool child's message handed out again) leaves it alone. One silent for EXPORT_RECOVER_AFTER
    lost its worker and is taken over; the sweep sends such an export again by itself.
    """
    pk = export.pk if isinstance(export, ExportJob) else export
    if not ExportJob.objects.filter(pk=pk).exists():
        return None  # removed since it was queued (the account was deleted)
    with transaction.atomic():
        _account, job = _lock_export(pk)
        now = timezone.now()
        if job.status == ExportStatus.RUNNING:
            beat = job.heartbeat or job.started
            if beat is not None and beat >= recovery_since():
                log.info("export %s is being built by a live worker; delivery dropped", pk)
                return None
        elif job.status != ExportStatus.QUEUED:
            return None  # ready, failed or expired: a duplicate delivery changes nothing
        job.status = ExportStatus.RUNNING
        job.progress = 0
        job.attempts += 1
        job.started = job.heartbeat = now
        job.save(update_fields=["status", "progress", "attempts", "started", "heartbeat"])
        return job


def _builds(export: ExportJob | int) -> dict:
    """The rows a builder may still write to: its own attempt only, when it names one. A builder
    whose export was taken over (a new attempt started) then stops."""
    if isinstance(export, ExportJob):
        return {"pk": export.pk, "attempts": export.attempts}
    return {"pk": export}


def export_progress(*, export: ExportJob | int, progress: int) -> bool:
    """Store progress and a heartbeat; False when the export is no longer this builder's to
    build (stop)."""
    return bool(
        ExportJob.objects.filter(status=ExportStatus.RUNNING, **_builds(export)).update(
            progress=max(0, min(int(progress), 99)), heartbeat=timezone.now()
        )
    )


def resend_export(*, export: ExportJob | int, counted: bool = True) -> bool:
    """Send a lost or abandoned build again (the sweep): back to queued, from the start.

    `counted` resends count towards EXPORT_MAX_RESENDS; a first send that never reached the
    broker does not. A resend the broker refuses does not count either: its heartbeat is
    cleared and the next sweep sends it again.
    """
    with transaction.atomic():
        _account, job = _lock_export(export)
        if job.status not in IN_FLIGHT_EXPORT_STATUSES:
            return False
        job.status = ExportStatus.QUEUED
        job.progress = 0
        job.heartbeat = timezone.now()
        job.resends += counted
        job.save(update_fields=["status", "progress", "heartbeat", "resends"])
        pk = job.pk

        def undispatched() -> None:
            ExportJob.objects.filter(pk=pk, status=ExportStatus.QUEUED).update(
                heartbeat=None, resends=F("resends") - int(counted)
            )

        enqueue("build_export_task", pk, on_failure=undispatched)
    return True


def requeue_export(*, export: ExportJob | int) -> bool:
    """Put a running export back in the queue after a transient error, for the task's retry."""
    pk = export.pk if isinstance(export, ExportJob) else export
    return bool(
        ExportJob.objects.filter(pk=pk, status=ExportStatus.RUNNING).update(
            status=ExportStatus.QUEUED, progress=0, heartbeat=None
        )
    )


@lifecycle_service(Action.EXPORT_READY)
def mark_export_ready(
    *, actor: Actor, export: ExportJob | int, file_name: str, size_bytes: int, manifest: dict
) -> ExportJob | None:
    """Offer a fully written file. None when the export stopped being ours meanwhile (the caller
    then removes the file it wrote)."""
    account, job, context = _open(actor, export, Action.EXPORT_READY)
    taken_over = isinstance(export, ExportJob) and export.attempts != job.attempts
    if job.status != ExportStatus.RUNNING or taken_over:
        return None
    now = account.sandbox.now()
    job.status = ExportStatus.READY
    job.progress = 100
    job.file.name = file_name
    job.size_bytes = size_bytes
    job.manifest = manifest
    job.ready_at = now
    job.expires_at = now + setting("EXPORT_LINK_VALID_FOR")
    job.finished = job.heartbeat = timezone.now()
    job.save(
        update_fields=[
            "status",
            "progress",
            "file",
            "size_bytes",
            "manifest",
            "ready_at",
            "expires_at",
            "finished",
            "heartbeat",
        ]
    )
    record(
        actor=actor,
        action=Action.EXPORT_READY,
        subject=job,
        before=ExportStatus.RUNNING,
        after=job.status,
        account=account,
        params={"size_bytes": size_bytes, "rows": manifest.get("rows", {})},
    )
    url = reverse("download_export", kwargs={"sandbox_id": account.sandbox_id, "export_id": job.pk})
    email_owner(
        actor=actor,
        account=account,
        kind="export_ready",
        subject="Your data export is ready",
        body=(
            f"Export #{job.pk} of {account.display_name} is ready to download. Only you can "
            f"download it, until {when(job.expires_at)}; after that the file is removed."
        ),
        links=[{"label": "Download the export", "url": url}],
        dedupe_key=f"export-{job.pk}-ready",
        about=job,
    )
    return job


@lifecycle_service(Action.EXPORT_FAILED)
def fail_export(*, actor: Actor, export: ExportJob | int, reason: str) -> ExportJob:
    """Mark the export failed, with the reason, and tell the owner: a failure is never silent."""
    account, job, context = _open(actor, export, Action.EXPORT_FAILED)
    if job.status not in IN_FLIGHT_EXPORT_STATUSES:
        return job  # failed, finished or expired already
    before = job.status
    job.status = ExportStatus.FAILED
    job.failure_reason = reason
    job.finished = timezone.now()
    job.save(update_fields=["status", "failure_reason", "finished"])
    record(
        actor=actor,
        action=Action.EXPORT_FAILED,
        subject=job,
        before=before,
        after=job.status,
        account=account,
        message=reason,
    )
    email_owner(
        actor=actor,
        account=account,
        kind="export_failed",
        subject="Your data export failed",
        body=(
            f"Export #{job.pk} of {account.display_name} could not be completed: {reason} "
            "Open Data exports and press Retry to build it again."
        ),
        dedupe_key=f"export-{job.pk}-failed-{job.attempts}",
        about=job,
    )
    return job


def download_refusal(job: ExportJob, now) -> tuple[Code, str] | None:
    if job.status == ExportStatus.EXPIRED or (
        job.status == ExportStatus.READY and job.expires_at and now >= job.expires_at
    ):
        return (
            Code.EXPORT_EXPIRED,
            f"Export #{job.pk} expired and its file was removed: ask for a new export.",
        )
    if job.status != ExportStatus.READY:
        return (
            Code.EXPORT_NOT_READY,
            f"Export #{job.pk} is {job.get_status_display().lower()}: it can be downloaded once "
            "it is ready.",
        )
    if not job.file.name or not job.file.storage.exists(job.file.name):
        # Checked before the download is counted as data backed up: no file, no backup.
        return (
            Code.EXPORT_FILE_MISSING,
            f"Export #{job.pk}'s file is no longer in storage: ask for a new export.",
        )
    return None


@lifecycle_service(Action.DOWNLOAD_EXPORT)
def record_download(*, actor: Actor, export: ExportJob | int) -> ExportJob:
    """The owner downloads a ready export; it now counts as data backed up (RULEBOOK §5, §6)."""
    account, job, context = _open(actor, export, Action.DOWNLOAD_EXPORT)
    now = account.sandbox.now()
    refusal = download_refusal(job, now)
    if refusal is not None:
        refuse(*refusal, **context)
    first = job.downloaded_at is None
    job.downloaded_at = now
    job.save(update_fields=["downloaded_at"])
    record(
        actor=actor,
        action=Action.DOWNLOAD_EXPORT,
        subject=job,
        before=job.status,
        after=job.status,
        account=account,
        params={"first_download": first},
    )
    return job


@lifecycle_service(Action.EXPIRE_EXPORT)
def expire_export(*, actor: Actor, export: ExportJob | int) -> ExportJob:
    """Past its expiry the link stops working and the file is removed."""
    account, job, context = _open(actor, export, Action.EXPIRE_EXPORT)
    if job.status == ExportStatus.EXPIRED:
        return job
    if job.status != ExportStatus.READY:
        refuse(Code.INVALID_STATE, "Only a ready export can expire.", **context)
    if account.sandbox.now() < job.expires_at:
        refuse(Code.NOT_DUE, f"Export #{job.pk} is valid until {when(job.expires_at)}.", **context)
    path = job.file.name
    job.status = ExportStatus.EXPIRED
    job.file.name = ""
    job.save(update_fields=["status", "file"])
    if path:
        transaction.on_commit(lambda: default_storage.delete(path), robust=True)
    record(
        actor=actor,
        action=Action.EXPIRE_EXPORT,
        subject=job,
        before=ExportStatus.READY,
        after=job.status,
        account=account,
    )
    return job


def remove_export_files(exports: QuerySet) -> int:
    """Delete the stored files of these exports (finalization and a demo reset both do, before
    the rows go); return how many files there were."""
    removed = 0
    for export in exports.exclude(file=""):
        export.file.delete(save=False)
        removed += 1
    return removed


def stuck_since() -> datetime:
    return timezone.now() - setting("EXPORT_STUCK_AFTER")


def stuck_reason() -> str:
    """Why the sweep gave up on an export whose builders kept stopping."""
    tries = setting("EXPORT_MAX_RESENDS") + 1
    return f"Its build stopped {tries} times without finishing (the worker building it stopped)."


def lost_reason() -> str:
    """Why the sweep gave up on an export that no worker took up."""
    tries = setting("EXPORT_MAX_RESENDS") + 1
    return f"No background worker took it up, though it was sent {tries} times."
