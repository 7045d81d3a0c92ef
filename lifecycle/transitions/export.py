"""A data export's own machine (RULEBOOK §6): queued, running, ready, failed, expired.

queued → running → ready → expired, or → failed → (retry) queued. Starting a build and putting
it back in the queue write no timeline event: the export's row carries them. An export whose
build went silent (its worker died) or whose message the broker lost is sent again by the sweep
(running or queued → queued), at most EXPORT_MAX_RESENDS times; then the sweep gives up on it
(→ failed, with Retry). Both write their event: the trainee sees why the export took longer.
"""

from datetime import datetime

from django.utils import timezone

from editions.registry import rule
from lifecycle.actions import Action
from lifecycle.conf import setting
from lifecycle.errors import Code
from lifecycle.models import ExportJob, ExportStatus
from lifecycle.wording import count

from .base import (
    JOB,
    NOT_DELETED,
    PEOPLE,
    TRAINEE,
    Done,
    Kind,
    Machine,
    Refusal,
    Rows,
    Subject,
    Transition,
    account_in,
    deleted,
    hours,
    when,
)

NEW = "new"  # no export yet: the state a request starts from
QUEUED, RUNNING, READY = (
    ExportStatus.QUEUED.value,
    ExportStatus.RUNNING.value,
    ExportStatus.READY.value,
)
FAILED, EXPIRED = ExportStatus.FAILED.value, ExportStatus.EXPIRED.value
IN_FLIGHT = (QUEUED, RUNNING)

EXPORT = Machine(
    "export",
    (NEW, *ExportStatus.values),
    lambda rows: rows.subject.status if isinstance(rows.subject, ExportJob) else NEW,
    model=ExportJob,
    field="status",
    labels=dict(ExportStatus.choices),
    tones={
        ExportStatus.READY: "text-bg-success",
        ExportStatus.FAILED: "text-bg-danger",
        ExportStatus.EXPIRED: "text-bg-secondary",
        "": "text-bg-info",
    },
    kind=Kind(lambda rows: rows.subject, lambda rows: "export"),
    subject=Subject(ExportJob, "export", lambda job: f"Data export #{job.number}"),
)

_GATE = account_in(NOT_DELETED, lambda rows: deleted("This account was deleted; its data is gone."))


def _in_flight(rows: Rows) -> ExportJob | None:
    return rows.seller.exports.in_flight().first()


def next_export_allowed_at(account):
    """When the cooldown allows a new export; None when it allows one now.

    A failed export does not count: the seller got nothing from it (and can retry it instead).
    """
    last = account.exports.exclude(status=ExportStatus.FAILED).order_by("-requested_at").first()
    if last is None:
        return None
    allowed_at = last.requested_at + rule(account.sandbox, "EXPORT_COOLDOWN")
    return allowed_at if account.sandbox.now() < allowed_at else None


def none_in_flight(rows: Rows) -> Refusal | None:
    current = _in_flight(rows)
    if current is None:
        return None
    return Refusal(
        Code.EXPORT_IN_FLIGHT,
        f"Export #{current.number} is still being prepared: wait for it to finish, the Data "
        "exports page shows its progress.",
    )


def cooldown_over(rows: Rows) -> Refusal | None:
    allowed_at = next_export_allowed_at(rows.seller)
    if allowed_at is None:
        return None
    return Refusal(
        Code.EXPORT_TOO_SOON,
        f"One new export is possible every {count(hours(rows.sandbox, 'EXPORT_COOLDOWN'), 'hour')}"
        ": download the latest "
        f"one, or ask again after {when(allowed_at)}.",
        next_allowed_at=allowed_at,
    )


def no_other_in_flight(rows: Rows) -> Refusal | None:
    current = _in_flight(rows)
    if current is None:
        return None
    return Refusal(
        Code.EXPORT_IN_FLIGHT,
        f"Export #{current.number} is being prepared: wait for it to finish first.",
    )


