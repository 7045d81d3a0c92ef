"""Run what became due on a sandbox's clock, through the same services as everything else.

Several workers may sweep the same sandbox at once (the periodic sweep on many machines, a clock
advance). Each item is done inside a short transaction that first claims the item's account row
with SELECT ... FOR UPDATE SKIP LOCKED: a worker that finds the row taken skips the item, and the
one holding it re-checks that the item is still due before acting. The services are idempotent
and every email has a dedupe key, so even a late second pass changes nothing twice.

The sweep is set-based: one query per kind of due work finds that work in every sandbox swept
at once, each sandbox's own clock read in SQL (this moment plus its `clock_offset`, what
`Sandbox.now()` is in Python); only the items found cost queries of their own.
"""

import logging
from collections.abc import Callable, Collection, Iterable
from datetime import datetime, timedelta

from django.db import DatabaseError, transaction
from django.db.models import DateTimeField, Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.expressions import CombinedExpression
from django.utils import timezone

from accounts.models import AccountStatus, Sandbox, SellerAccount
from editions.registry import editions
from lifecycle.conf import setting
from lifecycle.core import Actor, lock_sandbox_of
from lifecycle.errors import LifecycleError
from lifecycle.jobs import Job, waiting_in_broker
from lifecycle.models import (
    IN_FLIGHT_EXPORT_STATUSES,
    OPEN_DELETION_STATUSES,
    DeletionRequest,
    DeletionStatus,
    ExportJob,
    ExportStatus,
    TimelineEvent,
)
from lifecycle.transitions import Action

from .announcements import QUEUED, notify_customers, stale_announcements
from .deletion import bulk_data, finalize_deletion, lapse_deletion, purge_deleted_account
from .emails import send_deletion_confirmation, send_deletion_reminder, send_lapse_notice
from .exports import (
    dispatch_export,
    expire_export,
    give_up_export,
    resend_export,
    silent_since,
    stuck_since,
)

SWEEP = Actor.job("sweep")
log = logging.getLogger(__name__)


def claim_account(account_id: int) -> bool:
    """Lock the account row for this transaction unless another worker holds it.

    The sandbox's clock row is locked first, as every service does (so a sweep and an action
    never wait on each other) and so the item is re-checked under the clock it commits under.
    """
    if not lock_sandbox_of(account_id):
        return False
    return bool(
        list(
            SellerAccount.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk=account_id)
            .values_list("pk", flat=True)
        )
    )


def _for_each(
    queryset: QuerySet,
    work: Callable[[int], object],
    label: str,
    done: list[str],
    account_field: str = "account_id",
) -> list[int]:
    """Do `work(pk)` for each item of `queryset`, each claimed and re-checked; return the pks
    of the items done."""
    worked = []
    for pk, account_id in list(queryset.values_list("pk", account_field)):
        with transaction.atomic():
            if not claim_account(account_id) or not queryset.filter(pk=pk).exists():
                continue  # another worker has it, or it is no longer due
            try:
                with transaction.atomic():  # a broken item rolls back alone
                    try:
                        result = work(pk)
                    except LifecycleError:
                        # Refused, and the refusal recorded (kept: caught inside the savepoint):
                        # the item changed in a way the query did not see.
                        continue
            except DatabaseError:
                raise  # transient (the task retries) or the connection is gone
            except Exception as exc:
                # One broken item must not hold back the others; it is tried again next sweep.
                log.exception("sweep: %s %s failed", label, pk)
                _note_failure(queryset.model, pk, exc)
                done.append(f"error, will retry: {label} {pk}")
                continue
            if result is not False and result is not None:
                worked.append(pk)
                done.append(f"{label} {pk}")
    return worked


def _note_failure(model: type, pk: int, exc: Exception) -> None:
    """Keep a deletion's failed job step on its row (attempts, reason) for support to see."""
    if model is SellerAccount:
        rows = DeletionRequest.objects.open().filter(account_id=pk)
    elif model is DeletionRequest:
        rows = DeletionRequest.objects.filter(pk=pk)
    else:
        return  # an export's failures have their own path (status failed, reason, email)
    when = timezone.now().isoformat(timespec="seconds")
    rows.update(
        attempts=F("attempts") + 1, failure_reason=f"{when} {type(exc).__name__}: {exc}"[:1000]
    )


