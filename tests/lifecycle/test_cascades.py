"""A change that moves another subject's state does it through that subject's declared
transition, with its own event right after the one that caused it, naming it (`params.cause`).

Each flow is checked by the ordered list of events it writes: (action, subject, before, after,
cause). Campaigns are made and started through the services, so every state is on the record.
"""

import pytest
from django.db import transaction

from accounts.transitions.account import DEACTIVATE
from accounts.types import AccountType, Category
from lifecycle.core import CascadeRefused, Caused, Change, account_rows, apply, lock_account
from lifecycle.models import Outcome
from lifecycle.services import (
    advance_clock,
    confirm_deletion,
    create_campaign,
    link_shop,
    run_due_work,
    start_campaign,
    switch_account_type,
    unlink_shop,
)
from lifecycle.transitions import Action
from shops.models import Campaign, CampaignStatus, ListingStatus
from shops.services import edit_product
from shops.transitions.shop import PAUSE_CAMPAIGN
from tests.rulebook import rule

from .helpers import build_world, events, past, request, snapshot


@pytest.fixture
def world(trainee):
    return build_world(trainee)


def business_with_campaigns(world, *shops):
    """A business account with one running campaign on each of `shops`, all by the services."""
    switch_account_type(
        actor=world.actor,
        account=world.account,
        account_type=AccountType.BUSINESS,
        category=Category.ART,
    )
    running = []
    for i, shop in enumerate(shops):
        campaign = create_campaign(
            actor=world.actor, account=world.account, shop=shop, name=f"Spring {i}", budget="50"
        )
        running.append(start_campaign(actor=world.actor, campaign=campaign))
    return running


def written_since(world, count):
    """The events written since `count`: (action, subject, before, after, cause)."""
    return [
        (e.action, (e.subject_type, e.subject_id), e.before, e.after, e.params.get("cause"))
        for e in events(world.sandbox)[count:]
    ]


def caused_by(world, count, action):
    """The cause each caused event names: the first event written since `count`."""
    first = events(world.sandbox)[count]
    assert first.action == action
    return {"action": action, "event_id": first.pk}


def test_a_type_switch_pauses_two_active_campaigns_each_with_its_own_event(world):
    one, two = business_with_campaigns(world, world.shop, world.shop)
    count = len(events(world.sandbox))
    switch_account_type(
        actor=world.actor,
        account=world.account,
        account_type=AccountType.CREATOR,
        category=Category.ART,
    )
    cause = caused_by(world, count, Action.SWITCH_TYPE)
    assert written_since(world, count) == [
        (Action.SWITCH_TYPE, ("account_type", world.account.pk), "business", "creator", None),
        (Action.PAUSE_CAMPAIGN, ("campaign", one.pk), "active", "paused", cause),
        (Action.PAUSE_CAMPAIGN, ("campaign", two.pk), "active", "paused", cause),
    ]
    assert set(Campaign.objects.values_list("status", flat=True)) == {CampaignStatus.PAUSED}
    # The campaign's own history has no gap: draft → active → paused, then resumed from paused.
    switch_account_type(
        actor=world.actor,
        account=world.account,
        account_type=AccountType.BUSINESS,
        category=Category.ART,
    )
    start_campaign(actor=world.actor, campaign=one)
    history = events(world.sandbox, subject_type="campaign", subject_id=one.pk)
    assert [(e.before, e.after) for e in history] == [
        ("none", "draft"),
        ("draft", "active"),
        ("active", "paused"),
        ("paused", "active"),
    ]


def test_a_staff_switch_pauses_under_the_staff_name_and_reason(world, as_staff):
    [running] = business_with_campaigns(world, world.shop)
    switch_account_type(
        actor=as_staff, account=world.account, account_type=AccountType.PERSONAL, category=""
    )
    paused = events(world.sandbox)[-1]
    assert (paused.action, paused.subject_id, paused.actor_kind) == (
        Action.PAUSE_CAMPAIGN,
        running.pk,
        "staff",
    )
    assert paused.params["reason"] == as_staff.reason