def download_refusal(job: ExportJob, now) -> Refusal | None:
    """Why `job` cannot be downloaded at `now`, if it cannot (the download page asks too)."""
    if job.status == ExportStatus.EXPIRED or (
        job.status == ExportStatus.READY and job.expires_at and now >= job.expires_at
    ):
        return Refusal(
            Code.EXPORT_EXPIRED,
            f"Export #{job.number} expired and its file was removed: ask for a new export.",
        )
    if job.status != ExportStatus.READY:
        return Refusal(
            Code.EXPORT_NOT_READY,
            f"Export #{job.number} is {job.get_status_display().lower()}: it can be downloaded "
            "once it is ready.",
        )
    if not job.file.name or not job.file.storage.exists(job.file.name):
        # Checked before the download is counted as data backed up: no file, no backup.
        return Refusal(
            Code.EXPORT_FILE_MISSING,
            f"Export #{job.number}'s file is no longer in storage: ask for a new export.",
        )
    return None


def _downloadable(rows: Rows) -> Refusal | None:
    return download_refusal(rows.subject, rows.now)


def _downloaded_already(rows: Rows) -> Done | None:
    """A download is recorded once per export: downloading it again sends the file, no event."""
    job = rows.subject
    if job.downloaded_at is None or download_refusal(job, rows.now) is not None:
        return None
    return Done(job)


def _expiry_due(rows: Rows) -> Refusal | None:
    job = rows.subject
    if rows.now >= job.expires_at:
        return None
    return Refusal(Code.NOT_DUE, f"Export #{job.number} is valid until {when(job.expires_at)}.")


def silent_since() -> datetime:
    """Real time: an export whose builder (or broker message) gave no sign of life since before
    this lost it. A live builder beats every 1% of the rows and every few seconds."""
    return timezone.now() - setting("EXPORT_RECOVER_AFTER")


def is_silent(job: ExportJob) -> bool:
    """No heartbeat since `silent_since()`: a running export's builder stopped, or a queued
    export was handed to the broker that long ago (or never)."""
    beat = job.heartbeat or (job.started if job.status == RUNNING else None)
    return beat is None or beat < silent_since()


def _seconds(name: str) -> int:
    return int(setting(name).total_seconds())


def _silent(rows: Rows) -> Refusal | None:
    job = rows.subject
    if is_silent(job):
        return None
    doing = "is being built" if job.status == RUNNING else "was handed to the background jobs"
    return Refusal(
        Code.NOT_DUE,
        f"Export #{job.number} {doing} less than {_seconds('EXPORT_RECOVER_AFTER')} seconds ago: "
        "it is not stalled.",
    )


def _resends_left(rows: Rows) -> Refusal | None:
    job, limit = rows.subject, setting("EXPORT_MAX_RESENDS")
    if job.resends < limit:
        return None
    return Refusal(
        Code.EXPORT_RESENDS_USED_UP,
        f"Export #{job.number} was sent again {limit} times already: it is given up on instead.",
    )


def _resends_used_up(rows: Rows) -> Refusal | None:
    job, limit = rows.subject, setting("EXPORT_MAX_RESENDS")
    if job.resends >= limit:
        return None
    return Refusal(
        Code.NOT_DUE,
        f"Export #{job.number} can still be sent again ({job.resends} of {limit} resends used).",
    )


def _is(*states: str, value=None, same: bool = False):
    """A repeat: the export is in one of `states` already; return it (or `value`)."""

    def done(rows: Rows) -> Done | None:
        if rows.subject.status not in states:
            return None
        return Done(rows.subject if same else value)

    return done


def _is_not(*states: str, value=None):
    """Nothing to do: the export left `states` (a duplicate delivery, a takeover)."""

    def done(rows: Rows) -> Done | None:
        return None if rows.subject.status in states else Done(value)

    return done


def _ended(rows: Rows) -> Done | None:
    """Failed, ready or expired already (or taken over from the builder that fails it): return
    the export as it is."""
    job, attempt = rows.subject, rows.inputs.get("attempt")
    if job.status not in IN_FLIGHT or (attempt is not None and attempt != job.attempts):
        return Done(job)
    return None


def _not_this_build(rows: Rows) -> Done | None:
    """The export stopped being this builder's: no longer running, or taken over by a later
    attempt (the builder's own attempt is in the inputs, when it names one)."""
    job, attempt = rows.subject, rows.inputs.get("attempt")
    if job.status != RUNNING or (attempt is not None and attempt != job.attempts):
        return Done(None)
    return None


