"""The dashboard's counts of what needs attention."""

from django.db.models import Count, Q

from accounts.models import SellerAccount
from lifecycle.models import ExportJob, ExportStatus
from shops.models import (
    Inquiry,
    ListingStatus,
    Order,
    OrderStatus,
    Shop,
)


def dashboard_counts(account: SellerAccount) -> dict[str, int]:
    """What needs attention, in a few aggregate queries. Orders, campaigns and listings count
    for the shops linked now only: an unlinked shop's tools are out of reach (RULEBOOK §3), and
    each card links to a page that lists exactly what it counts."""
    linked = Shop.objects.linked_to(account).values("pk")
    orders = Order.objects.filter(account=account, shop_id__in=linked).aggregate(
        awaiting=Count("pk", filter=Q(status=OrderStatus.AWAITING_SHIPMENT)),
        total=Count("pk"),
    )
    inquiries = Inquiry.objects.filter(account=account).aggregate(
        unanswered=Count("pk", filter=Q(replied_at__isnull=True))
    )
    campaigns = account.campaigns.filter(shop_id__in=linked).aggregate(
        active=Count("pk", filter=Q(status="active"))
    )
    exports = ExportJob.objects.filter(account=account).aggregate(
        ready=Count("pk", filter=Q(status=ExportStatus.READY)),
        failed=Count("pk", filter=Q(status=ExportStatus.FAILED)),
        running=Count("pk", filter=Q(status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING])),
    )
    products = account.products.filter(shop_id__in=linked).aggregate(
        active=Count("pk", filter=Q(listing_status=ListingStatus.ACTIVE)),
        sold_out=Count("pk", filter=Q(listing_status=ListingStatus.SOLD_OUT)),
    )
    return {
        "orders_awaiting": orders["awaiting"],
        "orders_total": orders["total"],
        "inquiries_unanswered": inquiries["unanswered"],
        "campaigns_active": campaigns["active"],
        "exports_ready": exports["ready"],
        "exports_failed": exports["failed"],
        "exports_running": exports["running"],
        "products_active": products["active"],
        "products_sold_out": products["sold_out"],
    }
