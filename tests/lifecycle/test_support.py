"""Staff actions: a reason every time, the seller told when chosen, overrides behind their rights,
and a demo reset that keeps the staff's events (RULEBOOK §8)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission

from accounts.models import AccountStatus
from lifecycle.demo import DemoSizes, build_demo_sandbox
from lifecycle.errors import Code, LifecycleError
from lifecycle.models import ExportStatus, InboxMessage, Outcome, SupportNote, TimelineEvent
from lifecycle.services import (
    Actor,
    advance_clock,
    cancel_deletion,
    deactivate_account,
    fail_export,
    reactivate_account,
    request_deletion,
    request_export,
    reset_demo_sandbox,
    unlink_shop,
)
from lifecycle.services.support import (
    act_for_seller,
    add_note,
    resend_deletion_confirmation,
    retry_export_for_seller,
    run_due_work_now,
)
from lifecycle.transitions import Action
from tests.lifecycle.helpers import SWEEP

SMALL = DemoSizes(products=3, customers=3, orders=0, inquiries=0, campaigns=0)
REASON = "Seller wrote in: changed their mind"


@pytest.fixture
def demo(trainee):
    return build_demo_sandbox(owner=trainee, sizes=SMALL)


def grant(user, *codenames: str):
    for codename in codenames:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    # has_perm caches per user object: read the rights afresh.
    return type(user).objects.get(pk=user.pk)


def requested(demo, trainee):
    request_deletion(
        actor=Actor.trainee(trainee),
        account=demo.account,
        password="correct-horse-9",
        acknowledged=True,
    )


STAFF_ACTIONS = {
    "deactivate": lambda demo, actor: deactivate_account(actor=actor, account=demo.account),
    "cancel_deletion": lambda demo, actor: cancel_deletion(actor=actor, account=demo.account),
    "unlink_shop": lambda demo, actor: unlink_shop(
        actor=actor,
        account=demo.account,
        shop=demo.shops.get(name__endswith=" Shop"),
        confirmed=True,
    ),
    "advance_clock": lambda demo, actor: advance_clock(
        actor=actor, sandbox=demo, by=timedelta(hours=1)
    ),
    "reset_demo": lambda demo, actor: reset_demo_sandbox(actor=actor, sandbox=demo),
    "run_due_work": lambda demo, actor: run_due_work_now(actor=actor, sandbox=demo),
}


@pytest.mark.parametrize("action", STAFF_ACTIONS)
def test_every_staff_action_is_refused_without_a_reason(action, demo, trainee, staff_user):
    if action == "cancel_deletion":
        requested(demo, trainee)
    before = demo.account.status
    with pytest.raises(LifecycleError) as refused:
        STAFF_ACTIONS[action](demo, Actor.staff(staff_user, reason="   "))
    assert refused.value.code == Code.REASON_REQUIRED
    event = TimelineEvent.objects.filter(actor=staff_user).get()
    assert (event.action, event.outcome, event.code) == (action, Outcome.REFUSED, "reason_required")
    demo.account.refresh_from_db()
    assert demo.account.status == before


@pytest.mark.parametrize("action", STAFF_ACTIONS)
def test_every_staff_action_records_the_agent_and_the_reason(action, demo, trainee, staff_user):
    if action == "cancel_deletion":
        requested(demo, trainee)
    STAFF_ACTIONS[action](demo, Actor.staff(staff_user, reason=REASON))
    event = TimelineEvent.objects.filter(actor=staff_user, action=action).get()
    assert (event.outcome, event.actor_label, event.params["reason"]) == (
        Outcome.DONE,
        "agent",
        REASON,
    )


def test_the_reason_is_a_keyword_of_the_service_too(demo, staff_user):
    deactivate_account(actor=Actor.staff(staff_user), account=demo.account, reason=REASON)
    assert TimelineEvent.objects.get(action=Action.DEACTIVATE).params["reason"] == REASON


def test_staff_meet_the_same_refusals_as_the_trainee(demo, staff_user):
    staff = Actor.staff(staff_user, reason=REASON)
    with pytest.raises(LifecycleError) as refused:
        cancel_deletion(actor=staff, account=demo.account)
    assert refused.value.code == Code.NO_OPEN_REQUEST
    with pytest.raises(LifecycleError) as refused:
        unlink_shop(
            actor=staff,
            account=demo.account,
            shop=demo.shops.get(name__endswith=" Outlet"),
            confirmed=True,
        )
    assert refused.value.code == Code.SHOP_NOT_LINKED
    refusal = TimelineEvent.objects.filter(outcome=Outcome.REFUSED).first()
    assert refusal.params["reason"] == REASON  # the reason stays with the refusal too


def test_a_cancelled_deletion_tells_the_seller_when_chosen(demo, trainee, staff_user):
    requested(demo, trainee)
    staff = Actor.staff(staff_user, reason=REASON)
    event, message = act_for_seller(
        actor=staff,
        account=demo.account,
        action=Action.CANCEL_DELETION,
        run=lambda: cancel_deletion(actor=staff, account=demo.account),
        message="Your account stays open.",
    )
    assert event.action == Action.CANCEL_DELETION
    assert message.subject == "Support cancelled the deletion of your seller account"
    assert "Your account stays open." in message.body and message.sandbox == demo
    assert REASON not in message.body  # the internal reason is the record's only
    sent = TimelineEvent.objects.get(action=Action.SEND_EMAIL, actor=staff_user)
    assert (sent.params["kind"], sent.params["reason"]) == ("support_cancel_deletion", REASON)


def test_without_tell_the_seller_no_email_is_sent(demo, staff_user):
    staff = Actor.staff(staff_user, reason=REASON)
    event, message = act_for_seller(
        actor=staff,
        account=demo.account,
        action=Action.DEACTIVATE,
        run=lambda: deactivate_account(actor=staff, account=demo.account),
        message="",
    )
    assert event is not None and message is None
    assert not InboxMessage.objects.filter(kind__startswith="support_").exists()


def test_a_repeat_writes_no_event_and_sends_nothing(demo, staff_user):
    staff = Actor.staff(staff_user, reason=REASON)
    deactivate_account(actor=staff, account=demo.account)
    event, message = act_for_seller(
        actor=staff,
        account=demo.account,
        action=Action.DEACTIVATE,
        run=lambda: deactivate_account(actor=staff, account=demo.account),
        message="Deactivated as you asked.",
    )
    assert (event, message) == (None, None)


def test_notes_are_kept_with_the_account_and_need_text(demo, staff_user):
    note = add_note(actor=Actor.staff(staff_user), account=demo.account, text=" Called back ")
    assert (note.text, note.author_label) == ("Called back", "agent")
    with pytest.raises(ValueError):
        add_note(actor=Actor.staff(staff_user), account=demo.account, text="  ")
    with pytest.raises(PermissionError):
        add_note(actor=Actor.trainee(demo.owner), account=demo.account, text="hello")
    assert list(SupportNote.objects.filter(account=demo.account)) == [note]


# --- Overrides ----------------------------------------------------------------------------------


def test_unlink_past_the_cool_down_needs_the_override_permission(demo, staff_user):
    shop = demo.shops.get(name__endswith=" Outlet")
    unlink_shop(
        actor=Actor.trainee(demo.owner),
        account=demo.account,
        shop=demo.shops.get(name__endswith=" Shop"),
        confirmed=True,
    )
    from lifecycle.services import link_shop

    link_shop(actor=Actor.trainee(demo.owner), account=demo.account, shop=shop)
    staff = Actor.staff(staff_user, reason=REASON)
    with pytest.raises(LifecycleError) as refused:
        unlink_shop(actor=staff, account=demo.account, shop=shop, confirmed=True)
    assert refused.value.code == Code.UNLINK_TOO_SOON
    with pytest.raises(LifecycleError) as refused:
        unlink_shop(actor=staff, account=demo.account, shop=shop, confirmed=True, override=True)
    assert refused.value.code == Code.OVERRIDE_NOT_PERMITTED

    agent = grant(staff_user, "override_unlink_limits_shop")
    staff = Actor.staff(agent, reason=REASON)
    unlink_shop(actor=staff, account=demo.account, shop=shop, confirmed=True, override=True)
    event = TimelineEvent.objects.filter(action=Action.UNLINK_SHOP, outcome=Outcome.DONE).first()
    assert (event.actor_label, event.params["override"], event.params["reason"]) == (
        "agent",
        "unlink_too_soon",
        REASON,
    )


def test_an_override_is_not_for_trainees(demo, trainee):
    with pytest.raises(LifecycleError) as refused:
        unlink_shop(
            actor=Actor.trainee(trainee),
            account=demo.account,
            shop=demo.shops.get(name__endswith=" Shop"),
            confirmed=True,
            override=True,
        )
    assert refused.value.code == Code.OVERRIDE_NOT_PERMITTED


def test_resend_the_confirmation_email_needs_its_permission(demo, trainee, staff_user):
    requested(demo, trainee)
    with pytest.raises(LifecycleError) as refused:
        resend_deletion_confirmation(
            actor=Actor.staff(staff_user, reason=REASON), account=demo.account
        )
    assert refused.value.code == Code.OVERRIDE_NOT_PERMITTED
    agent = grant(staff_user, "resend_confirmation_selleraccount")
    staff = Actor.staff(agent, reason=REASON)
    first = resend_deletion_confirmation(actor=staff, account=demo.account)
    second = resend_deletion_confirmation(actor=staff, account=demo.account)
    assert first.pk != second.pk and first.kind == "deletion_confirmation"
    events = TimelineEvent.objects.filter(action=Action.RESEND_CONFIRMATION, outcome="done")
    assert [e.params["reason"] for e in events] == [REASON, REASON]


def test_resend_is_refused_without_a_waiting_request(demo, staff_user):
    agent = grant(staff_user, "resend_confirmation_selleraccount")
    with pytest.raises(LifecycleError) as refused:
        resend_deletion_confirmation(actor=Actor.staff(agent, reason=REASON), account=demo.account)
    assert refused.value.code == Code.NO_OPEN_REQUEST


def test_resend_is_refused_once_the_link_expired(demo, trainee, staff_user):
    requested(demo, trainee)
    agent = grant(staff_user, "resend_confirmation_selleraccount")
    staff = Actor.staff(agent, reason=REASON)
    advance_clock(actor=staff, sandbox=demo, by=timedelta(days=2))
    with pytest.raises(LifecycleError) as refused:
        resend_deletion_confirmation(actor=staff, account=demo.account)
    assert refused.value.code == Code.TOKEN_EXPIRED


def test_retry_a_failed_export_for_the_seller(demo, trainee, staff_user):
    export = request_export(actor=Actor.trainee(trainee), account=demo.account)
    fail_export(actor=SWEEP, export=export, reason="The builder stopped")
    with pytest.raises(LifecycleError) as refused:
        retry_export_for_seller(actor=Actor.staff(staff_user, reason=REASON), export=export)
    assert refused.value.code == Code.OVERRIDE_NOT_PERMITTED
    agent = grant(staff_user, "retry_export_selleraccount")
    retried = retry_export_for_seller(actor=Actor.staff(agent, reason=REASON), export=export)
    assert retried.status == ExportStatus.QUEUED
    event = TimelineEvent.objects.filter(action=Action.RETRY_EXPORT).first()
    assert (event.outcome, event.params["reason"]) == (Outcome.DONE, REASON)


# --- The audit trail survives a reset ---------------------------------------------------------


def test_a_demo_reset_keeps_every_staff_event_from_before_it(demo, trainee, staff_user):
    staff = Actor.staff(staff_user, reason=REASON)
    deactivate_account(actor=staff, account=demo.account)
    reactivate_account(actor=staff, account=demo.account)
    run_due_work_now(actor=staff, sandbox=demo)
    before = list(TimelineEvent.objects.by_staff(staff_user).values_list("pk", flat=True))
    everything = TimelineEvent.objects.count()

    fresh = reset_demo_sandbox(actor=staff, sandbox=demo)

    kept = TimelineEvent.objects.by_staff(staff_user)
    assert set(before) < set(kept.values_list("pk", flat=True))
    assert [e.action for e in kept.order_by("id")] == [
        Action.DEACTIVATE,
        Action.REACTIVATE,
        Action.RUN_DUE_WORK,
        Action.RESET_DEMO,
    ]
    assert set(kept.values_list("sandbox", flat=True)) == {fresh.pk}
    assert TimelineEvent.objects.filter(pk__in=before, params__reason=REASON).count() == 3
    reset = kept.get(action=Action.RESET_DEMO)
    assert reset.params["kept_events"] == everything
    assert fresh.account.status == AccountStatus.ACTIVE
