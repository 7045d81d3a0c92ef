"""Shipping and cancelling orders (RULEBOOK §2): the order's own small machine."""

from accounts.models import SellerAccount
from lifecycle.core import Actor, check_actor, lifecycle_service, lock_account, record, refuse
from lifecycle.errors import Code
from lifecycle.transitions import COMMERCE, Action
from shops.models import Order, OrderStatus

from .checks import check_shop_linked, check_status


def _lock_order(order: Order | int) -> tuple[SellerAccount, Order]:
    pk = order.pk if isinstance(order, Order) else order
    account = lock_account(Order.objects.values_list("account_id", flat=True).get(pk=pk))
    return account, Order.objects.select_for_update().get(pk=pk)


@lifecycle_service(Action.SHIP_ORDER)
def ship_order(*, actor: Actor, order: Order | int, tracking_number: str) -> Order:
    """Mark an order shipped with its tracking number; the customer's parcel is on its way."""
    account, order = _lock_order(order)
    context = {"account": account, "subject": order, "machine": "order", "state": order.status}
    check_actor(actor, COMMERCE[Action.SHIP_ORDER], account)
    tracking_number = (tracking_number or "").strip()
    if order.status == OrderStatus.SHIPPED and order.tracking_number == tracking_number:
        return order  # shipped already with this number: a double click changes nothing
    check_status(account, Action.SHIP_ORDER, context)
    if order.status != OrderStatus.AWAITING_SHIPMENT:
        refuse(
            Code.INVALID_STATE,
            f"Order #{order.number} is {order.get_status_display().lower()}: only orders "
            "awaiting shipment can be shipped.",
            **context,
        )
    if not tracking_number:
        refuse(
            Code.INPUT_REQUIRED,
            "Enter the carrier's tracking number so the customer can follow the parcel.",
            **context,
        )
    check_shop_linked(account, order.shop_id, context)
    order.status = OrderStatus.SHIPPED
    order.tracking_number = tracking_number[:40]
    order.shipped_at = account.sandbox.now()
    order.save(update_fields=["status", "tracking_number", "shipped_at"])
    record(
        actor=actor,
        action=Action.SHIP_ORDER,
        subject=order,
        machine="order",
        before=OrderStatus.AWAITING_SHIPMENT,
        after=OrderStatus.SHIPPED,
        account=account,
        params={"order": order.number, "tracking_number": order.tracking_number},
    )
    return order


@lifecycle_service(Action.CANCEL_ORDER)
def cancel_order(*, actor: Actor, order: Order | int) -> Order:
    """Cancel an order that has not shipped yet."""
    account, order = _lock_order(order)
    context = {"account": account, "subject": order, "machine": "order", "state": order.status}
    check_actor(actor, COMMERCE[Action.CANCEL_ORDER], account)
    if order.status == OrderStatus.CANCELLED:
        return order
    check_status(account, Action.CANCEL_ORDER, context)
    if order.status != OrderStatus.AWAITING_SHIPMENT:
        refuse(
            Code.INVALID_STATE,
            f"Order #{order.number} is {order.get_status_display().lower()}: a parcel on its "
            "way cannot be cancelled.",
            **context,
        )
    check_shop_linked(account, order.shop_id, context)
    order.status = OrderStatus.CANCELLED
    order.save(update_fields=["status"])
    record(
        actor=actor,
        action=Action.CANCEL_ORDER,
        subject=order,
        machine="order",
        before=OrderStatus.AWAITING_SHIPMENT,
        after=OrderStatus.CANCELLED,
        account=account,
        params={"order": order.number},
    )
    return order
