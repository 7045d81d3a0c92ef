"""The deletion checklist's facts and the sentences of the two blockers (RULEBOOK §5).

The guards that read them, with their checklist rows, are declared in `deletion`.
"""

from typing import Any

from lifecycle.errors import Code
from shops.models import Shop

from .base import Refusal


def deletion_checklist(account) -> dict[str, Any]:
    """The checklist shown before a request, and recorded with it."""
    awaiting = account.orders.awaiting_shipment().order_by("number")
    awaiting = list(awaiting.values_list("number", flat=True))
    return {
        "orders_awaiting_shipment": awaiting,
        "active_campaigns": list(account.campaigns.active().values_list("name", flat=True)),
        "data_exported": account.exports.filter(downloaded_at__isnull=False).exists(),
        "customers_notified": account.customers_notified_at is not None,
    }


def _numbers(numbers: list[int]) -> str:
    shown = ", ".join(f"#{n}" for n in numbers[:5])
    return shown + (f" and {len(numbers) - 5} more" if len(numbers) > 5 else "")


def _unreachable_shops(account) -> list[str]:
    """Shops not linked now that hold orders awaiting shipment: their orders are out of the
    Seller Center's reach until the shop is relinked (RULEBOOK §3)."""
    return list(
        Shop.objects.filter(orders__account=account, orders__status="awaiting_shipment")
        .exclude(pk__in=Shop.objects.linked_to(account).values("pk"))
        .distinct()
        .order_by("name")
        .values_list("name", flat=True)
    )


def orders_blocker(account, checklist: dict[str, Any]) -> Refusal | None:
    awaiting = checklist["orders_awaiting_shipment"]
    if not awaiting:
        return None
    orders = "1 order is" if len(awaiting) == 1 else f"{len(awaiting)} orders are"
    # Kept with the facts it follows from: the close page asks this guard for its checklist row
    # and again for the request's offer, on the same facts. Only a refused request reads it, so
    # it never reaches the checklist a request records.
    if "_unreachable_shops" not in checklist:
        checklist["_unreachable_shops"] = _unreachable_shops(account)
    unreachable = checklist["_unreachable_shops"]
    relink = (
        f"; relink {' and '.join(unreachable)} in Account Settings to reach "
        f"{'its' if len(unreachable) == 1 else 'their'} orders"
        if unreachable
        else ""
    )
    return Refusal(
        Code.ORDERS_AWAITING_SHIPMENT,
        f"{orders} still awaiting shipment ({_numbers(awaiting)}): ship or cancel "
        f"{'it' if len(awaiting) == 1 else 'them'} first{relink}.",
        params={"orders": awaiting},
    )


def campaigns_blocker(account, checklist: dict[str, Any]) -> Refusal | None:
    campaigns = checklist["active_campaigns"]
    if not campaigns:
        return None
    count = "1 campaign is" if len(campaigns) == 1 else f"{len(campaigns)} campaigns are"
    return Refusal(
        Code.CAMPAIGNS_ACTIVE,
        f"{count} still running ({', '.join(campaigns[:5])}): end "
        f"{'it' if len(campaigns) == 1 else 'them'} first.",
    )
