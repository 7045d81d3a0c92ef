"""The sweep and the emails a deletion owes: confirmation, reminders, lapse notice, purge."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve

from accounts.models import AccountStatus, Sandbox, SellerAccount
from lifecycle.models import DeletionStatus, ExportJob, ExportStatus, InboxMessage, TimelineEvent
from lifecycle.services import (
    advance_clock,
    cancel_deletion,
    confirm_deletion,
    deletion_token,
    finalize_deletion,
    purge_deleted_account,
    request_deletion,
    request_for_token,
    run_due_work,
    sandboxes_with_due_work,
    send_deletion_confirmation,
    send_deletion_reminder,
    send_lapse_notice,
    sweep_sandbox,
    sweep_sandboxes,
)
from lifecycle.transitions import Action
from shops.models import Customer, Order, OrderLine, OrderStatus, Product
from tests.engine_guard import arranging
from tests.rulebook import each_in_days, rule

from .jobs_helpers import PASSWORD, SWEEP, actions, small_account

pytestmark = pytest.mark.usefixtures("own_media")  # files of this test only


@pytest.fixture
def account(trainee):
    account = small_account(trainee)
    # The demo has orders to ship and a running campaign: clear the way for a deletion.
    with arranging():
        Order.objects.filter(account=account, status=OrderStatus.AWAITING_SHIPMENT).update(
            status=OrderStatus.CANCELLED
        )
    return account


def request(account, actor):
    return request_deletion(actor=actor, account=account, password=PASSWORD, acknowledged=True)


def inbox(account, kind: str) -> list[InboxMessage]:
    return list(InboxMessage.objects.filter(account=account, kind=kind).order_by("id"))


def advance(account, actor, by: timedelta) -> None:
    advance_clock(actor=actor, sandbox=account.sandbox, by=by)


def test_request_deletion_owes_the_confirmation_email_with_its_link(
    account, as_trainee, queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        deletion = request(account, as_trainee)
    assert queue.sent == [("send_deletion_confirmation_task", (deletion.pk,))]
    assert send_deletion_confirmation(actor=SWEEP, request=deletion.pk) is True
    [mail] = inbox(account, "deletion_confirmation")
    [link] = mail.links
    match = resolve(link["url"])  # the token is signed with a timestamp: compare what it names
    assert (link["label"], match.url_name) == ("Confirm the deletion", "confirm_deletion")
    assert match.kwargs["sandbox_id"] == account.sandbox_id
    assert request_for_token(match.kwargs["token"]) == deletion
    assert mail.to == account.contact_email
    deletion.refresh_from_db()
    assert deletion.confirmation_sent_at is not None
    # The same task delivered again sends nothing.
    assert send_deletion_confirmation(actor=SWEEP, request=deletion.pk) is False
    assert len(inbox(account, "deletion_confirmation")) == 1
    assert actions(account.sandbox)[-2:] == [Action.REQUEST_DELETION, Action.SEND_EMAIL]


def test_the_sweep_sends_a_confirmation_the_broker_lost(account, as_trainee):
    deletion = request(account, as_trainee)
    assert sweep_sandbox(sandbox=account.sandbox) == [
        f"sent the confirmation email of request {deletion.pk}"
    ]
    assert sweep_sandbox(sandbox=account.sandbox) == []
    assert len(inbox(account, "deletion_confirmation")) == 1


def test_no_confirmation_email_for_a_cancelled_request(account, as_trainee):
    deletion = request(account, as_trainee)
    cancel_deletion(actor=as_trainee, account=account)
    assert send_deletion_confirmation(actor=SWEEP, request=deletion.pk) is False
    assert inbox(account, "deletion_confirmation") == []


def test_an_unconfirmed_request_lapses_with_a_notice(account, as_trainee):
    deletion = request(account, as_trainee)
    send_deletion_confirmation(actor=SWEEP, request=deletion.pk)
    assert send_lapse_notice(actor=SWEEP, request=deletion.pk) is False  # not lapsed yet
    advance(account, as_trainee, rule("DELETION_LINK_VALID_FOR") + timedelta(minutes=1))
    assert sweep_sandbox(sandbox=account.sandbox) == [
        f"lapsed deletion request {deletion.pk}",
        f"sent the lapse notice of request {deletion.pk}",
    ]
    account.refresh_from_db()
    assert account.status == AccountStatus.ACTIVE
    assert len(inbox(account, "deletion_lapsed")) == 1
    assert sweep_sandbox(sandbox=account.sandbox) == []
    assert len(inbox(account, "deletion_lapsed")) == 1


def confirmed(account, actor):
    deletion = request(account, actor)
    confirm_deletion(actor=actor, token=deletion_token(deletion))
    deletion.refresh_from_db()
    return deletion


def test_reminders_seven_days_and_one_day_before(account, as_trainee):
    deletion = confirmed(account, as_trainee)
    assert send_deletion_reminder(actor=SWEEP, request=deletion.pk) is False  # 30 days left
    advance(account, as_trainee, timedelta(days=23, minutes=1))
    assert sweep_sandbox(sandbox=account.sandbox) == [f"sent a reminder for request {deletion.pk}"]
    assert sweep_sandbox(sandbox=account.sandbox) == []
    advance(account, as_trainee, timedelta(days=6))
    assert sweep_sandbox(sandbox=account.sandbox) == [f"sent a reminder for request {deletion.pk}"]
    subjects = [m.subject for m in inbox(account, "deletion_reminder")]
    assert subjects == [
        f"Your seller account will be deleted in {left}"
        for left in each_in_days("DELETION_REMINDERS")
    ]
    deletion.refresh_from_db()
    assert deletion.reminders_sent == sorted(
        int(b.total_seconds()) for b in rule("DELETION_REMINDERS")
    )


def test_a_clock_jump_sends_only_the_most_imminent_reminder(account, as_trainee):
    deletion = confirmed(account, as_trainee)
    advance(account, as_trainee, timedelta(days=29, hours=12))
    sweep_sandbox(sandbox=account.sandbox)
    assert len(inbox(account, "deletion_reminder")) == 1
    deletion.refresh_from_db()
    assert len(deletion.reminders_sent) == 2
    assert send_deletion_reminder(actor=SWEEP, request=deletion.pk) is False


def test_finalization_purges_a_large_account_in_batches(account, as_trainee, trainee, settings):
    settings.SIMULATOR = {**settings.SIMULATOR, "PURGE_BATCH_SIZE": 4}
    bystander = small_account(trainee, name="Bystander")
    deletion = confirmed(account, as_trainee)
    orders = account.orders.count()
    advance(account, as_trainee, rule("DELETION_GRACE") + timedelta(minutes=1))
    done = sweep_sandbox(sandbox=account.sandbox)
    assert done == [f"finalized account {account.pk}"]
    account.refresh_from_db()
    assert account.status == AccountStatus.DELETED
    for model in (Order, Customer, Product):
        assert not model.objects.filter(account=account).exists()
    assert not OrderLine.objects.filter(order__account=account).exists()
    assert Order.objects.filter(account=bystander).exists()
    event = TimelineEvent.objects.get(action=Action.FINALIZE_DELETION)
    assert event.params["removed"]["orders"] == orders
    deletion.refresh_from_db()
    assert deletion.status == DeletionStatus.FINALIZED
    assert sweep_sandbox(sandbox=account.sandbox) == []


def test_the_sweep_finishes_a_purge_a_crash_cut_short(account, as_trainee):
    confirmed(account, as_trainee)
    advance(account, as_trainee, rule("DELETION_GRACE") + timedelta(minutes=1))
    finalize_deletion(actor=SWEEP, account=account)  # then the worker died
    assert account.orders.exists()
    assert account.sandbox_id in sandboxes_with_due_work()
    assert sweep_sandbox(sandbox=account.sandbox) == [f"purged the data of account {account.pk}"]
    assert not account.orders.exists() and not account.customers.exists()
    assert purge_deleted_account(account.pk) == 0


def test_only_a_deleted_account_is_purged(account):
    assert purge_deleted_account(account.pk) == 0
    assert account.orders.exists()


def test_run_due_work_does_the_transitions_only(account, as_trainee):
    deletion = request(account, as_trainee)
    advance(account, as_trainee, rule("DELETION_LINK_VALID_FOR") + timedelta(minutes=1))
    assert run_due_work(sandbox=account.sandbox) == [f"lapsed deletion request {deletion.pk}"]
    assert inbox(account, "deletion_lapsed") == []  # the notice is the sweep's
    assert account.sandbox_id in sandboxes_with_due_work()


def test_nothing_due_nothing_listed(account):
    assert account.sandbox_id not in sandboxes_with_due_work()
    assert sweep_sandbox(sandbox=account.sandbox) == []


def test_moving_the_clock_sweeps_the_sandbox_at_once(
    account, as_trainee, queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        advance(account, as_trainee, timedelta(hours=1))
    assert queue.sent == [("sweep_sandbox_task", (account.sandbox_id,))]


def test_one_broken_item_does_not_hold_back_the_others(account, as_trainee, monkeypatch):
    from lifecycle.services import due

    other = SellerAccount.objects.create(sandbox=account.sandbox, display_name="Second")
    first, second = request(account, as_trainee), request(other, as_trainee)

    def buggy(*, actor, request):
        if request == first.pk:
            raise ValueError("a bug")
        return send_deletion_confirmation(actor=actor, request=request)

    monkeypatch.setattr(due, "send_deletion_confirmation", buggy)
    assert sorted(sweep_sandbox(sandbox=account.sandbox)) == [
        f"error, will retry: sent the confirmation email of request {first.pk}",
        f"sent the confirmation email of request {second.pk}",
    ]
    first.refresh_from_db()
    assert first.attempts == 1 and "ValueError: a bug" in first.failure_reason  # for support
    monkeypatch.undo()
    assert sweep_sandbox(sandbox=account.sandbox) == [
        f"sent the confirmation email of request {first.pk}"
    ]


def test_a_refusal_met_by_the_sweep_stays_on_the_timeline(account, as_trainee, monkeypatch):
    from lifecycle.services import due

    deletion = request(account, as_trainee)

    def refused(*, actor, request):  # a step that the rules refuse to a job
        return cancel_deletion(actor=actor, account=account)

    monkeypatch.setattr(due, "send_deletion_confirmation", refused)
    assert sweep_sandbox(sandbox=account.sandbox) == []
    refusal = TimelineEvent.objects.filter(outcome="refused").get()
    assert (refusal.action, refusal.actor_kind) == (Action.CANCEL_DELETION, "job")
    deletion.refresh_from_db()
    assert deletion.status == DeletionStatus.PENDING


# --- One query per kind of due work, however many sandboxes are swept (issue 22 item 4) -------


def bare_accounts(trainee, count: int, prefix: str) -> list[SellerAccount]:
    """`count` sandboxes of the trainee's, each with a seller account and nothing else."""
    with arranging():
        return [
            SellerAccount.objects.create(
                sandbox=Sandbox.objects.create(owner=trainee, name=f"{prefix} {n}"),
                display_name=f"{prefix} seller {n}",
            )
            for n in range(count)
        ]


