"""Tests generated from the declaration (`lifecycle.transitions`).

For every declared transition: each state of its machine outside its sources is refused with
the code the declaration gives for it, and leaves no change but that refusal on the timeline (or,
where the declaration says the result already holds, changes nothing and records nothing); and
each actor kind the declaration does not allow is refused. A guard on the test database (see
tests/engine_guard.py) fails any test that writes a declared state outside the core.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection, transaction
from django.db.models.signals import post_save
from django.utils import timezone

from accounts.models import AppAuthorization, ConnectedApp, SellerAccount
from accounts.transitions import account
from lifecycle import transitions as t
from lifecycle.core import protection
from lifecycle.errors import Code, LifecycleError
from lifecycle.models import ExportJob, Outcome
from lifecycle.services import (
    Actor,
    cancel_deletion,
    cancel_order,
    confirm_deletion,
    deactivate_account,
    end_campaign,
    expire_export,
    fail_export,
    finalize_deletion,
    give_up_export,
    grant_app_access,
    lapse_deletion,
    link_shop,
    mark_export_ready,
    pause_campaign,
    queue_customer_notice,
    reactivate_account,
    record_download,
    relink_shop,
    remove_app_access,
    reply_inquiry,
    resend_export,
    retry_export,
    ship_order,
    start_campaign,
    switch_account_type,
    unlink_shop,
)
from lifecycle.transitions import Rows, announcement
from lifecycle.transitions.export import NEW, READY
from shops.models import Campaign, Inquiry, Order, Product
from shops.transitions import shop
from shops.transitions.link import LINKED
from tests.engine_guard import ACTIVE, WriteGuard, arranging
from tests.shops.factories import CampaignFactory, InquiryFactory, OrderFactory

from .helpers import (
    SWEEP,
    World,
    build_world,
    drive_to,
    events,
    request,
    request_then_cancel,
    snapshot,
)

TIKTOK, PARTNER = ConnectedApp.TIKTOK_FOR_BUSINESS, ConnectedApp.ANALYTICS_PARTNER


def full_snapshot(world: World) -> dict:
    """Everything the helpers' snapshot holds, and the rows of the shop's own machines."""
    account = world.account
    return {
        **snapshot(world),
        "orders": list(Order.objects.filter(account=account).values_list("id", "status")),
        "inquiries": list(Inquiry.objects.filter(account=account).values_list("id", "replied_at")),
        "exports": list(ExportJob.objects.filter(account=account).values_list("id", "status")),
    }


# --- Putting a machine's subject in a state ----------------------------------------------------


def _account(world: World, state: str, call: "Call") -> SellerAccount:
    if call.prepare:
        call.prepare(world)
    drive_to(world, state)
    return world.account


def _order(world: World, state: str, call: "Call") -> Order:
    return OrderFactory(account=world.account, shop=world.shop, status=state)


def _campaign(world: World, state: str, call: "Call") -> Campaign:
    return CampaignFactory(account=world.account, shop=world.shop, status=state)


def _inquiry(world: World, state: str, call: "Call") -> Inquiry:
    answered = state == shop.ANSWERED
    return InquiryFactory(
        account=world.account,
        reply="Yes, it is." if answered else "",
        replied_at=world.sandbox.now() if answered else None,
    )


def _export(world: World, state: str, call: "Call") -> ExportJob:
    now = world.sandbox.now()
    with arranging():  # set-up: the export in the state under test
        return ExportJob.objects.create(
            account=world.account,
            status=state,
            requested_at=now,
            expires_at=now + timedelta(days=7) if state == READY else None,
            heartbeat=timezone.now(),
        )


def _shop(world: World, state: str, call: "Call"):
    if state == LINKED:  # linked, to another account of the sandbox
        other = SellerAccount.objects.create(sandbox=world.sandbox, display_name="Other seller")
        link_shop(actor=world.actor, account=other, shop=world.spare)
    return world.spare


def _app(world: World, state: str, call: "Call") -> str:
    return TIKTOK if state == account.CONNECTED else PARTNER


ARRANGE: dict[str, Callable[[World, str, "Call"], Any]] = {
    "account": _account,
    "order": _order,
    "campaign": _campaign,
    "inquiry": _inquiry,
    "export": _export,
    "link": _shop,
    "app": _app,
}
# A machine whose first state means "no row yet": only creation starts there, so a creation has
# no other state to be refused in.
NOTHING_YET = {NEW, shop.NO_CAMPAIGN, announcement.NONE}


@dataclass(frozen=True)
class Call:
    run: Callable[[World, Actor, Any], Any]
    inputs: Callable[[Any], dict] = lambda subject: {}
    prepare: Callable[[World], Any] | None = None  # before the account is driven to the state
    request: str = "open"  # the deletion request the rows name: "open" or "latest"


CALLS: dict[str, Call] = {
    "link_shop": Call(lambda w, a, s: link_shop(actor=a, account=w.account, shop=s)),
    "relink_shop": Call(lambda w, a, s: relink_shop(actor=a, account=w.account, shop=s)),
    "unlink_shop": Call(
        lambda w, a, s: unlink_shop(actor=a, account=w.account, shop=s, confirmed=True),
        lambda s: {"confirmed": True},
    ),
    "switch_type": Call(
        lambda w, a, s: switch_account_type(
            actor=a, account=w.account, account_type="creator", category="art"
        ),
        lambda s: {"account_type": "creator", "category": "art", "target": "creator"},
    ),
    "deactivate": Call(lambda w, a, s: deactivate_account(actor=a, account=w.account)),
    "reactivate": Call(lambda w, a, s: reactivate_account(actor=a, account=w.account)),
    "request_deletion": Call(lambda w, a, s: request(w, actor=a)),
    "confirm_deletion": Call(
        lambda w, a, s: confirm_deletion(actor=a, token=w.token()),
        prepare=request_then_cancel,
        request="latest",
    ),
    "lapse_deletion": Call(
        lambda w, a, s: lapse_deletion(actor=a, request=w.latest_request()),
        prepare=request_then_cancel,
        request="latest",
    ),
    "cancel_deletion": Call(lambda w, a, s: cancel_deletion(actor=a, account=w.account)),
    "finalize_deletion": Call(lambda w, a, s: finalize_deletion(actor=a, account=w.account)),
    "remove_app_access": Call(
        lambda w, a, s: remove_app_access(actor=a, account=w.account, app=s),
        lambda s: {"app": s},
    ),
    "grant_app_access": Call(
        lambda w, a, s: grant_app_access(actor=a, account=w.account, app=s),
        lambda s: {"app": s, "scopes": "read"},
    ),
    "notify_customers": Call(lambda w, a, s: queue_customer_notice(actor=a, account=w.account)),
    "retry_export": Call(lambda w, a, s: retry_export(actor=a, export=s)),
    "export_ready": Call(
        lambda w, a, s: mark_export_ready(
            actor=a, export=s, file_name="exports/x.zip", size_bytes=1, manifest={}
        )
    ),
    "export_failed": Call(lambda w, a, s: fail_export(actor=a, export=s, reason="Broken.")),
    "resend_export": Call(lambda w, a, s: resend_export(actor=a, export=s)),
    "give_up_export": Call(lambda w, a, s: give_up_export(actor=a, export=s)),
    "download_export": Call(lambda w, a, s: record_download(actor=a, export=s)),
    "expire_export": Call(lambda w, a, s: expire_export(actor=a, export=s)),
    "ship_order": Call(
        lambda w, a, s: ship_order(actor=a, order=s, tracking_number="TRK42"),
        lambda s: {"tracking_number": "TRK42"},
    ),
    "cancel_order": Call(lambda w, a, s: cancel_order(actor=a, order=s)),
    "reply_inquiry": Call(
        lambda w, a, s: reply_inquiry(actor=a, inquiry=s, reply="Thanks!"),
        lambda s: {"reply": "Thanks!"},
    ),
    "start_campaign": Call(lambda w, a, s: start_campaign(actor=a, campaign=s)),
    "pause_campaign": Call(lambda w, a, s: pause_campaign(actor=a, campaign=s)),
    "end_campaign": Call(lambda w, a, s: end_campaign(actor=a, campaign=s)),
}


def rows_of(world: World, transition: t.Transition, subject: Any, call: Call) -> Rows:
    """The rows the declaration is read against, as the service locks them."""
    world.refresh()
    account = world.account
    shop = subject if transition.machine == "link" else None
    if isinstance(subject, Order | Campaign | Inquiry | ExportJob):
        subject.refresh_from_db()
    app = call.inputs(subject).get("app")
    if call.request == "latest":
        request = world.latest_request()
    else:
        request = account.deletion_requests.open().first()
    return Rows(
        sandbox=world.sandbox,
        account=account,
        subject=subject if not isinstance(subject, str) else account,
        inputs=call.inputs(subject),
        link=shop.live_link() if shop is not None else None,
        grant=account.app_authorizations.live().filter(app=app).first() if app else None,
        request=request,
    )


def actor_for(world: World, transition: t.Transition) -> Actor:
    return world.actor if t.TRAINEE in transition.actors else SWEEP


def _cases() -> list:
    cases = []
    for transition in t.TRANSITIONS:
        if transition.key not in CALLS:
            continue
        machine = t.MACHINES[transition.machine]
        if transition.machine not in ARRANGE or set(transition.sources) & NOTHING_YET:
            continue
        for state in machine.states:
            if state in transition.sources or state in NOTHING_YET:
                continue
            cases.append(pytest.param(transition, state, id=f"{transition.key}-{state}"))
    return cases


CASES = _cases()


def test_the_generated_cases_cover_every_machine_that_can_refuse_a_state():
    covered = {case.values[0].machine for case in CASES}
    assert covered == {"account", "order", "campaign", "inquiry", "export", "link", "app"}


@pytest.mark.parametrize(("transition", "state"), CASES)
def test_a_state_outside_the_sources_is_refused_with_the_declared_code(transition, state, trainee):
    world = build_world(trainee)
    call = CALLS[transition.key]
    subject = ARRANGE[transition.machine](world, state, call)
    rows = rows_of(world, transition, subject, call)
    actor = actor_for(world, transition)
    before, count = full_snapshot(world), len(events(world.sandbox))

    repeat = transition.done(rows) if transition.done else None
    if repeat is not None:  # declared: the result holds already, so nothing changes
        call.run(world, actor, subject)
        assert (full_snapshot(world), len(events(world.sandbox))) == (before, count)
        return
    declared = transition.wrong_state(rows)
    with pytest.raises(LifecycleError) as err:
        call.run(world, actor, subject)
    assert err.value.code == declared.code, err.value.message
    assert full_snapshot(world) == before
    new = events(world.sandbox)[count:]
    assert [(e.action, e.outcome, e.code) for e in new] == [
        (transition.action, Outcome.REFUSED, declared.code)
    ]


def _actor_cases() -> list:
    return [
        pytest.param(transition, kind, id=f"{transition.key}-{kind}")
        for transition in t.TRANSITIONS
        if transition.key in CALLS
        and transition.machine in ARRANGE
        and not set(transition.sources) & NOTHING_YET
        for kind in (t.TRAINEE, t.STAFF, t.JOB)
        if kind not in transition.actors
    ]


@pytest.mark.parametrize(("transition", "kind"), _actor_cases())
def test_an_actor_kind_the_declaration_leaves_out_is_refused(transition, kind, trainee, staff_user):
    world = build_world(trainee)
    call = CALLS[transition.key]
    subject = ARRANGE[transition.machine](world, transition.sources[0], call)
    actor = {
        t.TRAINEE: world.actor,
        t.STAFF: Actor.staff(staff_user, reason="asked"),
        t.JOB: SWEEP,
    }[kind]
    before, count = full_snapshot(world), len(events(world.sandbox))
    with pytest.raises(LifecycleError) as err:
        call.run(world, actor, subject)
    assert err.value.code == Code.NOT_ALLOWED_FOR_ACTOR
    assert full_snapshot(world) == before
    new = events(world.sandbox)[count:]
    assert [(e.action, e.outcome, e.actor_kind) for e in new] == [
        (transition.action, Outcome.REFUSED, kind)
    ]


# --- The write guard ---------------------------------------------------------------------------


def test_the_guard_notices_a_declared_state_written_outside_the_engine(world):
    guard = WriteGuard()
    with connection.execute_wrapper(guard), arranging():  # arranging: not the suite's guard
        SellerAccount.objects.filter(pk=world.account.pk).update(status="deactivated")
        AppAuthorization.objects.filter(account=world.account).update(revoked_at=timezone.now())
    assert [v.split(" ")[0] for v in guard.violations] == [
        "accounts_selleraccount.status",
        "accounts_appauthorization.revoked_at",
    ]


def test_the_guard_lets_the_engine_write_and_other_fields_through(world):
    guard = WriteGuard()
    with connection.execute_wrapper(guard):
        deactivate_account(actor=world.actor, account=world.account)
        SellerAccount.objects.filter(pk=world.account.pk).update(display_name="Renamed")
    assert guard.violations == []


def test_every_declared_machine_with_a_field_is_guarded():
    columns = WriteGuard().columns
    assert columns["shops_order"] == {"status"}
    assert columns["accounts_selleraccount"] == {"status", "account_type"}
    assert {"lifecycle_exportjob", "lifecycle_deletionrequest", "shops_campaign"} <= set(columns)
    assert columns["shops_product"] == {"listing_status"}


def test_the_guard_notices_a_row_created_in_a_state_a_new_row_does_not_start_in(world):
    guard = WriteGuard()
    post_save.connect(guard.post_save, dispatch_uid="test-insert-guard")
    try:
        with arranging():  # the suite's guard off; this one watches
            Campaign.objects.create(
                account=world.account,
                shop=world.shop,
                name="Born running",
                budget=1,
                status="active",
                created_at=world.sandbox.now(),
            )
            Campaign.objects.create(
                account=world.account,
                shop=world.shop,
                name="Draft",
                budget=1,
                created_at=world.sandbox.now(),
            )
        assert [v.split(" (")[0] for v in guard.violations] == [
            "shops_campaign.status created as 'active'"
        ]
        assert "arranging()" in guard.violations[0]
        guard.violations.clear()
        ACTIVE.append(guard)  # now one of the suite's guards, which arranging() pauses
        try:
            with arranging():
                Campaign.objects.create(
                    account=world.account,
                    shop=world.shop,
                    name="Arranged",
                    budget=1,
                    status="paused",
                    created_at=world.sandbox.now(),
                )
        finally:
            ACTIVE.remove(guard)
        assert guard.violations == []
    finally:
        post_save.disconnect(dispatch_uid="test-insert-guard")


def test_the_product_builders_may_create_rows_in_any_state(world):
    guard = WriteGuard()
    post_save.connect(guard.post_save, dispatch_uid="test-insert-guard")
    try:
        with protection.building():
            Campaign.objects.create(
                account=world.account,
                shop=world.shop,
                name="Demo",
                budget=1,
                status="active",
                created_at=world.sandbox.now(),
            )
        assert guard.violations == []
    finally:
        post_save.disconnect(dispatch_uid="test-insert-guard")


# --- The production app's own guard (lifecycle.core.protection) -------------------------------


def test_the_app_refuses_a_save_that_changes_a_declared_state(world):
    account = SellerAccount.objects.get(pk=world.account.pk)
    account.status = "deactivated"
    with pytest.raises(protection.ProtectedStateError) as err:
        account.save()
    assert str(err.value) == (
        "SellerAccount.status (account) is a declared state: it changes only through its "
        "transition (lifecycle.core.apply, called by a service), never by a direct write "
        "(save() would write 'deactivated' over 'active')."
    )
    with pytest.raises(protection.ProtectedStateError):
        account.save(update_fields=["status"])
    account.refresh_from_db()
    assert account.status == "active"


def test_the_app_refuses_an_update_naming_a_declared_column(world):
    # Each in its own savepoint: a refused write marks the transaction it ran in for rollback.
    refused = pytest.raises(protection.ProtectedStateError, match="shops_product.listing_status")
    with refused, transaction.atomic():
        Product.objects.filter(pk=world.product.pk).update(listing_status="removed")
    refused = pytest.raises(protection.ProtectedStateError, match="accounts_selleraccount.status")
    with refused, transaction.atomic():
        SellerAccount.objects.filter(pk=world.account.pk).update(status="deleted")
    world.product.refresh_from_db()
    assert world.product.listing_status == "active"


def test_the_app_lets_other_fields_a_reloaded_row_and_the_engine_through(world):
    account = SellerAccount.objects.get(pk=world.account.pk)
    deactivate_account(actor=world.actor, account=world.account)  # the engine, another copy
    account.refresh_from_db()  # loaded "active", now "deactivated": no change of its own
    account.display_name = "Renamed"
    account.save()
    account.save(update_fields=["display_name"])
    SellerAccount.objects.filter(pk=account.pk).update(display_name="Again")
    account.refresh_from_db()
    assert (account.display_name, account.status) == ("Again", "deactivated")
