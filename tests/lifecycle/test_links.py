"""Linking, unlinking and relinking a shop, and the limits of RULEBOOK §3 with the clock moved."""

from datetime import timedelta

import pytest

from accounts.models import Sandbox, SellerAccount
from lifecycle.errors import Code, LifecycleError
from lifecycle.services import advance_clock, link_shop, relink_shop, unlink_shop
from lifecycle.services.links import next_unlink_allowed_at, when
from lifecycle.transitions import Action
from shops.models import CampaignStatus, Shop
from tests.rulebook import change_rules, days_of, hours_of, rule, times_of
from tests.shops.factories import CampaignFactory, ProductFactory, ShopLinkFactory

from .helpers import (
    ACTIVE,
    DELETED,
    STATUSES,
    actions,
    assert_refused,
    drive_to,
    events,
    last_event,
    snapshot,
)

HOUR = timedelta(hours=1)


def move(world, by: timedelta) -> None:
    advance_clock(actor=world.actor, sandbox=world.sandbox, by=by)
    world.refresh()


def unlink(world, shop, **kwargs):
    kwargs.setdefault("confirmed", True)
    return unlink_shop(actor=world.actor, account=world.account, shop=shop, **kwargs)


def refused(world, code, call, action):
    before, count = snapshot(world), len(events(world.sandbox))
    with pytest.raises(LifecycleError) as err:
        call()
    assert_refused(err, code, world, before, action=action, count=count)
    return err.value


@pytest.fixture
def rival(world) -> SellerAccount:
    """A second seller account in the same sandbox."""
    return SellerAccount.objects.create(sandbox=world.sandbox, display_name="Rival")


def test_link_makes_the_shop_reachable_and_records_the_link(world):
    link = link_shop(actor=world.actor, account=world.account, shop=world.spare)
    assert link.is_active and link.linked_at <= world.sandbox.now()
    assert world.spare in Shop.objects.linked_to(world.account)
    event = last_event(world.sandbox)
    assert (event.action, event.subject_id, event.params) == (
        Action.LINK_SHOP,
        world.spare.pk,
        {"link_id": link.pk},
    )


def test_a_shop_linked_elsewhere_cannot_be_linked(world, rival):
    call = lambda: link_shop(actor=world.actor, account=rival, shop=world.shop)  # noqa: E731
    refused(world, Code.SHOP_LINKED_ELSEWHERE, call, Action.LINK_SHOP)
    assert last_event(world.sandbox).before == "linked"


def test_the_shop_can_move_to_another_account_once_unlinked(world, rival):
    unlink(world, world.shop)
    link_shop(actor=world.actor, account=rival, shop=world.shop)
    assert world.shop.links.get(unlinked_at=None).account == rival
    assert world.shop not in Shop.objects.linked_to(world.account)


def test_a_shop_of_another_sandbox_cannot_be_linked(world, trainee):
    elsewhere = Shop.objects.create(
        sandbox=Sandbox.objects.create(owner=trainee, name="B"), name="B"
    )
    call = lambda: link_shop(actor=world.actor, account=world.account, shop=elsewhere)  # noqa: E731
    refused(world, Code.SHOP_OTHER_SANDBOX, call, Action.LINK_SHOP)


def test_relink_needs_an_earlier_link(world):
    call = lambda: relink_shop(actor=world.actor, account=world.account, shop=world.spare)  # noqa: E731
    err = refused(world, Code.NEVER_LINKED, call, Action.RELINK_SHOP)
    assert "link it instead" in err.message


def test_linking_a_shop_that_was_linked_here_before_is_recorded_as_relink(world):
    products_before = list(world.former.products.values_list("pk", flat=True))
    ProductFactory(account=world.account, shop=world.former)
    link_shop(actor=world.actor, account=world.account, shop=world.former.pk)
    assert last_event(world.sandbox).action == Action.RELINK_SHOP
    # The data kept while unlinked is there again.
    assert world.former.products.count() == len(products_before) + 1


def test_linking_twice_returns_the_same_link_without_a_new_event(world):
    first = world.shop.links.get(unlinked_at=None)
    count = len(events(world.sandbox))
    assert link_shop(actor=world.actor, account=world.account, shop=world.shop) == first
    assert relink_shop(actor=world.actor, account=world.account, shop=world.shop) == first
    assert len(events(world.sandbox)) == count


def test_unlink_needs_the_explicit_confirmation(world):
    call = lambda: unlink(world, world.shop, confirmed=False)  # noqa: E731
    refused(world, Code.CONFIRMATION_REQUIRED, call, Action.UNLINK_SHOP)


