"""Data exports (RULEBOOK §6): asked for by the seller, built by a job, downloaded, expired.

The export machine is declared in `lifecycle.transitions.export`. The job that builds the file
calls start_export, export_progress, mark_export_ready or fail_export; the sweep calls
expire_export, and resend_export or give_up_export for an export whose worker died or whose
message the broker lost.
"""

from datetime import datetime

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Max, QuerySet
from django.urls import reverse
from django.utils import timezone

from accounts.models import SellerAccount
from editions.registry import rule
from lifecycle.conf import setting
from lifecycle.core import (
    Actor,
    Change,
    FollowUp,
    account_rows,
    apply,
    lifecycle_service,
    lock_account,
    lock_owned,
)
from lifecycle.jobs import Dispatch, Job, enqueue
from lifecycle.models import ExportJob, ExportStatus
from lifecycle.transitions import Action, Rows, Transition, when
from lifecycle.transitions import export as declared
from lifecycle.transitions.export import download_refusal, next_export_allowed_at, silent_since

from .emails import email_owner

__all__ = ["download_refusal", "next_export_allowed_at", "silent_since"]

BUILDER = Actor.job("export")


def _rows(export: ExportJob | int) -> Rows:
    """Lock the account, then the export: the same order as every other service."""
    account, job = lock_owned(ExportJob, export)
    return account_rows(account, job)


def _apply(transition: Transition, export: ExportJob | int, actor: Actor, effect=None):
    return apply(transition, _rows(export), actor=actor, effect=effect)


def in_flight(account: SellerAccount) -> ExportJob | None:
    return account.exports.in_flight().first()


def _undispatched(pk: int):
    """The heartbeat of a queued export is the time it was handed to the broker; when the broker
    is down it stays empty and the sweep sends it."""

    def clear() -> None:
        ExportJob.objects.filter(pk=pk, status=ExportStatus.QUEUED).update(heartbeat=None)

    return clear


def _build(pk: int) -> FollowUp:
    return FollowUp(Job.BUILD_EXPORT, (pk,), on_failure=_undispatched(pk))


def dispatch_export(pk: int) -> Dispatch:
    """Send the build task (again) after the commit."""
    return enqueue(Job.BUILD_EXPORT, pk, on_failure=_undispatched(pk))


def queued_message(job: ExportJob) -> str:
    """What to tell the seller right after asking: queued, and whether the jobs are running."""
    dispatch = getattr(job, "dispatch", None)
    if dispatch is not None and dispatch.unavailable:
        return (
            f"Export #{job.number} is queued. Background jobs are unavailable right now, so it "
            "starts as soon as they are back; nothing is lost."
        )
    return (
        f"Export #{job.number} is queued: an email with the download link follows when it is ready."
    )


def _next_number(account: SellerAccount) -> int:
    """The number the sandbox's next export gets (its clock row is locked: no two take one)."""
    numbers = ExportJob.objects.filter(account__sandbox_id=account.sandbox_id)
    return (numbers.aggregate(last=Max("number"))["last"] or 0) + 1


def _create(rows: Rows, target: str) -> Change:
    job = ExportJob.objects.create(
        account=rows.seller,
        number=_next_number(rows.seller),
        requested_at=rows.now,
        heartbeat=timezone.now(),
    )
    return Change(result=job, subject=job, jobs=(_build(job.pk),))


@lifecycle_service(Action.REQUEST_EXPORT)
def request_export(*, actor: Actor, account: SellerAccount | int) -> ExportJob:
    """Queue a new export of the account's data. One in flight, one new per cooldown period."""
    rows = account_rows(lock_account(account))
    return apply(declared.REQUEST_EXPORT, rows, actor=actor, effect=_create)


def _requeue(rows: Rows, target: str) -> Change:
    job = rows.subject
    job.progress, job.failure_reason, job.heartbeat = 0, "", timezone.now()
    job.resends = 0  # the trainee asked again: the sweep may send it again as often as at first
    return Change(
        result=job,
        fields=("progress", "failure_reason", "heartbeat", "resends"),
        jobs=(_build(job.pk),),
    )


@lifecycle_service(Action.RETRY_EXPORT)
def retry_export(*, actor: Actor, export: ExportJob | int) -> ExportJob:
    """Queue a failed export again, from the start."""
    return _apply(declared.RETRY_EXPORT, export, actor, _requeue)


def _claim(rows: Rows, target: str) -> Change:
    job = rows.subject
    job.progress = 0
    job.attempts += 1
    job.started = job.heartbeat = timezone.now()
    return Change(result=job, fields=("progress", "attempts", "started", "heartbeat"))


