"""The full matrix: every action in every account status, allowed or refused, and the table.

Each cell builds a world through the services, drives the account to the status, runs the action
once, and checks: allowed -> the subject's state changed and one done event records exactly that
change; refused -> the expected code, nothing changed, one refusal event; "same" -> the action was
already done, so nothing changes and nothing is recorded.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest

from accounts.models import AppAuthorization, ConnectedApp, SellerAccount
from lifecycle import transitions as t
from lifecycle.errors import Code, LifecycleError
from lifecycle.models import Outcome
from lifecycle.services import (
    Actor,
    advance_clock,
    cancel_deletion,
    change_listing_status,
    confirm_deletion,
    deactivate_account,
    finalize_deletion,
    grant_app_access,
    lapse_deletion,
    link_shop,
    reactivate_account,
    relink_shop,
    remove_app_access,
    switch_account_type,
    unlink_shop,
)
from lifecycle.transitions import Action
from shops.models import Product, ShopLink
from shops.transitions.link import LINKED, UNLINKED
from tests.shops.factories import ProductFactory

from .helpers import (
    ACTIVE,
    DEACTIVATED,
    DELETED,
    REQUESTED,
    REQUESTED_EXPIRED,
    SCHEDULED,
    SCHEDULED_DUE,
    STATUSES,
    SWEEP,
    World,
    assert_refused,
    build_world,
    drive_to,
    events,
    request,
    request_then_cancel,
    snapshot,
)

DONE, SAME = "done", "same"
ACTION_ID = lambda case: case.action  # noqa: E731
TIKTOK, PARTNER = ConnectedApp.TIKTOK_FOR_BUSINESS, ConnectedApp.ANALYTICS_PARTNER


def link_state(shop) -> str:
    return LINKED if ShopLink.objects.filter(shop=shop, unlinked_at__isnull=True) else UNLINKED


def app_state(world: World, app: str) -> str:
    live = AppAuthorization.objects.filter(account=world.account, app=app, revoked_at=None)
    return "connected" if live.exists() else "disconnected"


def account_field(field: str) -> Callable[[World], str]:
    return lambda w: SellerAccount.objects.values_list(field, flat=True).get(pk=w.account.pk)


def recreate_purged_product(world: World) -> None:
    """A deleted account has no products left; put one back to reach the service's own guard."""
    if not Product.objects.filter(pk=world.product.pk).exists():
        world.product = ProductFactory(account=world.account, shop=world.shop, stock=5)


@dataclass(frozen=True)
class Case:
    action: str
    run: Callable[[World, Actor], Any]
    state: Callable[[World], str]  # the state of the event's subject
    subject_type: str
    job: bool = False  # started by a background job, not the trainee
    prepare: Callable[[World], Any] | None = None  # before driving to the status
    after_drive: Callable[[World], Any] | None = None
    expect: dict[str, str | Code] | None = None


def row(
    active, deactivated, requested, requested_expired, scheduled, scheduled_due, deleted
) -> dict:
    values = (active, deactivated, requested, requested_expired, scheduled, scheduled_due, deleted)
    return dict(zip(STATUSES, values, strict=True))


NOT_ACTIVE = Code.ACCOUNT_NOT_ACTIVE
INVALID = Code.INVALID_STATE
CLOSED = Code.REQUEST_CLOSED
ONLY_ACTIVE = row(DONE, *[NOT_ACTIVE] * 6)
NOT_WHEN_DELETED = row(*[DONE] * 6, Code.ACCOUNT_DELETED)