def _sandbox_now(moment: datetime, sandbox: str) -> CombinedExpression:
    """Each row's sandbox time in SQL, `sandbox` being the path to its sandbox: `moment` plus
    that sandbox's clock offset (what Sandbox.now() is), so one query serves every clock."""
    return Value(moment, output_field=DateTimeField()) + F(f"{sandbox}__clock_offset")


def _requests(ids: Collection[int], moment: datetime) -> QuerySet:
    """The deletion requests of these sandboxes, each with its sandbox's time (`sandbox_now`)."""
    return DeletionRequest.objects.filter(account__sandbox_id__in=ids).alias(
        sandbox_now=_sandbox_now(moment, "account__sandbox")
    )


def _ids(sandboxes: Iterable[Sandbox | int]) -> list[int]:
    return sorted({s.pk if isinstance(s, Sandbox) else s for s in sandboxes})


def run_due_work(*, sandbox: Sandbox | int) -> list[str]:
    """The lifecycle transitions due on the sandbox's clock: lapse expired deletion links,
    finalize due deletions (then purge their data in batches). Returns what was done."""
    return _run_due_work(_ids([sandbox]), timezone.now())


def _run_due_work(ids: list[int], moment: datetime) -> list[str]:
    done: list[str] = []
    _for_each(
        _requests(ids, moment).filter(
            status=DeletionStatus.PENDING, link_expires_at__lte=F("sandbox_now")
        ),
        lambda pk: lapse_deletion(actor=SWEEP, request=pk),
        "lapsed deletion request",
        done,
    )
    finalized = _for_each(
        _accounts_due_for_finalization(ids, moment),
        lambda pk: finalize_deletion(actor=SWEEP, account=pk),
        "finalized account",
        done,
        account_field="pk",
    )
    for account_id in finalized:  # after the commit, in short transactions
        purge_deleted_account(account_id)
    return done


def sweep_sandbox(*, sandbox: Sandbox | int) -> list[str]:
    """Everything the periodic sweep does for one sandbox (`sweep_sandboxes` of one)."""
    return sweep_sandboxes(_ids([sandbox]))


def sweep_sandboxes(sandboxes: Iterable[Sandbox | int]) -> list[str]:
    """Everything the periodic sweep does for these sandboxes: the due transitions, then the
    emails they owe, export expiry, stuck and lost jobs; each kind found in one query across
    them all. Returns what was done."""
    ids = _ids(sandboxes)
    if not ids:
        return []
    moment = timezone.now()
    done = _run_due_work(ids, moment)
    requests = _requests(ids, moment)
    _for_each(
        requests.filter(status=DeletionStatus.LAPSED, lapse_notice_sent_at__isnull=True),
        lambda pk: send_lapse_notice(actor=SWEEP, request=pk),
        "sent the lapse notice of request",
        done,
    )
    _for_each(
        requests.filter(
            status=DeletionStatus.PENDING,
            confirmation_sent_at__isnull=True,
            link_expires_at__gt=F("sandbox_now"),
        ),
        lambda pk: send_deletion_confirmation(actor=SWEEP, request=pk),
        "sent the confirmation email of request",
        done,
    )
    # The earliest reminder of any edition: each request's own edition decides which is due.
    first_reminder = max(
        (r for e in editions().values() for r in e.number("DELETION_REMINDERS")),
        default=timedelta(0),
    )
    _for_each(
        requests.filter(
            status=DeletionStatus.SCHEDULED,
            scheduled_for__gt=F("sandbox_now"),
            scheduled_for__lte=F("sandbox_now") + Value(first_reminder),
        ),
        lambda pk: send_deletion_reminder(actor=SWEEP, request=pk),
        "sent a reminder for request",
        done,
    )
    # Finishes a purge that a crash (or a concurrent sweep's claim) left unfinished.
    for account_id in (
        _deleted_with_leftovers().filter(sandbox_id__in=ids).values_list("pk", flat=True)
    ):
        if purge_deleted_account(account_id):
            done.append(f"purged the data of account {account_id}")
    exports = ExportJob.objects.filter(account__sandbox_id__in=ids)
    _for_each(
        exports.alias(sandbox_now=_sandbox_now(moment, "account__sandbox")).filter(
            status=ExportStatus.READY, expires_at__lte=F("sandbox_now")
        ),
        lambda pk: expire_export(actor=SWEEP, export=pk),
        "expired export",
        done,
    )
    _recover_exports(exports, done)
    for event in stale_announcements(sandbox_ids=ids, older_than=setting("EXPORT_STUCK_AFTER")):
        if event.account_id is None:  # an announcement is always an account's
            continue
        try:
            notify_customers(actor=SWEEP, account=event.account_id, announcement=event.pk)
            done.append(f"sent announcement {event.pk}")
        except LifecycleError:
            pass
    return done