def start_export(*, export: ExportJob | int) -> ExportJob | None:
    """Claim a queued export for building; None when there is nothing for this delivery to build.

    A running export whose builder is alive (a heartbeat within EXPORT_RECOVER_AFTER) is left to
    it: a second delivery does nothing. One whose builder went silent is taken over (a new
    attempt); the builder it was taken from stops at its next heartbeat.
    """
    pk = export.pk if isinstance(export, ExportJob) else export
    if not ExportJob.objects.filter(pk=pk).exists():
        return None  # removed since it was queued (the account was deleted)
    with transaction.atomic():
        return _apply(declared.START_EXPORT, pk, BUILDER, _claim)


def _this_build(export: ExportJob | int) -> dict:
    """The row a builder may still write to: its own attempt, when it names one."""
    if isinstance(export, ExportJob):
        return {"pk": export.pk, "attempts": export.attempts}
    return {"pk": export}


def export_progress(*, export: ExportJob | int, progress: int) -> bool:
    """Store progress and a heartbeat; False when the export is no longer this builder's (it
    was failed, sent again or taken over): the builder stops."""
    return bool(
        ExportJob.objects.filter(status=ExportStatus.RUNNING, **_this_build(export)).update(
            progress=max(0, min(int(progress), 99)), heartbeat=timezone.now()
        )
    )


def _unsent(pk: int):
    """A resend the broker refused does not count: the heartbeat is cleared, so the next sweep
    sends it as a first send."""

    def undo() -> None:
        ExportJob.objects.filter(pk=pk, status=ExportStatus.QUEUED).update(
            heartbeat=None, resends=F("resends") - 1
        )

    return undo


def _resent(rows: Rows, target: str) -> Change:
    job = rows.subject
    lost_worker = job.status == ExportStatus.RUNNING
    job.progress, job.heartbeat = 0, timezone.now()
    job.resends += 1
    seconds = int(setting("EXPORT_RECOVER_AFTER").total_seconds())
    if lost_worker:
        why = f"Its build gave no sign of life for {seconds} seconds (its worker stopped)"
    else:
        why = f"No worker took it up within {seconds} seconds (the broker lost its message)"
    return Change(
        result=job,
        fields=("progress", "heartbeat", "resends"),
        jobs=(FollowUp(Job.BUILD_EXPORT, (job.pk,), on_failure=_unsent(job.pk)),),
        message=f"{why}: sent again, to be built from the start.",
        params={"resends": job.resends, "cause": "worker" if lost_worker else "message"},
    )


@lifecycle_service(Action.RESEND_EXPORT)
def resend_export(*, actor: Actor, export: ExportJob | int) -> ExportJob | None:
    """Send a stalled export's build again (the sweep): back to queued, from the start. None
    when it finished (or failed) meanwhile."""
    return _apply(declared.RESEND_EXPORT, export, actor, _resent)


def _back_in_queue(rows: Rows, target: str) -> Change:
    job = rows.subject
    job.progress, job.heartbeat = 0, None
    return Change(result=True, fields=("progress", "heartbeat"))


def requeue_export(*, export: ExportJob | int) -> bool:
    """Put a running export back in the queue after a transient error, for the task's retry."""
    pk = export.pk if isinstance(export, ExportJob) else export
    with transaction.atomic():
        return _apply(declared.REQUEUE_EXPORT, pk, BUILDER, _back_in_queue)


def _ready(rows: Rows, target: str) -> Change:
    job, now = rows.subject, rows.now
    offer = rows.inputs
    job.progress = 100
    job.file.name = offer["file_name"]
    job.size_bytes = offer["size_bytes"]
    job.manifest = offer["manifest"]
    job.ready_at = now
    job.expires_at = now + rule(rows.sandbox, "EXPORT_LINK_VALID_FOR")
    job.finished = job.heartbeat = timezone.now()
    fields = ("progress", "file", "size_bytes", "manifest", "ready_at", "expires_at")
    return Change(
        result=job,
        fields=(*fields, "finished", "heartbeat"),
        params={"size_bytes": job.size_bytes, "rows": job.manifest.get("rows", {})},
    )


@lifecycle_service(Action.EXPORT_READY)
def mark_export_ready(
    *, actor: Actor, export: ExportJob | int, file_name: str, size_bytes: int, manifest: dict
) -> ExportJob | None:
    """Offer a fully written file. None when the export stopped being ours meanwhile (the caller
    then removes the file it wrote)."""
    rows = _rows(export)
    rows.inputs = {"file_name": file_name, "size_bytes": size_bytes, "manifest": manifest}
    if isinstance(export, ExportJob):
        rows.inputs["attempt"] = export.attempts  # a builder taken over offers nothing
    job = apply(declared.EXPORT_READY, rows, actor=actor, effect=_ready)
    if job is None:
        return None
    account = rows.seller
    url = reverse("download_export", kwargs={"sandbox_id": account.sandbox_id, "export_id": job.pk})
    email_owner(
        actor=actor,
        account=account,
        kind="export_ready",
        subject="Your data export is ready",
        body=(
            f"Export #{job.number} of {account.display_name} is ready to download. Only you can "
            f"download it, until {when(job.expires_at)}; after that the file is removed."
        ),
        links=[{"label": "Download the export", "url": url}],
        dedupe_key=f"export-{job.pk}-ready",
        about=job,
    )
    return job