CASES = [
    Case(
        Action.LINK_SHOP,
        lambda w, a: link_shop(actor=a, account=w.account, shop=w.spare),
        lambda w: link_state(w.spare),
        "shop",
        expect=ONLY_ACTIVE,
    ),
    Case(
        Action.RELINK_SHOP,
        lambda w, a: relink_shop(actor=a, account=w.account, shop=w.former),
        lambda w: link_state(w.former),
        "shop",
        expect=ONLY_ACTIVE,
    ),
    Case(
        Action.UNLINK_SHOP,
        lambda w, a: unlink_shop(actor=a, account=w.account, shop=w.shop, confirmed=True),
        lambda w: link_state(w.shop),
        "shop",
        # Finalization already ended the deleted account's links: unlinking again is a repeat.
        expect=row(*[DONE] * 6, SAME),
    ),
    Case(
        Action.SWITCH_TYPE,
        lambda w, a: switch_account_type(
            actor=a, account=w.account, account_type="creator", category="art"
        ),
        account_field("account_type"),
        "account_type",
        expect=ONLY_ACTIVE,
    ),
    Case(
        Action.DEACTIVATE,
        lambda w, a: deactivate_account(actor=a, account=w.account),
        account_field("status"),
        "account",
        expect=row(DONE, SAME, *[INVALID] * 5),
    ),
    Case(
        Action.REACTIVATE,
        lambda w, a: reactivate_account(actor=a, account=w.account),
        account_field("status"),
        "account",
        expect=row(SAME, DONE, *[INVALID] * 5),
    ),
    Case(
        Action.REQUEST_DELETION,
        lambda w, a: request(w, actor=a),
        account_field("status"),
        "account",
        expect=row(DONE, DONE, SAME, SAME, SAME, SAME, Code.ACCOUNT_DELETED),
    ),
    Case(
        Action.CONFIRM_DELETION,
        lambda w, a: confirm_deletion(actor=a, token=w.token()),
        account_field("status"),
        "account",
        # The token is the latest request's: a cancelled one in the first two rows.
        prepare=request_then_cancel,
        expect=row(
            CLOSED,
            CLOSED,
            DONE,
            Code.TOKEN_EXPIRED,
            Code.TOKEN_USED,
            Code.TOKEN_USED,
            Code.TOKEN_USED,
        ),
    ),
    Case(
        Action.LAPSE_DELETION,
        lambda w, a: lapse_deletion(actor=a, request=w.latest_request()),
        account_field("status"),
        "account",
        job=True,
        prepare=request_then_cancel,
        expect=row(CLOSED, CLOSED, Code.NOT_DUE, DONE, CLOSED, CLOSED, CLOSED),
    ),
    Case(
        Action.CANCEL_DELETION,
        lambda w, a: cancel_deletion(actor=a, account=w.account),
        account_field("status"),
        "account",
        expect=row(
            Code.NO_OPEN_REQUEST, Code.NO_OPEN_REQUEST, DONE, DONE, DONE, DONE, Code.ACCOUNT_DELETED
        ),
    ),
    Case(
        Action.FINALIZE_DELETION,
        lambda w, a: finalize_deletion(actor=a, account=w.account),
        account_field("status"),
        "account",
        job=True,
        expect=row(INVALID, INVALID, INVALID, INVALID, Code.NOT_DUE, DONE, SAME),
    ),
    Case(
        Action.CHANGE_LISTING,
        lambda w, a: change_listing_status(actor=a, product=w.product.pk, status="sold_out"),
        lambda w: Product.objects.values_list("listing_status", flat=True).get(pk=w.product.pk),
        "product",
        after_drive=recreate_purged_product,
        expect=NOT_WHEN_DELETED,
    ),
    Case(
        Action.REMOVE_APP_ACCESS,
        lambda w, a: remove_app_access(actor=a, account=w.account, app=TIKTOK),
        lambda w: app_state(w, TIKTOK),
        f"app:{TIKTOK}",
        expect=NOT_WHEN_DELETED,
    ),
    Case(
        Action.GRANT_APP_ACCESS,
        lambda w, a: grant_app_access(actor=a, account=w.account, app=PARTNER),
        lambda w: app_state(w, PARTNER),
        f"app:{PARTNER}",
        expect=ONLY_ACTIVE,
    ),
    Case(
        Action.ADVANCE_CLOCK,
        lambda w, a: advance_clock(actor=a, sandbox=w.sandbox, by=timedelta(hours=1)),
        lambda w: str(type(w.sandbox).objects.get(pk=w.sandbox.pk).clock_offset),
        "sandbox",
        expect=row(*[DONE] * 7),
    ),
]

