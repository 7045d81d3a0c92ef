"""The dashboard's counts of what needs attention."""

from accounts.models import SellerAccount
from lifecycle.counting import counts
from lifecycle.models import ExportJob, ExportStatus
from shops.models import (
    Inquiry,
    ListingStatus,
    Order,
    OrderStatus,
    Shop,
)


def dashboard_counts(account: SellerAccount) -> dict[str, int]:
    """What needs attention, in one query. Orders, campaigns and listings count for the shops
    linked now only: an unlinked shop's tools are out of reach (RULEBOOK §3), and each card
    links to a page that lists exactly what it counts."""
    linked = Shop.objects.linked_to(account).values("pk")
    orders = Order.objects.filter(account=account, shop_id__in=linked)
    exports = ExportJob.objects.filter(account=account)
    products = account.products.filter(shop_id__in=linked)
    return counts(
        account,
        orders_awaiting=orders.filter(status=OrderStatus.AWAITING_SHIPMENT),
        orders_total=orders,
        inquiries_unanswered=Inquiry.objects.filter(account=account, replied_at__isnull=True),
        campaigns_active=account.campaigns.filter(shop_id__in=linked, status="active"),
        exports_ready=exports.filter(status=ExportStatus.READY),
        exports_failed=exports.filter(status=ExportStatus.FAILED),
        exports_running=exports.filter(status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING]),
        products_active=products.filter(listing_status=ListingStatus.ACTIVE),
        products_sold_out=products.filter(listing_status=ListingStatus.SOLD_OUT),
        linked_shops=Shop.objects.linked_to(account),
    )
