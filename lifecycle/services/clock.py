"""The sandbox's simulated clock (RULEBOOK §7): it moves forward only."""

from datetime import datetime, timedelta

from accounts.models import Sandbox
from lifecycle.errors import Code
from lifecycle.jobs import enqueue
from lifecycle.models import DeletionRequest, DeletionStatus, ExportJob, ExportStatus
from lifecycle.transitions import Action

from ._core import Actor, check_person, lifecycle_service, lock_sandbox, record, refuse
from .links import when

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


def scheduled_events(sandbox: Sandbox) -> list[tuple[datetime, str]]:
    """What is due later on this sandbox's clock, soonest first."""
    from lifecycle.conf import setting

    now = sandbox.now()
    events: list[tuple[datetime, str]] = []
    requests = DeletionRequest.objects.filter(
        account__sandbox=sandbox, status__in=[DeletionStatus.PENDING, DeletionStatus.SCHEDULED]
    )
    for request in requests:
        if request.status == DeletionStatus.PENDING:
            events.append((request.link_expires_at, "the deletion link expires"))
            continue
        events.append((request.scheduled_for, "the account is deleted for good"))
        for before in setting("DELETION_REMINDERS"):
            events.append(
                (request.scheduled_for - before, f"a reminder {before.days} day(s) before deletion")
            )
    for export in ExportJob.objects.filter(
        account__sandbox=sandbox, status=ExportStatus.READY, expires_at__isnull=False
    ):
        events.append((export.expires_at, f"export #{export.pk} expires"))
    return sorted(e for e in events if e[0] > now)


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
    context = {"sandbox": sandbox, "subject": sandbox, "state": str(sandbox.clock_offset)}
    check_person(actor, sandbox, **context)
    if reading is not None and reading != sandbox.clock_offset:
        refuse(
            Code.CLOCK_MOVED_ALREADY,
            f"The clock was moved from that time already: it now reads {when(sandbox.now())}. "
            "Move it again from there if you want it later still.",
            **context,
        )
    if to_next:
        upcoming = scheduled_events(sandbox)
        if not upcoming:
            refuse(Code.NOTHING_SCHEDULED, "Nothing is scheduled in this sandbox.", **context)
        by = upcoming[0][0] - sandbox.now() + timedelta(seconds=1)
    if by is None or by <= timedelta(0):
        refuse(Code.CLOCK_BACKWARDS, "The clock only moves forward: pick a later time.", **context)
    # The event's states are the offsets, so consecutive clock events chain exactly.
    before_offset, before_time = sandbox.clock_offset, sandbox.now()
    sandbox.clock_offset += by
    sandbox.save(update_fields=["clock_offset"])
    record(
        actor=actor,
        action=Action.ADVANCE_CLOCK,
        subject=sandbox,
        sandbox=sandbox,
        before=str(before_offset),
        after=str(sandbox.clock_offset),
        params={
            "by_seconds": int(by.total_seconds()),
            "from": before_time.isoformat(timespec="seconds"),
            "to": sandbox.now().isoformat(timespec="seconds"),
        },
    )
    # What became due runs at once, through the same job as the periodic sweep.
    enqueue("sweep_sandbox_task", sandbox.pk)
    return sandbox
