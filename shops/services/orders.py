"""Shipping and cancelling orders (RULEBOOK §2), as the order machine in
`shops.transitions.shop` declares."""

from lifecycle.core import Actor, Change, account_rows, apply, lifecycle_service, lock_owned
from lifecycle.transitions import Action, Rows
from shops.models import Order
from shops.transitions.shop import CANCEL_ORDER, SHIP_ORDER


def _ship(rows: Rows, target: str) -> Change:
    order = rows.subject
    order.tracking_number = rows.inputs["tracking_number"][:40]
    order.shipped_at = rows.now
    return Change(
        result=order,
        fields=("tracking_number", "shipped_at"),
        params={"order": order.number, "tracking_number": order.tracking_number},
    )


@lifecycle_service(Action.SHIP_ORDER)
def ship_order(*, actor: Actor, order: Order | int, tracking_number: str) -> Order:
    """Mark an order shipped with its tracking number; the customer's parcel is on its way."""
    account, order = lock_owned(Order, order)
    inputs = {"tracking_number": (tracking_number or "").strip()}
    return apply(SHIP_ORDER, account_rows(account, order, inputs=inputs), actor=actor, effect=_ship)


@lifecycle_service(Action.CANCEL_ORDER)
def cancel_order(*, actor: Actor, order: Order | int) -> Order:
    """Cancel an order that has not shipped yet."""
    account, order = lock_owned(Order, order)
    return apply(
        CANCEL_ORDER,
        account_rows(account, order),
        actor=actor,
        effect=lambda rows, target: Change(result=rows.subject, params={"order": order.number}),
    )