def test_unlink_of_a_shop_not_linked_here_is_refused(world, rival):
    refused(world, Code.SHOP_NOT_LINKED, lambda: unlink(world, world.spare), Action.UNLINK_SHOP)
    call = lambda: unlink_shop(actor=world.actor, account=rival, shop=world.shop, confirmed=True)  # noqa: E731
    refused(world, Code.SHOP_NOT_LINKED, call, Action.UNLINK_SHOP)


def test_unlink_keeps_the_data_and_pauses_only_that_shops_active_campaigns(world):
    other = CampaignFactory(account=world.account, shop=world.former, status=CampaignStatus.ACTIVE)
    running = CampaignFactory(account=world.account, shop=world.shop, status=CampaignStatus.ACTIVE)
    draft = CampaignFactory(account=world.account, shop=world.shop, status=CampaignStatus.DRAFT)
    link = unlink(world, world.shop)
    assert link.unlinked_at is not None and not link.is_active
    for campaign in (other, running, draft):
        campaign.refresh_from_db()
    assert (other.status, running.status, draft.status) == ("active", "paused", "draft")
    assert world.shop.products.count() == 1  # kept, not deleted
    # The unlink names the campaigns it paused; each pause is its own event after it.
    unlinked, paused = events(world.sandbox)[-2:]
    assert unlinked.params == {"link_id": link.pk, "paused_campaigns": [running.pk]}
    assert (paused.action, paused.subject_id) == (Action.PAUSE_CAMPAIGN, running.pk)


def test_unlinking_twice_changes_nothing_the_second_time(world):
    link = unlink(world, world.shop)
    count = len(events(world.sandbox))
    assert unlink(world, world.shop) == link
    assert len(events(world.sandbox)) == count


# --- Limits (RULEBOOK §3), with the sandbox clock moved ----------------------------------------


def test_a_shop_cannot_be_unlinked_within_24_sandbox_hours_of_linking(world):
    link = link_shop(actor=world.actor, account=world.account, shop=world.spare)
    allowed_at = link.linked_at + rule("UNLINK_COOLDOWN")
    assert next_unlink_allowed_at(world.spare, link, world.sandbox.now()) == allowed_at

    err = refused(
        world, Code.UNLINK_TOO_SOON, lambda: unlink(world, world.spare), Action.UNLINK_SHOP
    )
    assert err.details["next_allowed_at"] == allowed_at
    assert hours_of("UNLINK_COOLDOWN") in err.message and when(allowed_at) in err.message

    move(world, rule("UNLINK_COOLDOWN") - HOUR)
    refused(world, Code.UNLINK_TOO_SOON, lambda: unlink(world, world.spare), Action.UNLINK_SHOP)

    move(world, 2 * HOUR)
    assert unlink(world, world.spare).unlinked_at == pytest.approx(world.sandbox.now(), abs=HOUR)
    assert actions(world.sandbox, subject_type="shop", subject_id=world.spare.pk) == [
        Action.LINK_SHOP,
        Action.UNLINK_SHOP,
        Action.UNLINK_SHOP,
        Action.UNLINK_SHOP,
    ]


def cycle(world, shop) -> None:
    """Link, wait out the cooldown, unlink: one unlink counted against the limit."""
    link_shop(actor=world.actor, account=world.account, shop=shop)
    move(world, rule("UNLINK_COOLDOWN") + HOUR)
    unlink(world, shop)


def test_three_unlinks_per_180_days_then_the_limit_until_the_oldest_ages_out(world):
    shop = world.spare
    for _ in range(rule("UNLINK_LIMIT")):
        cycle(world, shop)
    oldest = shop.links.order_by("unlinked_at").first().unlinked_at
    allowed_at = oldest + rule("UNLINK_WINDOW")

    link = link_shop(actor=world.actor, account=world.account, shop=shop)
    move(world, rule("UNLINK_COOLDOWN") + HOUR)
    assert next_unlink_allowed_at(shop, link, world.sandbox.now()) == allowed_at
    err = refused(world, Code.UNLINK_LIMIT_REACHED, lambda: unlink(world, shop), Action.UNLINK_SHOP)
    assert err.details["next_allowed_at"] == allowed_at
    limit = f"{times_of('UNLINK_LIMIT')} in the last {days_of('UNLINK_WINDOW')}"
    assert limit in err.message and when(allowed_at) in err.message

    move(world, allowed_at - world.sandbox.now() - HOUR)
    refused(world, Code.UNLINK_LIMIT_REACHED, lambda: unlink(world, shop), Action.UNLINK_SHOP)

    move(world, 2 * HOUR)
    unlink(world, shop)
    assert not shop.links.filter(unlinked_at=None).exists()
    assert shop.links.filter(unlinked_at__isnull=False).count() == 4