def test_an_unlink_pauses_the_shops_running_campaign_after_its_own_event(world):
    link_shop(actor=world.actor, account=world.account, shop=world.spare)
    advance_clock(actor=world.actor, sandbox=world.sandbox, by=past(rule("UNLINK_COOLDOWN")))
    here, elsewhere = business_with_campaigns(world, world.shop, world.spare)
    count = len(events(world.sandbox))
    unlink_shop(actor=world.actor, account=world.account, shop=world.shop, confirmed=True)
    cause = caused_by(world, count, Action.UNLINK_SHOP)
    assert written_since(world, count) == [
        (Action.UNLINK_SHOP, ("shop", world.shop.pk), "linked", "unlinked", None),
        (Action.PAUSE_CAMPAIGN, ("campaign", here.pk), "active", "paused", cause),
    ]
    elsewhere.refresh_from_db()
    assert elsewhere.status == CampaignStatus.ACTIVE  # another shop's campaign runs on


def test_stock_0_sells_out_and_a_restock_puts_the_listing_back_on_sale(world):
    product = world.product
    values = {"title": product.title, "price": product.price}
    count = len(events(world.sandbox))
    edit_product(actor=world.actor, product=product, stock=0, **values)
    sold_out = caused_by(world, count, Action.EDIT_PRODUCT)
    middle = len(events(world.sandbox))
    edit_product(actor=world.actor, product=product, stock=7, **values)
    restocked = caused_by(world, middle, Action.EDIT_PRODUCT)
    subject = ("product", product.pk)
    assert written_since(world, count) == [
        (Action.EDIT_PRODUCT, subject, "active", "active", None),
        (Action.CHANGE_LISTING, subject, "active", "sold_out", sold_out),
        (Action.EDIT_PRODUCT, subject, "sold_out", "sold_out", None),
        (Action.CHANGE_LISTING, subject, "sold_out", "active", restocked),
    ]
    product.refresh_from_db()
    assert (product.stock, product.listing_status) == (7, ListingStatus.ACTIVE)


def test_finalization_ends_two_links_each_with_its_own_event(world):
    link_shop(actor=world.actor, account=world.account, shop=world.spare)
    request(world)
    confirm_deletion(actor=world.actor, token=world.token())
    advance_clock(actor=world.actor, sandbox=world.sandbox, by=past(rule("DELETION_GRACE")))
    count = len(events(world.sandbox))
    run_due_work(sandbox=world.sandbox)
    written = written_since(world, count)
    finalized = next(i for i, e in enumerate(written) if e[0] == Action.FINALIZE_DELETION)
    cause = caused_by(world, count + finalized, Action.FINALIZE_DELETION)
    assert written[finalized:] == [
        (
            Action.FINALIZE_DELETION,
            ("account", world.account.pk),
            "deletion_scheduled",
            "deleted",
            None,
        ),
        (Action.UNLINK_SHOP, ("shop", world.shop.pk), "linked", "unlinked", cause),
        (Action.UNLINK_SHOP, ("shop", world.spare.pk), "linked", "unlinked", cause),
    ]
    ended = events(world.sandbox)[-2:]
    assert all(e.outcome == Outcome.DONE and e.actor_kind == "job" for e in ended)
    assert all(e.scrubbed for e in ended)  # about a deleted account: scrubbed as written
    assert not world.account.shop_links.filter(unlinked_at=None).exists()


def test_a_caused_move_the_declaration_refuses_rolls_the_whole_action_back(world):
    [running] = business_with_campaigns(world, world.shop)
    draft = create_campaign(
        actor=world.actor, account=world.account, shop=world.shop, name="Draft", budget="5"
    )
    before, count = snapshot(world), len(events(world.sandbox))

    def deactivate_and_pause_a_draft(rows, target):
        draft_rows = account_rows(rows.account, Campaign.objects.get(pk=draft.pk))
        return Change(result=rows.account, caused=(Caused(PAUSE_CAMPAIGN, draft_rows),))

    refused = pytest.raises(CascadeRefused, match="pause_campaign caused by deactivate")
    with refused, transaction.atomic():
        account = lock_account(world.account)
        apply(
            DEACTIVATE,
            account_rows(account),
            actor=world.actor,
            effect=deactivate_and_pause_a_draft,
        )
    assert (snapshot(world), len(events(world.sandbox))) == (before, count)
    running.refresh_from_db()
    assert running.status == CampaignStatus.ACTIVE
