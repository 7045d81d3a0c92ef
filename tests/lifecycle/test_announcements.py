"""Notify customers (RULEBOOK §5): one message per customer with an order in the last 90 days."""

from datetime import timedelta

import pytest

from accounts.models import AccountStatus, SellerAccount
from lifecycle.errors import Code, LifecycleError
from lifecycle.models import InboxMessage, TimelineEvent
from lifecycle.services import (
    Actor,
    deletion_checklist,
    notify_customers,
    queue_customer_notice,
    sandboxes_with_due_work,
    sweep_sandbox,
)
from lifecycle.transitions import Action
from shops.models import Customer, Order, OrderStatus
from tests.engine_guard import arranging
from tests.rulebook import rule

from .jobs_helpers import SWEEP, small_account

pytestmark = pytest.mark.usefixtures("own_media")  # files of this test only


@pytest.fixture
def account(trainee) -> SellerAccount:
    """The small demo account, plus one customer whose only order is older than the window:
    the generated data alone depends on the sandbox's seed and may put every order inside it."""
    account = small_account(trainee)
    since = account.sandbox.now() - rule("NOTIFY_CUSTOMERS_WINDOW")
    old = Customer.objects.create(
        account=account, name="Former buyer", email="former@example.test", created_at=since
    )
    model = account.orders.first()
    with arranging():  # set-up: an order placed before the window, as history would have it
        Order.objects.create(
            account=account,
            shop=model.shop,
            customer=old,
            number=account.orders.count() + 10_000,
            status=OrderStatus.DELIVERED,
            placed_at=since - timedelta(days=1),
            shipping_address=model.shipping_address,
            tracking_number="LS000000000GB",
            shipped_at=since - timedelta(days=1),
            delivered_at=since,
        )
    return account


def expected_recipients(account) -> set[str]:
    since = account.sandbox.now() - rule("NOTIFY_CUSTOMERS_WINDOW")
    return set(
        Customer.objects.filter(account=account, orders__placed_at__gte=since).values_list(
            "email", flat=True
        )
    )


def announcements(account) -> list[InboxMessage]:
    return list(InboxMessage.objects.filter(account=account, kind="customer_announcement"))


def test_queue_then_send_one_message_per_recent_customer(
    account, as_trainee, queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        event = queue_customer_notice(actor=as_trainee, account=account)
    assert queue.sent == [("notify_customers_task", (account.pk, event.pk))]
    assert queue_customer_notice(actor=as_trainee, account=account) == event  # double click
    recipients = expected_recipients(account)
    assert 0 < len(recipients) < account.customers.count()  # the window leaves some out

    sent = notify_customers(actor=SWEEP, account=account, announcement=event.pk)
    assert sent == len(recipients)
    assert {m.to for m in announcements(account)} == recipients
    account.refresh_from_db()
    assert account.customers_notified_at is not None
    assert deletion_checklist(account)["customers_notified"] is True
    # The job delivered twice sends nothing twice.
    assert notify_customers(actor=SWEEP, account=account, announcement=event.pk) == 0
    assert len(announcements(account)) == len(recipients)
    done = TimelineEvent.objects.filter(action=Action.NOTIFY_CUSTOMERS).order_by("id")
    assert [(e.actor_kind, e.after) for e in done] == [
        ("trainee", "announcement queued"),
        ("job", "announcement sent"),
    ]
    # Once sent, a new click queues a new announcement.
    assert queue_customer_notice(actor=as_trainee, account=account).pk != event.pk
    # The announcement is a machine of its own: its events chain, the account's status is untouched.
    chain = TimelineEvent.objects.filter(action=Action.NOTIFY_CUSTOMERS).order_by("id")
    assert [(e.subject_type, e.before, e.after) for e in chain] == [
        ("announcement", "no announcement", "announcement queued"),
        ("announcement", "announcement queued", "announcement sent"),
        ("announcement", "announcement sent", "announcement queued"),
    ]
    assert not TimelineEvent.objects.filter(subject_type="account", after__startswith="announ")


def test_refused_for_a_deleted_account_and_another_trainee(account, other_trainee):
    with pytest.raises(LifecycleError) as err:
        queue_customer_notice(actor=Actor.trainee(other_trainee), account=account)
    assert err.value.code == Code.NOT_YOUR_SANDBOX
    with arranging():  # set-up: a state the services reach only slowly
        SellerAccount.objects.filter(pk=account.pk).update(status=AccountStatus.DELETED)
    with pytest.raises(LifecycleError) as err:
        queue_customer_notice(actor=Actor.trainee(account.sandbox.owner), account=account)
    assert err.value.code == Code.ACCOUNT_DELETED
    refusals = TimelineEvent.objects.filter(action=Action.NOTIFY_CUSTOMERS, outcome="refused")
    assert refusals.count() == 2
    assert announcements(account) == []


def test_the_sweep_sends_an_announcement_the_broker_lost(account, as_trainee, settings):
    event = queue_customer_notice(actor=as_trainee, account=account)
    assert account.sandbox_id in sandboxes_with_due_work()
    assert sweep_sandbox(sandbox=account.sandbox) == []  # the job gets its time first
    settings.SIMULATOR = {**settings.SIMULATOR, "EXPORT_STUCK_AFTER": timedelta(0)}
    assert sweep_sandbox(sandbox=account.sandbox) == [f"sent announcement {event.pk}"]
    assert len(announcements(account)) == len(expected_recipients(account))
    assert sweep_sandbox(sandbox=account.sandbox) == []