def _nothing_to_start(rows: Rows) -> Done | None:
    """Ready, failed or expired: a duplicate delivery changes nothing. Running with a live
    builder: a second delivery (a killed pool child's message handed out again) leaves it to
    that builder; one whose builder went silent takes it over."""
    job = rows.subject
    if job.status not in IN_FLIGHT or (job.status == RUNNING and not is_silent(job)):
        return Done(None)
    return None


REQUEST_EXPORT = Transition(
    Action.REQUEST_EXPORT,
    "export",
    (NEW,),
    QUEUED,
    PEOPLE,
    gate=_GATE,
    guards=(none_in_flight, cooldown_over),
    event="export",
)
RETRY_EXPORT = Transition(
    Action.RETRY_EXPORT,
    "export",
    (FAILED,),
    QUEUED,
    PEOPLE,
    gate=_GATE,
    done=_is(*IN_FLIGHT, same=True),  # retried already: the same click twice queues it once
    wrong_state=lambda rows: Refusal(
        Code.EXPORT_NOT_RETRYABLE,
        f"Export #{rows.subject.number} is {rows.subject.get_status_display().lower()}: only a "
        "failed export can be retried.",
    ),
    guards=(no_other_in_flight,),
    event="export",
)
EXPORT_READY = Transition(
    Action.EXPORT_READY,
    "export",
    (RUNNING,),
    READY,
    frozenset({JOB}),
    gate=_GATE,
    done=_not_this_build,  # the caller drops its file
    event="export",
)
EXPORT_FAILED = Transition(
    Action.EXPORT_FAILED,
    "export",
    IN_FLIGHT,
    FAILED,
    frozenset({JOB}),
    gate=_GATE,
    done=_ended,  # failed, ready or expired already: return it as it is
    event="export",
)
# The sweep's moves for an export that stalled: sent again from the start, or given up on.
RESEND_EXPORT = Transition(
    Action.RESEND_EXPORT,
    "export",
    IN_FLIGHT,
    QUEUED,
    frozenset({JOB}),
    gate=_GATE,
    done=_is_not(*IN_FLIGHT),  # finished meanwhile (or failed): nothing to send
    guards=(_silent, _resends_left),
    event="export",
)
GIVE_UP_EXPORT = Transition(
    Action.EXPORT_FAILED,
    "export",
    IN_FLIGHT,
    FAILED,
    frozenset({JOB}),
    gate=_GATE,
    done=_ended,  # failed, ready or expired already: return it as it is
    guards=(_silent, _resends_used_up),
    event="export",
    name="give_up_export",
)
DOWNLOAD_EXPORT = Transition(
    Action.DOWNLOAD_EXPORT,
    "export",
    (READY,),
    READY,
    frozenset({TRAINEE}),
    gate=_GATE,
    done=_downloaded_already,
    wrong_state=lambda rows: download_refusal(rows.subject, rows.now),
    guards=(_downloadable,),
    event="export",
    refusal_once=True,  # a link followed again and again is refused, on the timeline, once
)
EXPIRE_EXPORT = Transition(
    Action.EXPIRE_EXPORT,
    "export",
    (READY,),
    EXPIRED,
    frozenset({JOB}),
    gate=_GATE,
    done=_is(EXPIRED, same=True),
    wrong_state=lambda rows: Refusal(Code.INVALID_STATE, "Only a ready export can expire."),
    guards=(_expiry_due,),
    event="export",
)
# The builder's own moves: no refusal and no event, the row carries them.
START_EXPORT = Transition(
    "start_export",
    "export",
    IN_FLIGHT,
    RUNNING,
    frozenset({JOB}),
    done=_nothing_to_start,
)
REQUEUE_EXPORT = Transition(
    "requeue_export",
    "export",
    (RUNNING,),
    QUEUED,
    frozenset({JOB}),
    done=_is_not(RUNNING, value=False),
)

MACHINES = (EXPORT,)
TRANSITIONS = (
    REQUEST_EXPORT,
    RETRY_EXPORT,
    EXPORT_READY,
    EXPORT_FAILED,
    RESEND_EXPORT,
    GIVE_UP_EXPORT,
    DOWNLOAD_EXPORT,
    EXPIRE_EXPORT,
)
SILENT = (START_EXPORT, REQUEUE_EXPORT)