def test_unlinks_by_other_accounts_count_against_the_shop(world):
    rival = SellerAccount.objects.create(sandbox=world.sandbox, display_name="Rival")
    for account in (world.account, rival, world.account):
        link_shop(actor=world.actor, account=account, shop=world.spare)
        move(world, rule("UNLINK_COOLDOWN") + HOUR)
        unlink_shop(actor=world.actor, account=account, shop=world.spare, confirmed=True)
    link_shop(actor=world.actor, account=rival, shop=world.spare)
    move(world, rule("UNLINK_COOLDOWN") + HOUR)
    call = lambda: unlink_shop(actor=world.actor, account=rival, shop=world.spare, confirmed=True)  # noqa: E731
    refused(world, Code.UNLINK_LIMIT_REACHED, call, Action.UNLINK_SHOP)


def test_the_limits_are_the_editions(world, monkeypatch):
    change_rules(monkeypatch, UNLINK_COOLDOWN=timedelta(0), UNLINK_LIMIT=1)
    link_shop(actor=world.actor, account=world.account, shop=world.spare)
    unlink(world, world.spare)  # no cooldown
    link_shop(actor=world.actor, account=world.account, shop=world.spare)
    refused(
        world, Code.UNLINK_LIMIT_REACHED, lambda: unlink(world, world.spare), Action.UNLINK_SHOP
    )


def test_a_link_left_on_a_deleted_account_cannot_be_unlinked(world):
    """Finalization ends every link; a link put back by hand still meets the service's guard."""
    drive_to(world, "deleted")
    ShopLinkFactory(shop=world.spare, account=world.account, linked_at=world.sandbox.now())
    call = lambda: unlink(world, world.spare)  # noqa: E731
    refused(world, Code.ACCOUNT_DELETED, call, Action.UNLINK_SHOP)


# --- Link actions x link states x account statuses ---------------------------------------------
NEVER, HERE, ELSEWHERE, BEFORE = "never linked", "linked here", "linked elsewhere", "unlinked here"
DONE, SAME = "done", "same"
LINK_ACTIONS = (Action.LINK_SHOP, Action.RELINK_SHOP, Action.UNLINK_SHOP)
# What each link action does to a shop in each state, while the account is active.
WHEN_ACTIVE = {
    NEVER: (DONE, Code.NEVER_LINKED, Code.SHOP_NOT_LINKED),
    HERE: (SAME, SAME, DONE),
    ELSEWHERE: (Code.SHOP_LINKED_ELSEWHERE, Code.SHOP_LINKED_ELSEWHERE, Code.SHOP_NOT_LINKED),
    BEFORE: (DONE, DONE, SAME),
}


def expected(action: str, link_state: str, status: str):
    """The rules' precedence: a repeat is no change at all, then the account's status, then
    the shop's state. Finalization ended the deleted account's links, so "here" is "before"."""
    if status == DELETED and link_state == HERE:
        link_state = BEFORE
    outcome = WHEN_ACTIVE[link_state][LINK_ACTIONS.index(action)]
    if action != Action.UNLINK_SHOP and status != ACTIVE and outcome != SAME:
        return Code.ACCOUNT_NOT_ACTIVE
    return outcome


def shop_in(world, link_state: str, rival_shop) -> Shop:
    return {NEVER: world.spare, HERE: world.shop, ELSEWHERE: rival_shop, BEFORE: world.former}[
        link_state
    ]


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("link_state", [NEVER, HERE, ELSEWHERE, BEFORE])
@pytest.mark.parametrize("action", LINK_ACTIONS)
def test_link_action_in_link_state_and_account_status(world, action, link_state, status):
    rival = SellerAccount.objects.create(sandbox=world.sandbox, display_name="Rival")
    rival_shop = Shop.objects.create(sandbox=world.sandbox, name="Rival shop")
    link_shop(actor=world.actor, account=rival, shop=rival_shop)
    drive_to(world, status)
    shop = shop_in(world, link_state, rival_shop)
    service = {
        Action.LINK_SHOP: link_shop,
        Action.RELINK_SHOP: relink_shop,
        Action.UNLINK_SHOP: lambda **kw: unlink_shop(confirmed=True, **kw),
    }[action]
    call = lambda: service(actor=world.actor, account=world.account, shop=shop)  # noqa: E731
    outcome = expected(action, link_state, status)
    before, count = snapshot(world), len(events(world.sandbox))
    if isinstance(outcome, Code):
        refused(world, outcome, call, action)
        return
    call()
    new = events(world.sandbox)[count:]
    if outcome == SAME:
        assert (new, snapshot(world)) == ([], before)
        return
    linked = shop.links.filter(unlinked_at=None, account=world.account).exists()
    assert linked == (action != Action.UNLINK_SHOP)
    recorded = Action.RELINK_SHOP if link_state == BEFORE else action  # linking again is a relink
    assert [(e.action, e.subject_id, e.after) for e in new] == [
        (recorded, shop.pk, "linked" if linked else "unlinked")
    ]
