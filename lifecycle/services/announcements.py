"""Telling customers about the account's closure (RULEBOOK §5 "Notify customers").

The seller queues the announcement (`queue_customer_notice`); a job sends it (`notify_customers`):
one message per customer with an order in the last 90 sandbox days, copies in the inbox. The
queued event is the job's record: the sweep sends what a lost broker message left unsent.
"""

from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import SellerAccount
from lifecycle.conf import setting
from lifecycle.core import Actor, check_actor, lifecycle_service, lock_account, record, refuse
from lifecycle.errors import Code
from lifecycle.jobs import Job, enqueue
from lifecycle.mail import send_platform_email
from lifecycle.models import TimelineEvent
from lifecycle.transitions import Action, transition_for
from shops.models import Customer

QUEUED, SENT, NONE = "announcement queued", "announcement sent", "no announcement"
# The announcement is a small machine of its own on the timeline (none -> queued -> sent), so
# its events chain among themselves and never break the account status's chain.
MACHINE = "announcement"
ANNOUNCER = Actor.job("notify_customers")


def recent_customers(account: SellerAccount) -> QuerySet[Customer]:
    since = account.sandbox.now() - setting("NOTIFY_CUSTOMERS_WINDOW")
    return account.customers.filter(orders__placed_at__gte=since).distinct().order_by("pk")


def latest_announcement(account: SellerAccount) -> TimelineEvent | None:
    return (
        TimelineEvent.objects.filter(
            account=account, action=Action.NOTIFY_CUSTOMERS, after__in=[QUEUED, SENT]
        )
        .order_by("-id")
        .first()
    )


def pending_announcement(account: SellerAccount) -> TimelineEvent | None:
    """The latest queued announcement that no job has sent yet."""
    latest = latest_announcement(account)
    return latest if latest is not None and latest.after == QUEUED else None


def stale_announcements(*, sandbox_id: int, older_than: timedelta) -> list[TimelineEvent]:
    """Queued announcements a job should have sent by now (the broker lost the message)."""
    cutoff = timezone.now() - older_than
    candidates = TimelineEvent.objects.filter(
        sandbox_id=sandbox_id,
        action=Action.NOTIFY_CUSTOMERS,
        after=QUEUED,
        real_time__lt=cutoff,
    ).select_related("account")
    return [e for e in candidates if pending_announcement(e.account) == e]


def _guard(actor: Actor, account: SellerAccount, context: dict) -> None:
    check_actor(actor, transition_for(Action.NOTIFY_CUSTOMERS), account)
    if account.is_deleted:
        refuse(Code.ACCOUNT_DELETED, "This account was deleted; it has no customers.", **context)


@lifecycle_service(Action.NOTIFY_CUSTOMERS)
def queue_customer_notice(*, actor: Actor, account: SellerAccount | int) -> TimelineEvent:
    """Queue the announcement; a second click while it is queued changes nothing."""
    account = lock_account(account)
    latest = latest_announcement(account)
    state = latest.after if latest is not None else NONE
    context = {"account": account, "machine": MACHINE, "state": state}
    _guard(actor, account, context)
    if state == QUEUED:
        return latest
    event = record(
        actor=actor,
        action=Action.NOTIFY_CUSTOMERS,
        subject=account,
        machine=MACHINE,
        before=state,
        after=QUEUED,
        account=account,
        params={"recipients": recent_customers(account).count()},
    )
    event.dispatch = enqueue(Job.NOTIFY_CUSTOMERS, account.pk, event.pk)
    return event


@lifecycle_service(Action.NOTIFY_CUSTOMERS)
def notify_customers(*, actor: Actor, account: SellerAccount | int, announcement: int) -> int:
    """Send the queued announcement `announcement` (its event id); return how many went now."""
    account = lock_account(account)
    latest = latest_announcement(account)
    state = latest.after if latest is not None else NONE
    context = {"account": account, "machine": MACHINE, "state": state}
    _guard(actor, account, context)
    done = TimelineEvent.objects.filter(
        account=account,
        action=Action.NOTIFY_CUSTOMERS,
        after=SENT,
        params__announcement=announcement,
    ).exists()
    if done:
        return 0  # a duplicate delivery of the job
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
    recipients = recent_customers(account).count()
    account.customers_notified_at = account.sandbox.now()
    account.save(update_fields=["customers_notified_at"])
    record(
        actor=actor,
        action=Action.NOTIFY_CUSTOMERS,
        subject=account,
        machine=MACHINE,
        before=QUEUED,
        after=SENT,
        account=account,
        params={"announcement": announcement, "recipients": recipients},
    )
    return sent
