"""Editing a product (title, price, stock): allowed, refused with its sentence, and recorded."""

from decimal import Decimal

import pytest

from lifecycle.errors import Code, LifecycleError
from lifecycle.models import Outcome
from lifecycle.narration import tell
from lifecycle.services import Actor, change_listing_status, deactivate_account
from lifecycle.transitions import Action
from shops.models import ListingStatus, Product
from shops.services import edit_product
from tests.engine_guard import arranging
from tests.lifecycle.helpers import assert_refused, build_world, events, snapshot


@pytest.fixture
def world(trainee):
    return build_world(trainee)


def edit(world, product=None, **changes):
    product = product or world.product
    values = {"title": product.title, "price": product.price, "stock": product.stock, **changes}
    return edit_product(actor=world.actor, product=product, **values)


def refused(world, code, call):
    before, count = snapshot(world), len(events(world.sandbox))
    kept = list(Product.objects.values_list("id", "title", "price", "stock", "listing_status"))
    with pytest.raises(LifecycleError) as err:
        call()
    assert_refused(err, code, world, before, action=Action.EDIT_PRODUCT, count=count)
    assert list(Product.objects.values_list("id", "title", "price", "stock", "listing_status")) == (
        kept
    )
    return err.value


def test_title_price_and_stock_change_with_one_event_naming_each_change(world):
    product = world.product
    old_title = product.title
    edited = edit(world, title="  Blue mug  ", price="14.90", stock=12)
    product.refresh_from_db()
    assert (product.title, product.price, product.stock) == ("Blue mug", Decimal("14.90"), 12)
    assert edited.pk == product.pk
    [event] = events(world.sandbox, action=Action.EDIT_PRODUCT)
    assert (event.outcome, event.subject_type, event.subject_id) == (
        Outcome.DONE,
        "product",
        product.pk,
    )
    assert (event.before, event.after) == ("active", "active")
    assert event.params["changes"] == {
        "title": [old_title, "Blue mug"],
        "price": ["12.50", "14.90"],
        "stock": [5, 12],
    }


def test_stock_0_sells_the_listing_out_and_restocking_puts_it_back_on_sale(world):
    product = world.product
    edit(world, stock=0)
    product.refresh_from_db()
    assert product.listing_status == ListingStatus.SOLD_OUT  # no stock: no longer on sale
    with pytest.raises(LifecycleError) as err:
        change_listing_status(actor=world.actor, product=product, status=ListingStatus.ACTIVE)
    assert err.value.code == Code.LISTING_NEEDS_STOCK
    assert "edit the product" in err.value.message.lower()
    edit(world, product, stock=3)  # stock 0 sold it out: restocked, it is back on sale
    product.refresh_from_db()
    assert (product.stock, product.listing_status) == (3, ListingStatus.ACTIVE)
    stock_events = events(world.sandbox, action__in=[Action.EDIT_PRODUCT, Action.CHANGE_LISTING])
    assert [(e.action, e.outcome, e.before, e.after) for e in stock_events] == [
        (Action.EDIT_PRODUCT, Outcome.DONE, "active", "active"),
        (Action.CHANGE_LISTING, Outcome.DONE, "active", "sold_out"),
        (Action.CHANGE_LISTING, Outcome.REFUSED, "sold_out", "sold_out"),
        (Action.EDIT_PRODUCT, Outcome.DONE, "sold_out", "sold_out"),
        (Action.CHANGE_LISTING, Outcome.DONE, "sold_out", "active"),
    ]


def test_a_listing_the_seller_marked_sold_out_stays_sold_out_when_restocked(world):
    product = world.product
    change_listing_status(actor=world.actor, product=product, status=ListingStatus.SOLD_OUT)
    edit(world, product, stock=0)
    edit(world, product, stock=4)
    product.refresh_from_db()
    assert (product.stock, product.listing_status) == (4, ListingStatus.SOLD_OUT)
    assert len(events(world.sandbox, action=Action.CHANGE_LISTING)) == 1  # the seller's own


def test_the_same_values_again_change_nothing_and_record_nothing(world):
    count = len(events(world.sandbox))
    edit(world)
    edit(world, price=str(world.product.price), title=f" {world.product.title}")
    assert len(events(world.sandbox)) == count


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"title": "   "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"price": "-1"}, "price"),
        ({"price": "abc"}, "price"),
        ({"price": "1.999"}, "price"),
        ({"price": "123456789.00"}, "price"),
        ({"stock": -2}, "stock"),
        ({"stock": "2.5"}, "stock"),
        ({"stock": ""}, "stock"),
    ],
)
def test_bad_values_are_refused_with_what_to_enter(world, changes, field):
    err = refused(world, Code.INPUT_REQUIRED, lambda: edit(world, **changes))
    assert field in err.message.lower()


def test_a_product_of_an_unlinked_shop_cannot_be_edited(world):
    kept = Product.objects.create(
        account=world.account, shop=world.former, title="Vase", sku="V-1", price=9, stock=3
    )
    err = refused(world, Code.SHOP_NOT_LINKED, lambda: edit(world, kept, stock=4))
    assert world.former.name in err.message


def test_a_deactivated_account_can_still_edit_its_products(world):
    deactivate_account(actor=world.actor, account=world.account)
    assert edit(world, price="20.00").price == Decimal("20.00")


def test_a_deleted_account_cannot_edit(world):
    with arranging():
        type(world.account).objects.filter(pk=world.account.pk).update(status="deleted")
    refused(world, Code.ACCOUNT_DELETED, lambda: edit(world, stock=9))


def test_another_trainee_cannot_edit(world, other_trainee):
    with pytest.raises(LifecycleError) as err:
        edit_product(
            actor=Actor.trainee(other_trainee),
            product=world.product,
            title="Mine",
            price="1.00",
            stock=1,
        )
    assert err.value.code == Code.NOT_YOUR_SANDBOX


def test_the_timeline_tells_each_change_in_words(world):
    edit(world, price="14.90", stock=0)
    [event] = events(world.sandbox, action=Action.EDIT_PRODUCT)
    told = tell(event)
    assert told.change == ""  # the edit leaves the status; the sold-out is the next event
    assert told.effects == ["price $12.50 → $14.90", "stock 5 → 0"]
    [sold_out] = events(world.sandbox, action=Action.CHANGE_LISTING)
    told = tell(sold_out)
    assert told.change == "Active → Sold out"
    assert told.effects == ["caused by: edit product"]
