"""Shipping or cancelling many orders in one step (closing a shop with 20 orders waiting).

Each order goes through its own service (`ship_order`, `cancel_order`), so each is checked by the
order machine, locked and recorded exactly as one shipped by hand; all of them run in one
transaction. An order that is refused is reported with its sentence and the others go on: a
refusal leaves nothing but its own timeline event, as it does for one order.
"""

import secrets
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from django.db import transaction

from lifecycle.core import Actor
from lifecycle.errors import LifecycleError
from shops.models import Order

from .orders import cancel_order, ship_order

# A UPU S10 item identifier, as a postal carrier's label prints it: a service indicator, an
# 8-digit serial, its check digit and the carrier's country ("LS12345678 5GB" without spaces).
SERVICE_INDICATOR, COUNTRY = "LS", "GB"
S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)


def s10_check_digit(serial: str) -> int:
    """The S10 check digit of an 8-digit serial."""
    check = 11 - sum(int(d) * w for d, w in zip(serial, S10_WEIGHTS, strict=True)) % 11
    return {10: 0, 11: 5}.get(check, check)


def carrier_tracking_number() -> str:
    """A new tracking number, as the carrier's label would give it."""
    serial = f"{secrets.randbelow(10**8):08d}"
    return f"{SERVICE_INDICATOR}{serial}{s10_check_digit(serial)}{COUNTRY}"


@dataclass
class BulkResult:
    done: list[Order] = field(default_factory=list)
    refused: list[tuple[Order, LifecycleError]] = field(default_factory=list)


def _each(orders: Iterable[Order | int], act: Callable[[Order | int], Order]) -> BulkResult:
    result = BulkResult()
    with transaction.atomic():
        for order in orders:
            try:
                result.done.append(act(order))
            except LifecycleError as err:
                found = order if isinstance(order, Order) else Order.objects.get(pk=order)
                result.refused.append((found, err))
    return result


def ship_orders(
    *,
    actor: Actor,
    orders: Iterable[Order | int],
    tracking_numbers: Mapping[int, str] | None = None,
    reason: str = "",
) -> BulkResult:
    """Ship each order with a carrier tracking number; report the ones refused.

    `tracking_numbers` (order id -> number) are the labels the confirmation showed: the same
    confirmation sent again then ships nothing twice (ship_order's repeat, same number) and
    records no refusal. An order without one gets a new number."""
    numbers = tracking_numbers or {}

    def ship(order: Order | int) -> Order:
        pk = order.pk if isinstance(order, Order) else order
        number = numbers.get(pk) or carrier_tracking_number()
        # `reason=` is taken by lifecycle_service's wrapper, not by the service's own signature.
        return ship_order(actor=actor, order=order, tracking_number=number, reason=reason)  # type: ignore[call-arg]

    return _each(orders, ship)


def cancel_orders(*, actor: Actor, orders: Iterable[Order | int], reason: str = "") -> BulkResult:
    """Cancel each order that has not shipped; report the ones refused."""
    return _each(
        orders,
        lambda order: cancel_order(actor=actor, order=order, reason=reason),  # type: ignore[call-arg]
    )
