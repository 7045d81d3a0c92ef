"""Telling customers about the account's closure (RULEBOOK §5 "Notify customers").

The seller queues the announcement (`queue_customer_notice`); a job sends it (`notify_customers`):
one message per customer with an order in the last 90 sandbox days, copies in the inbox. The
queued event is the job's record: the sweep sends what a lost broker message left unsent.
"""

from collections.abc import Collection
from datetime import timedelta

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils import timezone

from accounts.models import SellerAccount
from editions.registry import rule
from lifecycle.core import (
    THE_EVENT,
    Actor,
    Change,
    FollowUp,
    account_rows,
    apply,
    lifecycle_service,
    lock_account,
)
from lifecycle.jobs import Job
from lifecycle.mail import send_platform_email
from lifecycle.models import TimelineEvent
from lifecycle.transitions import Action, Rows
from lifecycle.transitions.announcement import (
    NONE,
    QUEUE_ANNOUNCEMENT,
    QUEUED,
    SEND_ANNOUNCEMENT,
    SENT,
)
from shops.models import Customer

__all__ = ["NONE", "QUEUED", "SENT"]
ANNOUNCER = Actor.job("notify_customers")


def recent_customers(account: SellerAccount) -> QuerySet[Customer]:
    since = account.sandbox.now() - rule(account.sandbox, "NOTIFY_CUSTOMERS_WINDOW")
    return account.customers.filter(orders__placed_at__gte=since).distinct().order_by("pk")


def _announcements(account: SellerAccount) -> QuerySet[TimelineEvent]:
    return TimelineEvent.objects.filter(
        account=account, action=Action.NOTIFY_CUSTOMERS, after__in=[QUEUED, SENT]
    ).order_by("-id")


def latest_announcement(account: SellerAccount) -> TimelineEvent | None:
    return _announcements(account).first()


def pending_announcement(account: SellerAccount) -> TimelineEvent | None:
    """The latest queued announcement that no job has sent yet."""
    latest = latest_announcement(account)
    return latest if latest is not None and latest.after == QUEUED else None


def announcement_pending(account: SellerAccount) -> Exists:
    """Whether `pending_announcement` finds one, as an expression (for a page's one query)."""
    latest = _announcements(account).values("pk")[:1]
    return Exists(TimelineEvent.objects.filter(pk=Subquery(latest), after=QUEUED))


def stale_announcements(
    *, sandbox_ids: Collection[int], older_than: timedelta
) -> list[TimelineEvent]:
    """Queued announcements a job should have sent by now (the broker lost the message), in
    any of these sandboxes, in one query: each is its account's latest announcement."""
    cutoff = timezone.now() - older_than
    later = TimelineEvent.objects.filter(
        account=OuterRef("account"),
        action=Action.NOTIFY_CUSTOMERS,
        after__in=[QUEUED, SENT],
        pk__gt=OuterRef("pk"),
    )
    return list(
        TimelineEvent.objects.filter(
            sandbox_id__in=sandbox_ids,
            action=Action.NOTIFY_CUSTOMERS,
            after=QUEUED,
            real_time__lt=cutoff,
        )
        .exclude(Exists(later))
        .order_by("pk")
    )


def _rows(account: SellerAccount | int, **inputs) -> Rows:
    account = lock_account(account)
    return account_rows(account, inputs=inputs, memo={"latest": latest_announcement(account)})


def _queue(rows: Rows, target: str) -> Change:
    return Change(
        result=THE_EVENT,
        params={"recipients": recent_customers(rows.seller).count()},
        jobs=(FollowUp(Job.NOTIFY_CUSTOMERS, (rows.seller.pk, THE_EVENT)),),  # THE_EVENT: its id
    )


@lifecycle_service(Action.NOTIFY_CUSTOMERS)
def queue_customer_notice(*, actor: Actor, account: SellerAccount | int) -> TimelineEvent:
    """Queue the announcement; a second click while it is queued changes nothing."""
    return apply(QUEUE_ANNOUNCEMENT, _rows(account), actor=actor, effect=_queue)


def _send(rows: Rows, target: str) -> Change:
    account, announcement = rows.seller, rows.inputs["announcement"]
    sent = 0
    for customer in recent_customers(account).iterator(chunk_size=500):
        _message, new = send_platform_email(
            sandbox=account.sandbox,
            account=account,
            kind="customer_announcement",
            to=customer.email,
            subject=f"A message from {account.display_name}",
            body=(
                f"Dear {customer.name}, {account.display_name} is closing its shop on this "
                "platform. Orders you already received are not affected; for questions about "
                f"them, reply to {account.contact_email or 'the seller'} before the shop closes."
            ),
            dedupe_key=f"announce-{announcement}-customer-{customer.pk}",
        )
        sent += new
    account.customers_notified_at = rows.now
    return Change(
        result=sent,
        fields=("customers_notified_at",),
        before=QUEUED,
        params={"announcement": announcement, "recipients": recent_customers(account).count()},
    )


@lifecycle_service(Action.NOTIFY_CUSTOMERS)
def notify_customers(*, actor: Actor, account: SellerAccount | int, announcement: int) -> int:
    """Send the queued announcement `announcement` (its event id); return how many went now."""
    rows = _rows(account, announcement=announcement)
    rows.memo["sent_already"] = TimelineEvent.objects.filter(
        account=rows.seller,
        action=Action.NOTIFY_CUSTOMERS,
        after=SENT,
        params__announcement=announcement,
    ).exists()  # a duplicate delivery of the job
    return apply(SEND_ANNOUNCEMENT, rows, actor=actor, effect=_send)