def _failed(rows: Rows, target: str) -> Change:
    job = rows.subject
    job.failure_reason = rows.inputs["reason"]
    job.finished = timezone.now()
    return Change(result=job, fields=("failure_reason", "finished"), message=job.failure_reason)


def _fail(transition: Transition, actor: Actor, rows: Rows, reason: str, **inputs) -> ExportJob:
    """Mark the export failed, with the reason, and tell the owner: a failure is never silent."""
    rows.inputs = {"reason": reason, **inputs}
    before = rows.subject.status
    job = apply(transition, rows, actor=actor, effect=_failed)
    if before not in declared.IN_FLIGHT or job.status != ExportStatus.FAILED:
        return job  # failed, finished or expired already, or not this builder's any more
    account = rows.seller
    email_owner(
        actor=actor,
        account=account,
        kind="export_failed",
        subject="Your data export failed",
        body=(
            f"Export #{job.number} of {account.display_name} could not be completed: {reason} "
            "Open Data exports and press Retry to build it again."
        ),
        dedupe_key=f"export-{job.pk}-failed-{job.attempts}",
        about=job,
    )
    return job


@lifecycle_service(Action.EXPORT_FAILED)
def fail_export(*, actor: Actor, export: ExportJob | int, reason: str) -> ExportJob:
    """The builder could not write the archive: failed, with the reason and an email. A builder
    whose export was taken over fails nothing."""
    attempt = {"attempt": export.attempts} if isinstance(export, ExportJob) else {}
    return _fail(declared.EXPORT_FAILED, actor, _rows(export), reason, **attempt)


def gave_up_reason(job: ExportJob) -> str:
    """Why the sweep gave up on an export it sent again EXPORT_MAX_RESENDS times."""
    sent = setting("EXPORT_MAX_RESENDS") + 1
    if job.status == ExportStatus.RUNNING:
        return f"Its build was started {sent} times and each time its worker stopped."
    return f"It was sent to the background jobs {sent} times and no worker took it up."


@lifecycle_service(Action.EXPORT_FAILED)
def give_up_export(*, actor: Actor, export: ExportJob | int) -> ExportJob:
    """The sweep's last step for a stalled export whose resends ran out: failed, with the
    reason, an email and Retry."""
    rows = _rows(export)
    return _fail(declared.GIVE_UP_EXPORT, actor, rows, gave_up_reason(rows.subject))


def _downloaded(rows: Rows, target: str) -> Change:
    job = rows.subject
    job.downloaded_at = rows.now
    return Change(result=job, fields=("downloaded_at",))


@lifecycle_service(Action.DOWNLOAD_EXPORT)
def record_download(*, actor: Actor, export: ExportJob | int) -> ExportJob:
    """The owner downloads a ready export; it now counts as data backed up (RULEBOOK §5, §6).

    Called by the download view as it sends the file. Once per export: a later download is a
    repeat (the file again, no event), and a refusal repeated with nothing between is recorded
    once (the declaration's refusal_once), so a page that asks again and again writes nothing.
    """
    return _apply(declared.DOWNLOAD_EXPORT, export, actor, _downloaded)


def _expired(rows: Rows, target: str) -> Change:
    job = rows.subject
    path = job.file.name
    job.file.name = ""
    if path:
        transaction.on_commit(lambda: default_storage.delete(path), robust=True)
    return Change(result=job, fields=("file",))


@lifecycle_service(Action.EXPIRE_EXPORT)
def expire_export(*, actor: Actor, export: ExportJob | int) -> ExportJob:
    """Past its expiry the link stops working and the file is removed."""
    return _apply(declared.EXPIRE_EXPORT, export, actor, _expired)


def stuck_since() -> datetime:
    """Exports in flight whose heartbeat (real time) is older than this are stuck (the admin's
    filter); a queued one handed over before this counts as lost when the broker cannot be
    looked into."""
    return timezone.now() - setting("EXPORT_STUCK_AFTER")


def remove_export_files(exports: QuerySet) -> int:
    """Delete the stored files of these exports (finalization and a demo reset both do, before
    the rows go); return how many files there were."""
    removed = 0
    for export in exports.exclude(file=""):
        export.file.delete(save=False)
        removed += 1
    return removed