CELLS = [
    pytest.param(case, status, id=f"{case.action}-{status}")
    for case in CASES
    for status in STATUSES
]


def arrange(case: Case, status: str, owner) -> World:
    world = build_world(owner)
    if case.prepare:
        case.prepare(world)
    drive_to(world, status)
    if case.after_drive:
        case.after_drive(world)
    return world


@pytest.mark.parametrize(("case", "status"), CELLS)
def test_action_in_status(case: Case, status: str, trainee):
    world = arrange(case, status, trainee)
    actor = SWEEP if case.job else world.actor
    expected = case.expect[status]
    before_state, before, count = case.state(world), snapshot(world), len(events(world.sandbox))

    if isinstance(expected, Code):
        with pytest.raises(LifecycleError) as err:
            case.run(world, actor)
        assert_refused(err, expected, world, before, action=case.action, count=count)
        refusal = events(world.sandbox)[-1]
        assert (refusal.subject_type, refusal.before) == (case.subject_type, before_state)
        assert refusal.actor_kind == actor.kind
        return

    case.run(world, actor)
    new = events(world.sandbox)[count:]
    if expected == SAME:
        assert new == []
        assert snapshot(world) == before
        return
    after_state = case.state(world)
    assert after_state != before_state
    mine = [e for e in new if e.subject_type == case.subject_type]
    assert [(e.action, e.outcome, e.before, e.after) for e in mine] == [
        (case.action, Outcome.DONE, before_state, after_state)
    ]
    assert mine[0].actor_kind == actor.kind
    if case.action != Action.FINALIZE_DELETION:  # finalization also ends links and grants
        assert len(new) == 1


ALLOWED = [
    pytest.param(case, status, id=f"{case.action}-{status}")
    for case in CASES
    for status in STATUSES
    # Moving the clock twice is two moves, not a repeat.
    if case.expect[status] == DONE and case.action != Action.ADVANCE_CLOCK
]


@pytest.mark.parametrize(("case", "status"), ALLOWED)
def test_repeating_an_allowed_action_changes_nothing(case: Case, status: str, trainee):
    """Double click, two tabs, a retried job: the second call is the first one's no-op."""
    world = arrange(case, status, trainee)
    actor = SWEEP if case.job else world.actor
    case.run(world, actor)
    before, count = snapshot(world), len(events(world.sandbox))
    if case.action == Action.CONFIRM_DELETION:
        with pytest.raises(LifecycleError) as err:  # the emailed link is single-use
            case.run(world, actor)
        assert_refused(err, Code.TOKEN_USED, world, before, action=case.action, count=count)
        return
    case.run(world, actor)
    assert snapshot(world) == before
    assert len(events(world.sandbox)) == count


BASE = {REQUESTED_EXPIRED: REQUESTED, SCHEDULED_DUE: SCHEDULED}


@pytest.mark.parametrize("case", [c for c in CASES if c.action in t.BY_ACTION], ids=ACTION_ID)
def test_declared_table_predicts_the_matrix(case: Case):
    """What the UI offers (the declared table) is exactly what the services allow."""
    transition = t.transition_for(case.action)
    kind = "job" if case.job else "trainee"
    for status in t.ACCOUNT_STATES:
        cells = [s for s in STATUSES if BASE.get(s, s) == status]
        allowed_somewhere = any(case.expect[s] == DONE for s in cells)
        if transition.machine == "link":
            link = UNLINKED if case.action != Action.UNLINK_SHOP else LINKED
            offered = transition in t.link_actions_from(link, status, kind)
        else:
            offered = transition in t.account_actions_from(status, kind)
        assert offered == allowed_somewhere, status


# --- Who may act -------------------------------------------------------------------------------
FIRST_ALLOWED = {case.action: next(s for s in STATUSES if case.expect[s] == DONE) for case in CASES}


