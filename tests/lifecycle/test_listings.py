"""Listing status and connected-app access."""

import pytest

from accounts.models import AppAuthorization, ConnectedApp
from lifecycle.errors import Code, LifecycleError
from lifecycle.services import change_listing_status, grant_app_access, remove_app_access
from lifecycle.transitions import Action
from shops.models import ListingStatus, Product
from tests.engine_guard import arranging

from .helpers import assert_refused, events, last_event, snapshot

TIKTOK, PARTNER = ConnectedApp.TIKTOK_FOR_BUSINESS, ConnectedApp.ANALYTICS_PARTNER


def refused(world, code, call, action):
    before, count = snapshot(world), len(events(world.sandbox))
    with pytest.raises(LifecycleError) as err:
        call()
    assert_refused(err, code, world, before, action=action, count=count)


def listing(world, status, product=None):
    return change_listing_status(actor=world.actor, product=product or world.product, status=status)


@pytest.mark.parametrize("status", [ListingStatus.SOLD_OUT, ListingStatus.REMOVED])
def test_a_listing_can_be_paused_and_listed_again(world, status):
    assert listing(world, status).listing_status == status
    assert listing(world, ListingStatus.ACTIVE).listing_status == "active"
    assert [(e.before, e.after) for e in events(world.sandbox, subject_type="product")] == [
        ("active", status),
        (status, "active"),
    ]


def test_a_listing_without_stock_cannot_be_made_active(world):
    with arranging():  # set-up: a product already sold out, with no stock
        empty = Product.objects.create(
            account=world.account,
            shop=world.shop,
            title="Mug",
            sku="M-1",
            price=5,
            stock=0,
            listing_status=ListingStatus.SOLD_OUT,
        )
    call = lambda: listing(world, ListingStatus.ACTIVE, empty)  # noqa: E731
    refused(world, Code.LISTING_NEEDS_STOCK, call, Action.CHANGE_LISTING)
    assert last_event(world.sandbox).before == "sold_out"


def test_a_listing_of_an_unlinked_shop_is_out_of_reach(world):
    kept = Product.objects.create(
        account=world.account, shop=world.former, title="Vase", sku="V-1", price=9, stock=3
    )
    call = lambda: listing(world, ListingStatus.SOLD_OUT, kept)  # noqa: E731
    refused(world, Code.SHOP_NOT_LINKED, call, Action.CHANGE_LISTING)
    kept.refresh_from_db()
    assert kept.listing_status == ListingStatus.ACTIVE


def test_an_unknown_listing_status_is_refused(world):
    refused(
        world, Code.UNKNOWN_LISTING_STATUS, lambda: listing(world, "hidden"), Action.CHANGE_LISTING
    )


def test_the_same_listing_status_again_changes_nothing(world):
    count = len(events(world.sandbox))
    listing(world, ListingStatus.ACTIVE)
    assert len(events(world.sandbox)) == count


def test_removing_and_granting_app_access_keeps_the_history(world):
    first = remove_app_access(actor=world.actor, account=world.account, app=TIKTOK)
    assert first.revoked_at is not None and not first.is_active
    again = remove_app_access(actor=world.actor, account=world.account, app=TIKTOK)
    assert again == first  # removed already: nothing new
    second = grant_app_access(actor=world.actor, account=world.account, app=TIKTOK, scopes="read")
    assert second.pk != first.pk and second.is_active
    assert grant_app_access(actor=world.actor, account=world.account, app=TIKTOK) == second
    assert AppAuthorization.objects.filter(account=world.account, app=TIKTOK).count() == 2
    app_events = events(world.sandbox, subject_type=f"app:{TIKTOK}")
    assert [(e.action, e.before, e.after) for e in app_events] == [
        (Action.GRANT_APP_ACCESS, "disconnected", "connected"),
        (Action.REMOVE_APP_ACCESS, "connected", "disconnected"),
        (Action.GRANT_APP_ACCESS, "disconnected", "connected"),
    ]
    assert app_events[-1].params == {"app": TIKTOK, "authorization_id": second.pk}


def test_an_app_never_connected_has_no_access_to_remove(world):
    call = lambda: remove_app_access(actor=world.actor, account=world.account, app=PARTNER)  # noqa: E731
    refused(world, Code.APP_NOT_CONNECTED, call, Action.REMOVE_APP_ACCESS)


@pytest.mark.parametrize("service", [remove_app_access, grant_app_access], ids=lambda s: s.action)
def test_an_unknown_app_is_refused(world, service):
    call = lambda: service(actor=world.actor, account=world.account, app="spyware")  # noqa: E731
    refused(world, Code.UNKNOWN_APP, call, service.action)
