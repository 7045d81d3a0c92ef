"""Account type (RULEBOOK §4) and temporary deactivation (§5)."""

import pytest

from accounts.types import AccountType, Category
from lifecycle.errors import Code, LifecycleError
from lifecycle.services import deactivate_account, reactivate_account, switch_account_type
from lifecycle.transitions import Action
from shops.models import CampaignStatus
from tests.shops.factories import CampaignFactory

from .helpers import assert_refused, drive_to, events, last_event, snapshot


def switch(world, account_type, category=""):
    return switch_account_type(
        actor=world.actor, account=world.account, account_type=account_type, category=category
    )


@pytest.mark.parametrize(
    ("account_type", "category", "code"),
    [
        ("influencer", "", Code.UNKNOWN_TYPE),
        ("creator", "", Code.CATEGORY_REQUIRED),
        ("business", None, Code.CATEGORY_REQUIRED),
        ("creator", "astrology", Code.UNKNOWN_CATEGORY),
        ("personal", "art", Code.CATEGORY_NOT_ALLOWED),
    ],
)
def test_a_switch_needs_a_known_type_and_a_category_exactly_when_the_type_has_one(
    world, account_type, category, code
):
    before, count = snapshot(world), len(events(world.sandbox))
    with pytest.raises(LifecycleError) as err:
        switch(world, account_type, category)
    assert_refused(err, code, world, before, action=Action.SWITCH_TYPE, count=count)
    assert last_event(world.sandbox).subject_type == "account_type"


def test_switching_records_what_is_gained_and_lost(world):
    switch(world, AccountType.BUSINESS, Category.FITNESS)
    world.refresh()
    assert (world.account.account_type, world.account.category) == ("business", "fitness")
    event = last_event(world.sandbox)
    assert (event.before, event.after) == ("personal", "business")
    assert "Ad campaigns" in event.params["gained"]
    assert event.params["lost"] == ["Full music library"]
    assert event.params["category"] == "fitness"


def test_a_new_category_alone_is_a_switch_too(world):
    switch(world, AccountType.CREATOR, Category.ART)
    switch(world, AccountType.CREATOR, Category.PETS)
    assert world.refresh().account.category == "pets"
    event = last_event(world.sandbox)
    assert (event.before, event.after, event.params["gained"]) == ("creator", "creator", [])


def test_the_same_type_and_category_again_changes_nothing(world):
    switch(world, AccountType.CREATOR, Category.ART)
    count = len(events(world.sandbox))
    switch(world, AccountType.CREATOR, Category.ART)
    deactivate_account(actor=world.actor, account=world.account)
    count += 1
    switch(world, AccountType.CREATOR, Category.ART)  # even when it could not switch now
    assert len(events(world.sandbox)) == count


def test_losing_business_pauses_active_campaigns_and_deletes_nothing(world):
    switch(world, AccountType.BUSINESS, Category.ART)
    running = CampaignFactory(account=world.account, shop=world.shop, status=CampaignStatus.ACTIVE)
    ended = CampaignFactory(account=world.account, shop=world.shop, status=CampaignStatus.ENDED)
    switch(world, AccountType.CREATOR, Category.ART)
    running.refresh_from_db()
    ended.refresh_from_db()
    assert (running.status, ended.status) == ("paused", "ended")
    # The switch names the campaigns it paused; each pause is its own event after it.
    switched, paused = events(world.sandbox)[-2:]
    assert switched.params["paused_campaigns"] == [running.pk]
    assert (paused.action, paused.subject_id) == (Action.PAUSE_CAMPAIGN, running.pk)
    assert world.account.products.count() == 1


def test_business_to_business_keeps_campaigns_running(world):
    switch(world, AccountType.BUSINESS, Category.ART)
    running = CampaignFactory(account=world.account, shop=world.shop, status=CampaignStatus.ACTIVE)
    switch(world, AccountType.BUSINESS, Category.TECH)
    running.refresh_from_db()
    assert running.status == "active"


def test_deactivate_then_reactivate(world):
    deactivate_account(actor=world.actor, account=world.account)
    assert world.refresh().account.status == "deactivated"
    reactivate_account(actor=world.actor, account=world.account.pk)
    assert world.refresh().account.status == "active"
    assert [(e.action, e.before, e.after) for e in events(world.sandbox)[-2:]] == [
        (Action.DEACTIVATE, "active", "deactivated"),
        (Action.REACTIVATE, "deactivated", "active"),
    ]


def test_refusals_say_what_state_the_account_is_in(world):
    drive_to(world, "deletion_requested")
    with pytest.raises(LifecycleError) as err:
        reactivate_account(actor=world.actor, account=world.account)
    assert err.value.message == (
        "The account is deletion requested: only deactivated accounts can be reactivated."
    )
    with pytest.raises(LifecycleError) as err:
        switch(world, AccountType.CREATOR, Category.ART)
    assert err.value.code == Code.ACCOUNT_NOT_ACTIVE and "deletion requested" in err.value.message
