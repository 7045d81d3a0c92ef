"""Each rule fact written once (issue 19, item 5): derived facts agree with their one source.

- A transition's allowed account statuses are its gate's: the gate lets through exactly those.
- One "next unlink allowed at" for the guards and the pages.
- Every type-gated action checks the one feature gate (`lacks_feature` through `in_type`), and
  its refusal is the sentence the pages show beside a locked area.
"""

from datetime import timedelta

import pytest

from accounts.models import Sandbox, SellerAccount
from accounts.types import AccountType, Feature
from editions import registry
from lifecycle import transitions as t
from lifecycle.errors import Code
from lifecycle.selectors import shop_link_states, unlink_offer
from lifecycle.services import advance_clock, link_shop, unlink_shop
from lifecycle.services.links import next_unlink_allowed_at
from lifecycle.transitions.base import Rows, lacks_feature
from tests.rulebook import rule

ALL = (*t.TRANSITIONS, *t.OTHER_TRANSITIONS)
GATED = [tr for tr in ALL if tr.gate is not None]


def _rows(edition: str = "", **account) -> Rows:
    sandbox = Sandbox(edition=edition or registry.default_key())
    row = SellerAccount(sandbox=sandbox, **account)
    return Rows(sandbox=sandbox, account=row, subject=row)


def test_about_thirty_transitions_take_their_statuses_from_their_gate():
    assert len(GATED) >= 30
    assert all(tr.account_statuses for tr in GATED)
    assert all(not tr.account_statuses for tr in ALL if tr.gate is None)


@pytest.mark.parametrize("transition", GATED, ids=lambda tr: tr.key)
def test_the_gate_lets_through_exactly_the_derived_statuses(transition):
    for status in t.ACCOUNT_STATES:
        refusal = transition.gate(_rows(status=status))
        assert (refusal is None) == (status in transition.account_statuses), status
        if refusal is not None:
            assert refusal.code in (Code.ACCOUNT_NOT_ACTIVE, Code.ACCOUNT_DELETED)


def _feature_guards(transition):
    return [g for g in transition.guards if hasattr(g, "feature")]


FEATURE_GATED = {tr.key: _feature_guards(tr) for tr in ALL if _feature_guards(tr)}


def test_every_type_gated_action_uses_the_one_feature_gate():
    assert set(FEATURE_GATED) == {
        t.Action.CREATE_CAMPAIGN,
        t.Action.START_CAMPAIGN,
        t.Action.ADD_PRODUCT_LINK,
        t.Action.REMOVE_PRODUCT_LINK,
        t.Action.SCHEDULE_LIVE,
        t.Action.CANCEL_LIVE,
    }
    assert all(len(guards) == 1 for guards in FEATURE_GATED.values())


TYPES_OF_EDITIONS = [
    (e.key, kind) for e in registry.editions().values() for kind in e.account_types
]


@pytest.mark.parametrize("key", sorted(FEATURE_GATED))
@pytest.mark.parametrize(("edition", "kind"), TYPES_OF_EDITIONS)
def test_a_feature_guard_refuses_as_the_pages_say(key, edition, kind):
    (guard,) = FEATURE_GATED[key]
    rows = _rows(edition, status=t.ACTIVE, account_type=kind)
    refusal = guard(rows)
    assert (refusal is None) == (
        guard.feature in registry.get(edition).account_types[kind].features
    )
    assert refusal == lacks_feature(rows.account, guard.feature)
    if refusal is not None:
        assert refusal.code == Code.FEATURE_NOT_IN_TYPE
        assert refusal.sentence.endswith(f"this one is {kind}: switch the account type first.")


def test_the_campaign_sentence_reads_as_before():
    rows = _rows(status=t.ACTIVE, account_type=AccountType.PERSONAL)
    assert lacks_feature(rows.account, Feature.AD_CAMPAIGNS).sentence == (
        "Ad campaigns come with a business account; this one is personal: switch the account "
        "type first."
    )


# --- One "next unlink allowed at" (RULEBOOK §3) ----------------------------------------------


def _move(world, by: timedelta) -> None:
    advance_clock(actor=world.actor, sandbox=world.sandbox, by=by)
    world.refresh()


@pytest.mark.parametrize("unlinks_before", [0, "limit"])
def test_the_pages_next_unlink_time_is_when_the_guards_let_the_unlink_through(
    world, unlinks_before
):
    shop = world.spare
    for _ in range(rule("UNLINK_LIMIT") if unlinks_before == "limit" else 0):
        link_shop(actor=world.actor, account=world.account, shop=shop)
        _move(world, rule("UNLINK_COOLDOWN") + timedelta(hours=1))
        unlink_shop(actor=world.actor, account=world.account, shop=shop, confirmed=True)
    link = link_shop(actor=world.actor, account=world.account, shop=shop)
    allowed = next_unlink_allowed_at(shop, link, world.sandbox.now())
    (state,) = [s for s in shop_link_states(world.account) if s.shop == shop]
    assert state.next_unlink_at == allowed and not state.can_unlink_now

    _move(world, allowed - world.sandbox.now() - timedelta(minutes=1))
    assert not unlink_offer(world.account, shop, link).enabled
    _move(world, timedelta(minutes=1))
    assert unlink_offer(world.account, shop, link).enabled
    (state,) = [s for s in shop_link_states(world.account) if s.shop == shop]
    assert state.can_unlink_now


# --- The admin's read-only fields come from the machines ------------------------------------


def test_every_declared_state_field_is_read_only_in_its_admin(rf):
    from django.contrib import admin

    from lifecycle.admin import SupportAdmin
    from lifecycle.transitions import state_fields

    checked = 0
    for model, model_admin in admin.site._registry.items():
        fields = state_fields(model)
        if not fields:
            continue
        assert isinstance(model_admin, SupportAdmin), model.__name__
        readonly = model_admin.get_readonly_fields(rf.get("/"), None)
        assert set(fields) <= set(readonly), model.__name__
        checked += 1
    assert checked >= 8  # accounts, links, orders, campaigns, products, exports, requests...