def _accounts_due_for_finalization(ids: Collection[int], moment: datetime) -> QuerySet:
    due = _requests(ids, moment).filter(
        account=OuterRef("pk"),
        status=DeletionStatus.SCHEDULED,
        scheduled_for__lte=F("sandbox_now"),
    )
    return SellerAccount.objects.filter(
        sandbox_id__in=ids, status=AccountStatus.DELETION_SCHEDULED
    ).filter(Exists(due))


def _deleted_with_leftovers() -> QuerySet:
    """Deleted accounts that still have commerce rows (a purge is running or was cut short)."""
    leftovers = Q()
    for _label, queryset in bulk_data(0):
        leftovers |= Q(Exists(queryset.model.objects.filter(account=OuterRef("pk"))))
    return SellerAccount.objects.filter(status=AccountStatus.DELETED).filter(leftovers)


def _recover_exports(exports: QuerySet, done: list[str]) -> None:
    """Exports whose build went silent (its worker died) or whose message was lost (the broker
    restarted empty) are sent again, EXPORT_MAX_RESENDS times at most; then given up on (failed,
    with Retry). One never handed to the broker (it was down) is sent for the first time."""
    since = silent_since()
    dead = exports.filter(status=ExportStatus.RUNNING).filter(
        Q(heartbeat__lt=since) | Q(heartbeat__isnull=True, started__lt=since)
    )
    stalled = dead | _lost_messages(exports.filter(status=ExportStatus.QUEUED), since)
    limit = setting("EXPORT_MAX_RESENDS")
    _for_each(
        stalled.filter(resends__gte=limit),
        lambda pk: give_up_export(actor=SWEEP, export=pk),
        "gave up on export",
        done,
    )
    _for_each(
        stalled.filter(resends__lt=limit),
        lambda pk: resend_export(actor=SWEEP, export=pk),
        "queued again export",
        done,
    )
    _for_each(
        exports.filter(status=ExportStatus.QUEUED, heartbeat__isnull=True),
        _first_send,
        "queued again export",
        done,
    )


def _lost_messages(queued: QuerySet, since) -> QuerySet:
    """Queued exports handed to the broker before `since` whose message is not waiting in its
    queue (one waiting behind other jobs is in line, not lost). When the broker cannot be looked
    into, one handed over longer ago than EXPORT_STUCK_AFTER counts as lost."""
    handed_over = list(queued.filter(heartbeat__lt=since).values_list("pk", flat=True))
    if not handed_over:
        return queued.none()  # nothing to look for: the broker is not asked
    waiting = waiting_in_broker(Job.BUILD_EXPORT)
    if waiting is None:
        return queued.filter(heartbeat__lt=min(since, stuck_since()))
    return queued.filter(pk__in=[pk for pk in handed_over if repr((pk,)) not in waiting])


def _first_send(pk: int) -> bool:
    """Send a queued export the broker never took (it was down when the export was asked for);
    its state does not change, so this is no transition and counts as no resend."""
    ExportJob.objects.filter(pk=pk).update(heartbeat=timezone.now())
    dispatch_export(pk)
    return True


def sandboxes_with_due_work() -> list[int]:
    """Sandboxes that may have something due: the sweep looks only at these."""
    ids: set[int] = set()
    ids.update(
        DeletionRequest.objects.filter(
            Q(status__in=OPEN_DELETION_STATUSES)
            | Q(status=DeletionStatus.LAPSED, lapse_notice_sent_at__isnull=True)
        ).values_list("account__sandbox_id", flat=True)
    )
    ids.update(
        ExportJob.objects.filter(
            status__in=[*IN_FLIGHT_EXPORT_STATUSES, ExportStatus.READY]
        ).values_list("account__sandbox_id", flat=True)
    )
    recent = timezone.now() - timedelta(days=7)
    ids.update(
        TimelineEvent.objects.filter(
            action=Action.NOTIFY_CUSTOMERS, after=QUEUED, real_time__gte=recent
        ).values_list("sandbox_id", flat=True)
    )
    ids.update(_deleted_with_leftovers().values_list("sandbox_id", flat=True))
    return sorted(ids)