def ready_export(account: SellerAccount, *, expires_in: timedelta) -> ExportJob:
    """A ready export whose link expires `expires_in` from now on the account's clock (a
    negative one has expired)."""
    now = account.sandbox.now()
    with arranging():
        return ExportJob.objects.create(
            account=account,
            status=ExportStatus.READY,
            progress=100,
            requested_at=now - timedelta(days=8),
            ready_at=now - timedelta(days=8),
            expires_at=now + expires_in,
        )


def test_sweeping_sandboxes_with_nothing_due_costs_the_same_at_2_and_20(trainee):
    """Before: 27 queries per sandbox swept, whether or not anything was due in it."""
    small = [a.sandbox_id for a in bare_accounts(trainee, 2, "Small")]
    large = [a.sandbox_id for a in bare_accounts(trainee, 20, "Large")]
    with CaptureQueriesContext(connection) as two:
        assert sweep_sandboxes(small) == []
    with CaptureQueriesContext(connection) as twenty:
        assert sweep_sandboxes(large) == []
    assert len(two) == len(twenty) <= 12  # one per kind of due work


def test_the_sweep_reads_each_sandboxs_own_clock_in_one_query(trainee, as_trainee):
    """An export expires on its own sandbox's clock: the one moved past the link expires, the
    other (the same export, its clock not moved) does not."""
    moved, still = bare_accounts(trainee, 2, "Clock")
    later = ready_export(moved, expires_in=timedelta(hours=2))  # expires in 2 hours of its clock
    not_yet = ready_export(still, expires_in=timedelta(hours=2))
    advance_clock(actor=as_trainee, sandbox=moved.sandbox, by=timedelta(hours=3))
    assert sweep_sandboxes([moved.sandbox_id, still.sandbox_id]) == [f"expired export {later.pk}"]
    assert ExportJob.objects.get(pk=not_yet.pk).status == ExportStatus.READY


