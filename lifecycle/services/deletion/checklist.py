"""What must be done before a deletion can be requested, and the open request."""

from typing import Any

from accounts.models import SellerAccount
from lifecycle.errors import Code
from lifecycle.models import DeletionRequest
from shops.models import (
    OrderStatus,
    Shop,
)


def deletion_checklist(account: SellerAccount) -> dict[str, Any]:
    """The checklist shown before a request, and recorded with it."""
    awaiting = list(
        account.orders.awaiting_shipment().order_by("number").values_list("number", flat=True)
    )
    active_campaigns = list(account.campaigns.active().values_list("name", flat=True))
    return {
        "orders_awaiting_shipment": awaiting,
        "active_campaigns": active_campaigns,
        "data_exported": account.exports.filter(downloaded_at__isnull=False).exists(),
        "customers_notified": account.customers_notified_at is not None,
    }


def open_request(account: SellerAccount) -> DeletionRequest | None:
    return account.deletion_requests.open().first()


def _numbers(numbers: list[int]) -> str:
    shown = ", ".join(f"#{n}" for n in numbers[:5])
    return shown + (f" and {len(numbers) - 5} more" if len(numbers) > 5 else "")


def _unreachable_shops(account: SellerAccount) -> list[str]:
    """Shops not linked now that hold orders awaiting shipment: their orders are out of the
    Seller Center's reach until the shop is relinked (RULEBOOK §3)."""
    return list(
        Shop.objects.filter(orders__account=account, orders__status=OrderStatus.AWAITING_SHIPMENT)
        .exclude(pk__in=Shop.objects.linked_to(account).values("pk"))
        .distinct()
        .order_by("name")
        .values_list("name", flat=True)
    )


def deletion_blockers(
    account: SellerAccount, checklist: dict[str, Any]
) -> list[tuple[Code, str, dict[str, Any]]]:
    """The hard blocks of a deletion request (code, sentence, parameters), in the order the
    service checks them. The lifecycle map shows the first one too, so it never disagrees."""
    blockers: list[tuple[Code, str, dict[str, Any]]] = []
    awaiting = checklist["orders_awaiting_shipment"]
    if awaiting:
        orders = "1 order is" if len(awaiting) == 1 else f"{len(awaiting)} orders are"
        unreachable = _unreachable_shops(account)
        relink = (
            f"; relink {' and '.join(unreachable)} in Account Settings to reach "
            f"{'its' if len(unreachable) == 1 else 'their'} orders"
            if unreachable
            else ""
        )
        blockers.append(
            (
                Code.ORDERS_AWAITING_SHIPMENT,
                f"{orders} still awaiting shipment ({_numbers(awaiting)}): ship or cancel them "
                f"first{relink}.",
                {"orders": awaiting},
            )
        )
    campaigns = checklist["active_campaigns"]
    if campaigns:
        count = "1 campaign is" if len(campaigns) == 1 else f"{len(campaigns)} campaigns are"
        blockers.append(
            (
                Code.CAMPAIGNS_ACTIVE,
                f"{count} still running ({', '.join(campaigns[:5])}): end them first.",
                {},
            )
        )
    return blockers
