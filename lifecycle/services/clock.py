"""The sandbox's simulated clock (RULEBOOK §7): it moves forward only."""

import functools
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import CharField, Value

from accounts.models import Sandbox
from accounts.transitions.sandbox import ADVANCE_CLOCK
from editions.registry import rule
from lifecycle.core import Actor, Change, FollowUp, apply, lifecycle_service, lock_sandbox
from lifecycle.datetimes import duration
from lifecycle.jobs import Job
from lifecycle.models import DeletionRequest, DeletionStatus, ExportJob, ExportStatus
from lifecycle.transitions import Action, Rows

MICROSECOND = timedelta(microseconds=1)


def clock_reading(offset: timedelta) -> str:
    """The clock reading a move is made from, as a form sends it: the offset in microseconds.

    The offset only grows, so each reading names one moment of the clock's history exactly."""
    return str(offset // MICROSECOND)


def parse_reading(text: str | None) -> timedelta | None:
    """The offset a form's reading names; None when it names none."""
    text = (text or "").strip()
    if not text.isdigit() or len(text) > 18:  # 18 digits: over 30,000 years, below overflow
        return None
    return int(text) * MICROSECOND


@dataclass(frozen=True)
class Schedule:
    """What is due later on a sandbox's clock, and its accounts' open deletion requests."""

    events: list[tuple[datetime, str]]
    open_requests: dict[int, DeletionRequest]  # by account id


# The columns both halves of the schedule's one query share.
_REQUEST_FIELDS = ("id", "account_id", "status", "link_expires_at", "scheduled_for")


def schedule(sandbox: Sandbox) -> Schedule:
    """The sandbox's schedule in one query (every page's layout reads it).

    The open deletion requests and the ready exports that expire are read as one UNION ALL of
    the same five columns; the requests come back as DeletionRequest rows holding those fields
    (any other field loads on access)."""
    kind = functools.partial(Value, output_field=CharField())
    requests = (
        DeletionRequest.objects.open()
        .filter(account__sandbox=sandbox)
        .order_by()
        .values_list(kind("request"), *_REQUEST_FIELDS)
    )
    exports = (
        ExportJob.objects.filter(
            account__sandbox=sandbox, status=ExportStatus.READY, expires_at__isnull=False
        )
        .order_by()
        # the export's number in its sandbox, as its pages and emails name it
        .values_list(kind("export"), "number", "account_id", "status", "expires_at", "expires_at")
    )
    now = sandbox.now()
    events: list[tuple[datetime, str]] = []
    open_requests: dict[int, DeletionRequest] = {}
    for what, *row in requests.union(exports, all=True):
        if what == "export":
            events.append((row[3], f"export #{row[0]} expires"))
            continue
        request = DeletionRequest.from_db("default", _REQUEST_FIELDS, row)
        open_requests.setdefault(request.account_id, request)
        if request.status == DeletionStatus.PENDING:
            if request.link_expires_at is not None:  # a pending request's link always has one
                events.append((request.link_expires_at, "the deletion link expires"))
            continue
        scheduled_for = request.scheduled_for
        if scheduled_for is None:  # set when the request is confirmed
            continue
        events.append((scheduled_for, "the account is deleted for good"))
        for before in rule(sandbox, "DELETION_REMINDERS"):
            reminder = f"a reminder {duration(before)} before deletion"
            events.append((scheduled_for - before, reminder))
    return Schedule(sorted(e for e in events if e[0] > now), open_requests)


def scheduled_events(sandbox: Sandbox) -> list[tuple[datetime, str]]:
    """What is due later on this sandbox's clock, soonest first."""
    return schedule(sandbox).events


def sandbox_rows(sandbox: Sandbox, **inputs) -> Rows:
    return Rows(sandbox=sandbox, account=None, subject=sandbox, inputs=inputs)


def _move(rows: Rows, target: str) -> Change:
    sandbox, by = rows.sandbox, rows.inputs["by"]
    before_time = sandbox.now()
    sandbox.clock_offset += by
    sandbox.save(update_fields=["clock_offset"])
    return Change(
        result=sandbox,
        params={
            "by_seconds": int(by.total_seconds()),
            "from": before_time.isoformat(timespec="seconds"),
            "to": sandbox.now().isoformat(timespec="seconds"),
        },
        # What became due runs at once, through the same job as the periodic sweep.
        jobs=(FollowUp(Job.SWEEP_SANDBOX, (sandbox.pk,)),),
    )


@lifecycle_service(Action.ADVANCE_CLOCK)
def advance_clock(
    *,
    actor: Actor,
    sandbox: Sandbox | int,
    by: timedelta | None = None,
    to_next: bool = False,
    reading: timedelta | None = None,
) -> Sandbox:
    """Move the sandbox clock forward by `by`, or to just after the next scheduled event.

    `reading` is the offset the clock had where the move was asked for (the page's buttons send
    it): when the clock has moved since, this move was made already (a double click, a second
    tab) and is refused, so it counts once (RULEBOOK §9).
    """
    sandbox = lock_sandbox(sandbox)
    if to_next:
        upcoming = scheduled_events(sandbox)
        by = upcoming[0][0] - sandbox.now() + timedelta(seconds=1) if upcoming else None
    rows = sandbox_rows(sandbox, by=by, to_next=to_next, reading=reading)
    return apply(ADVANCE_CLOCK, rows, actor=actor, effect=_move)