def test_due_work_costs_the_same_per_item_at_2_and_10_sandboxes(trainee):
    """The finding is one query per kind; each item found then costs its own few queries (its
    claim, its re-check, its service), the same for each."""
    counts = {}
    for size in (2, 10):
        accounts = bare_accounts(trainee, size, f"Due {size}")
        exports = [ready_export(a, expires_in=timedelta(hours=-1)) for a in accounts]
        with CaptureQueriesContext(connection) as captured:
            done = sweep_sandboxes([a.sandbox_id for a in accounts])
        assert sorted(done) == sorted(f"expired export {e.pk}" for e in exports)
        counts[size] = len(captured)
    with CaptureQueriesContext(connection) as idle:
        sweep_sandboxes([a.sandbox_id for a in accounts])
    per_item = (counts[2] - len(idle)) / 2
    assert per_item > 0
    assert counts[10] - len(idle) == 10 * per_item


def test_the_periodic_sweep_sends_the_due_sandboxes_in_batches(trainee, monkeypatch):
    from lifecycle import tasks

    accounts = bare_accounts(trainee, 5, "Batch")
    for account in accounts:
        ready_export(account, expires_in=timedelta(hours=-1))
    sent: list[list[int]] = []
    monkeypatch.setattr(tasks, "SWEEP_BATCH", 2)
    monkeypatch.setattr(tasks.sweep_sandboxes_task, "delay", sent.append)
    assert tasks.sweep_task() == 5
    ids = sorted(a.sandbox_id for a in accounts)
    assert sent == [ids[0:2], ids[2:4], ids[4:]]
    assert len(tasks.sweep_sandboxes_task(ids)) == 5  # each batch's task sweeps it