def actor_of(kind: str, world: World, staff_user) -> Actor:
    return {"trainee": world.actor, "staff": Actor.staff(staff_user, reason="asked"), "job": SWEEP}[
        kind
    ]


@pytest.mark.parametrize("kind", ["trainee", "staff", "job"])
@pytest.mark.parametrize("case", CASES, ids=ACTION_ID)
def test_each_action_is_open_to_its_declared_actors_only(case: Case, kind, trainee, staff_user):
    world = arrange(case, FIRST_ALLOWED[case.action], trainee)
    actor = actor_of(kind, world, staff_user)
    before, count = snapshot(world), len(events(world.sandbox))
    declared = t.BY_ACTION.get(case.action)
    if declared is None or kind in declared.actors:
        case.run(world, actor)
        event = events(world.sandbox, subject_type=case.subject_type)[-1]
        assert (event.action, event.outcome, event.actor_kind) == (case.action, "done", kind)
        assert event.actor_label == actor.label
        assert event.actor_id == (actor.user.pk if actor.user else None)
        return
    with pytest.raises(LifecycleError) as err:
        case.run(world, actor)
    assert_refused(err, Code.NOT_ALLOWED_FOR_ACTOR, world, before, action=case.action, count=count)


@pytest.mark.parametrize("case", CASES, ids=ACTION_ID)
def test_another_trainee_cannot_touch_the_sandbox(case: Case, trainee, other_trainee):
    world = arrange(case, FIRST_ALLOWED[case.action], trainee)
    before, count = snapshot(world), len(events(world.sandbox))
    with pytest.raises(LifecycleError) as err:
        case.run(world, Actor.trainee(other_trainee))
    assert_refused(err, Code.NOT_YOUR_SANDBOX, world, before, action=case.action, count=count)
    assert events(world.sandbox)[-1].actor == other_trainee


@pytest.mark.parametrize("case", CASES, ids=ACTION_ID)
def test_a_user_without_staff_rights_cannot_act_as_staff(case: Case, trainee, other_trainee):
    world = arrange(case, FIRST_ALLOWED[case.action], trainee)
    before, count = snapshot(world), len(events(world.sandbox))
    with pytest.raises(LifecycleError) as err:
        case.run(world, Actor.staff(other_trainee))
    assert_refused(err, Code.NOT_ALLOWED_FOR_ACTOR, world, before, action=case.action, count=count)


def test_staff_cancel_a_deletion_and_deactivate_under_their_own_name(world, staff_user):
    staff = Actor.staff(staff_user, reason="The trainee asked")
    drive_to(world, SCHEDULED)
    cancel_deletion(actor=staff, account=world.account)
    deactivate_account(actor=staff, account=world.account)
    world.refresh()
    assert world.account.status == DEACTIVATED
    done = events(world.sandbox, actor_kind="staff")
    assert [(e.action, e.actor_label) for e in done] == [
        (Action.CANCEL_DELETION, "agent"),
        (Action.DEACTIVATE, "agent"),
    ]


def test_transition_helpers_describe_the_table():
    assert t.transition_for(Action.UNLINK_SHOP).label == "Unlink shop"
    assert t.transition_for(Action.UNLINK_SHOP).destructive
    edges = t.status_edges()
    assert (SCHEDULED, DELETED, Action.FINALIZE_DELETION) in edges
    # "The state before the request" fans out to each state a request starts from.
    assert (SCHEDULED, ACTIVE, Action.CANCEL_DELETION) in edges
    assert (SCHEDULED, DEACTIVATED, Action.CANCEL_DELETION) in edges
    assert all(action != Action.SWITCH_TYPE for *_, action in edges)
    assert [x.action for x in t.link_actions_from(UNLINKED, ACTIVE, "trainee")] == [
        Action.LINK_SHOP,
        Action.RELINK_SHOP,
    ]
    assert t.link_actions_from(UNLINKED, DEACTIVATED, "trainee") == []
    assert t.account_actions_from(DELETED, "trainee") == []
