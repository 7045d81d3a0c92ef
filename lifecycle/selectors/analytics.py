"""Analytics computed from orders, never stored."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import TruncDate

from accounts.models import SellerAccount
from accounts.types import Feature, has_feature
from editions import registry as editions
from lifecycle.counting import counts
from lifecycle.money import amount
from shops.models import (
    Customer,
    Order,
    OrderLine,
    OrderStatus,
    Shop,
)

LINE_TOTAL = ExpressionWrapper(
    F("quantity") * F("unit_price"), output_field=DecimalField(max_digits=14, decimal_places=2)
)


def analytics(account: SellerAccount, *, days: int = 30) -> dict[str, Any]:
    """Revenue per day, top products and repeat customers of the shops linked now."""
    shops = Shop.objects.linked_to(account).values("pk")  # a subquery of each query below
    now = account.sandbox.now()
    since = now - timedelta(days=days - 1)
    counted = Q(order__account=account, order__shop_id__in=shops) & ~Q(
        order__status=OrderStatus.CANCELLED
    )
    per_day = dict(
        OrderLine.objects.filter(counted, order__placed_at__date__gte=since.date())
        .annotate(day=TruncDate("order__placed_at"))
        .values("day")
        .annotate(revenue=Sum(LINE_TOTAL))
        .values_list("day", "revenue")
    )
    series = []
    for offset in range(days):
        day: date = (since + timedelta(days=offset)).date()
        series.append((day, amount(per_day.get(day))))
    top_products = [
        {**row, "revenue": amount(row["revenue"])}
        for row in OrderLine.objects.filter(counted, order__placed_at__date__gte=since.date())
        .values("title")
        .annotate(revenue=Sum(LINE_TOTAL), units=Sum("quantity"))
        .order_by("-revenue", "title")[:5]
    ]
    buyers = (
        Customer.objects.filter(account=account)
        .annotate(
            order_count=Count(
                "orders",
                filter=Q(orders__shop_id__in=shops) & ~Q(orders__status=OrderStatus.CANCELLED),
            )
        )
        .filter(order_count__gte=2)
    )
    counted_orders = Order.objects.filter(account=account, shop_id__in=shops).exclude(
        status=OrderStatus.CANCELLED
    )
    numbers = counts(  # one query for the three numbers
        account,
        linked=Shop.objects.linked_to(account),
        repeat=Customer.objects.filter(pk__in=buyers.values("pk")),
        buyers=Customer.objects.filter(pk__in=counted_orders.values("customer_id")),
    )
    return {
        "linked": bool(numbers["linked"]),
        "series": series,
        "chart": bar_chart(series),
        "revenue_total": amount(sum((v for _, v in series), Decimal("0"))),
        "top_products": top_products,
        "repeat_customers": list(buyers.order_by("-order_count", "name")[:5]),
        "repeat_count": numbers["repeat"],
        "buyer_count": numbers["buyers"],
        "days": days,
        "audience_insights": has_feature(
            account.account_type, Feature.ANALYTICS, edition=editions.of(account.sandbox)
        ),
    }


def bar_chart(series: list[tuple[date, Decimal]], *, width: int = 600, height: int = 180):
    """Bars for an inline SVG chart, scaled to the largest day."""
    top = max((v for _, v in series), default=Decimal("0")) or Decimal("1")
    step = width / max(len(series), 1)
    bars = []
    for i, (day, value) in enumerate(series):
        h = float(value / top) * (height - 20)
        bars.append(
            {
                "x": round(i * step + 1, 1),
                "y": round(height - h, 1),
                "w": round(max(step - 2, 1), 1),
                "h": round(h, 1),
                "day": day,
                "value": value,
            }
        )
    return {"width": width, "height": height, "bars": bars, "max": top}
