"""Shipping and cancelling many orders at once: the same services, per order, in one step."""

import re

import pytest

from lifecycle.errors import Code
from lifecycle.models import Outcome, TimelineEvent
from lifecycle.services import Actor, link_shop
from lifecycle.transitions import Action
from shops.models import OrderStatus
from shops.services import cancel_orders, ship_orders
from shops.services.orders_bulk import carrier_tracking_number, s10_check_digit
from tests.accounts.factories import SellerAccountFactory
from tests.shops.factories import OrderFactory, ShopFactory


@pytest.fixture
def account(trainee):
    return SellerAccountFactory(sandbox__owner=trainee)


@pytest.fixture
def shop(account, as_trainee):
    shop = ShopFactory(sandbox=account.sandbox)
    link_shop(actor=as_trainee, account=account, shop=shop)
    return shop


def make(account, shop, n, status=OrderStatus.AWAITING_SHIPMENT):
    return [OrderFactory(account=account, shop=shop, status=status) for _ in range(n)]


def done_events(action):
    return list(
        TimelineEvent.objects.filter(action=action, outcome=Outcome.DONE)
        .order_by("id")
        .values_list("subject_id", "before", "after")
    )


def test_every_selected_order_is_shipped_with_its_own_carrier_number(as_trainee, account, shop):
    orders = make(account, shop, 3)
    result = ship_orders(actor=as_trainee, orders=[o.pk for o in orders])
    assert [o.pk for o in result.done] == [o.pk for o in orders]
    assert result.refused == []
    numbers = set()
    for order in orders:
        order.refresh_from_db()
        assert order.status == OrderStatus.SHIPPED
        assert re.fullmatch(r"LS\d{9}GB", order.tracking_number), order.tracking_number
        numbers.add(order.tracking_number)
    assert len(numbers) == 3
    # One event per order, written by the order's own service.
    assert done_events(Action.SHIP_ORDER) == [
        (o.pk, "awaiting_shipment", "shipped") for o in orders
    ]


def test_an_order_that_cannot_ship_is_reported_and_the_others_still_ship(as_trainee, account, shop):
    waiting = make(account, shop, 2)
    cancelled = make(account, shop, 1, OrderStatus.CANCELLED)[0]
    result = ship_orders(actor=as_trainee, orders=[waiting[0].pk, cancelled.pk, waiting[1].pk])
    assert [o.pk for o in result.done] == [waiting[0].pk, waiting[1].pk]
    [(order, error)] = result.refused
    assert order.pk == cancelled.pk
    assert error.code == Code.INVALID_STATE
    assert f"#{cancelled.number}" in error.message
    cancelled.refresh_from_db()
    assert cancelled.status == OrderStatus.CANCELLED
    refusal = TimelineEvent.objects.get(action=Action.SHIP_ORDER, outcome=Outcome.REFUSED)
    assert refusal.subject_id == cancelled.pk


def test_bulk_cancel_goes_through_cancel_order_and_reports_shipped_ones(as_trainee, account, shop):
    waiting = make(account, shop, 2)
    shipped = make(account, shop, 1, OrderStatus.SHIPPED)[0]
    result = cancel_orders(actor=as_trainee, orders=[o.pk for o in [*waiting, shipped]])
    assert len(result.done) == 2 and [o.pk for o, _ in result.refused] == [shipped.pk]
    assert "cannot be cancelled" in result.refused[0][1].message
    assert done_events(Action.CANCEL_ORDER) == [
        (o.pk, "awaiting_shipment", "cancelled") for o in waiting
    ]


def test_orders_of_another_account_are_not_touched(as_trainee, account, shop, other_trainee):
    other = SellerAccountFactory(sandbox__owner=other_trainee)
    foreign = OrderFactory(
        account=other, shop=ShopFactory(sandbox=other.sandbox), status=OrderStatus.AWAITING_SHIPMENT
    )
    result = ship_orders(actor=as_trainee, orders=[foreign.pk])
    assert result.done == []
    assert result.refused[0][1].code == Code.NOT_YOUR_SANDBOX
    foreign.refresh_from_db()
    assert foreign.status == OrderStatus.AWAITING_SHIPMENT


def test_a_repeat_of_the_same_bulk_ship_changes_nothing_twice(as_trainee, account, shop):
    orders = make(account, shop, 2)
    ship_orders(actor=as_trainee, orders=[o.pk for o in orders])
    again = ship_orders(actor=as_trainee, orders=[o.pk for o in orders])
    assert again.done == [] and len(again.refused) == 2
    assert len(done_events(Action.SHIP_ORDER)) == 2


def test_the_staff_reason_travels_onto_every_event(account, shop, staff_user):
    orders = make(account, shop, 2)
    staff = Actor.staff(staff_user, reason="Seller asked by phone")
    ship_orders(actor=staff, orders=[o.pk for o in orders])
    reasons = TimelineEvent.objects.filter(action=Action.SHIP_ORDER).values_list(
        "params__reason", flat=True
    )
    assert list(reasons) == ["Seller asked by phone"] * 2


def test_the_carrier_number_has_the_s10_check_digit():
    assert s10_check_digit("47312482") == 9  # the UPU S10 standard's own example
    for _ in range(50):
        number = carrier_tracking_number()
        assert s10_check_digit(number[2:10]) == int(number[10])
