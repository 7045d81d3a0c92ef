"""Reads for the Seller Center: what the pages show, in a few queries that do not grow with rows.

Writes go through `lifecycle.services`; nothing here changes state.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import TruncDate

from accounts.models import AppAuthorization, ConnectedApp, Sandbox, SellerAccount
from accounts.types import Feature, has_feature
from lifecycle import diagram
from lifecycle.conf import setting
from lifecycle.models import DeletionStatus, ExportJob, ExportStatus, TimelineEvent
from lifecycle.money import amount
from lifecycle.services.clock import scheduled_events
from lifecycle.services.deletion import deletion_blockers, deletion_checklist
from lifecycle.services.links import next_unlink_allowed_at, unlinks_in_window
from lifecycle.transitions import (
    LINKED,
    UNLINKED,
    Transition,
    account_actions_from,
    link_actions_from,
)
from shops.models import (
    Customer,
    Inquiry,
    ListingStatus,
    Order,
    OrderLine,
    OrderStatus,
    Shop,
    ShopLink,
)

TRAINEE = "trainee"


# --- Layout ---------------------------------------------------------------------------------


def layout_context(user, sandbox: Sandbox, account: SellerAccount) -> dict[str, Any]:
    """What the top bar, the navigation and the deletion banner need on every page."""
    upcoming = scheduled_events(sandbox)
    now = sandbox.now()
    steps = [
        {
            "key": key,
            "label": label,
            "triggers": [what for at, what in upcoming if at <= now + delta],
        }
        for key, label, delta in CLOCK_STEPS
    ]
    request = account.deletion_requests.filter(
        status__in=[DeletionStatus.PENDING, DeletionStatus.SCHEDULED]
    ).first()
    return {
        "sandbox": sandbox,
        "account": account,
        "my_sandboxes": list(Sandbox.objects.filter(owner=user).only("id", "name")),
        "sandbox_now": now,
        "next_event": upcoming[0] if upcoming else None,
        "open_deletion": request,
        "clock_steps": steps,
    }


def rule_numbers() -> dict[str, int]:
    """The rulebook's numbers as the pages state them, read from the settings (never typed in a
    template, so a deployment that changes a setting changes what the pages say too)."""

    def hours(name: str) -> int:
        return int(setting(name).total_seconds() // 3600)

    return {
        "unlink_cooldown_hours": hours("UNLINK_COOLDOWN"),
        "unlink_limit": setting("UNLINK_LIMIT"),
        "unlink_window_days": setting("UNLINK_WINDOW").days,
        "export_fresh_days": setting("EXPORT_FRESH_FOR").days,
        "export_cooldown_hours": hours("EXPORT_COOLDOWN"),
        "export_valid_days": setting("EXPORT_LINK_VALID_FOR").days,
        "deletion_grace_days": setting("DELETION_GRACE").days,
        "notify_window_days": setting("NOTIFY_CUSTOMERS_WINDOW").days,
    }


CLOCK_STEPS: tuple[tuple[str, str, timedelta], ...] = (
    ("1h", "+1 hour", timedelta(hours=1)),
    ("1d", "+1 day", timedelta(days=1)),
    ("7d", "+7 days", timedelta(days=7)),
    ("30d", "+30 days", timedelta(days=30)),
)


# --- Shops and links ------------------------------------------------------------------------


def linked_shop_ids(account: SellerAccount) -> list[int]:
    return list(
        ShopLink.objects.filter(account=account, unlinked_at__isnull=True).values_list(
            "shop_id", flat=True
        )
    )


@dataclass
class ShopLinkState:
    """One shop as the Linked accounts page shows it, with the unlink counters of §3."""

    shop: Shop
    state: str  # "linked", "unlinked" or "elsewhere"
    link: ShopLink | None
    ever_linked_here: bool
    unlinks_in_window: int
    unlink_limit: int
    window_days: int
    next_unlink_at: datetime | None
    can_unlink_now: bool
    actions: list[Transition]


def shop_link_states(account: SellerAccount) -> list[ShopLinkState]:
    """Every shop of the sandbox with its link state; a handful of queries per shop (few)."""
    now = account.sandbox.now()
    states = []
    for shop in Shop.objects.filter(sandbox_id=account.sandbox_id):
        current = shop.links.filter(unlinked_at__isnull=True).first()
        ever = shop.links.filter(account=account).exists()
        if current is None:
            state = UNLINKED
        elif current.account_id == account.pk:
            state = LINKED
        else:
            state = "elsewhere"
        recent = unlinks_in_window(shop, now)
        next_at = next_unlink_allowed_at(shop, current, now) if state == LINKED else None
        link_state = LINKED if state == "elsewhere" else state
        actions = link_actions_from(link_state, account.status, TRAINEE)
        if state == UNLINKED:
            # A shop this account never had is linked, one it had is relinked (§3).
            wanted = "relink_shop" if ever else "link_shop"
            actions = [t for t in actions if t.action == wanted]
        if state == "elsewhere":
            actions = []
        states.append(
            ShopLinkState(
                shop=shop,
                state=state,
                link=current if state == LINKED else None,
                ever_linked_here=ever,
                unlinks_in_window=len(recent),
                unlink_limit=setting("UNLINK_LIMIT"),
                window_days=setting("UNLINK_WINDOW").days,
                next_unlink_at=next_at,
                can_unlink_now=next_at is not None and next_at <= now,
                actions=actions,
            )
        )
    return states


def export_downloaded_recently(account: SellerAccount) -> bool:
    """Was an export downloaded in the last 7 sandbox days? (The unlink warning of §3.)"""
    since = account.sandbox.now() - setting("EXPORT_FRESH_FOR")
    return account.exports.filter(downloaded_at__gte=since).exists()


# --- Dashboard ------------------------------------------------------------------------------


def dashboard_counts(account: SellerAccount) -> dict[str, int]:
    """What needs attention, in a few aggregate queries. Orders, campaigns and listings count
    for the shops linked now only: an unlinked shop's tools are out of reach (RULEBOOK §3), and
    each card links to a page that lists exactly what it counts."""
    linked = ShopLink.objects.filter(account=account, unlinked_at__isnull=True).values("shop_id")
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


# --- Analytics (computed from orders, never stored) -----------------------------------------

LINE_TOTAL = ExpressionWrapper(
    F("quantity") * F("unit_price"), output_field=DecimalField(max_digits=14, decimal_places=2)
)


def analytics(account: SellerAccount, *, days: int = 30) -> dict[str, Any]:
    """Revenue per day, top products and repeat customers of the shops linked now."""
    shops = linked_shop_ids(account)
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
        for row in OrderLine.objects.filter(counted)
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
    total_buyers = (
        Order.objects.filter(account=account, shop_id__in=shops)
        .exclude(status=OrderStatus.CANCELLED)
        .values("customer_id")
        .distinct()
        .count()
    )
    return {
        "linked": bool(shops),
        "series": series,
        "chart": bar_chart(series),
        "revenue_total": amount(sum((v for _, v in series), Decimal("0"))),
        "top_products": top_products,
        "repeat_customers": list(buyers.order_by("-order_count", "name")[:5]),
        "repeat_count": buyers.count(),
        "buyer_count": total_buyers,
        "days": days,
        "audience_insights": has_feature(account.account_type, Feature.ANALYTICS),
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


# --- Account lifecycle ----------------------------------------------------------------------


@dataclass
class AvailableAction:
    transition: Transition
    enabled: bool
    reason: str = ""

    @property
    def page(self) -> str | None:
        """The URL name of the page where this action is done."""
        return ACTION_PAGES.get(self.transition.action)


def available_actions(account: SellerAccount, actor_kind: str = TRAINEE) -> list[AvailableAction]:
    """Account actions declared from the current status for this actor, with their guard state."""
    result = []
    for transition in account_actions_from(account.status, actor_kind):
        enabled, reason = True, ""
        if transition.action == "request_deletion":
            # The service's own guards, so the map never promises what the request refuses.
            blockers = deletion_blockers(account, deletion_checklist(account))
            if blockers:
                enabled, reason = False, blockers[0][1]
        result.append(AvailableAction(transition, enabled, reason))
    return result


# Where each account action is done in the UI (the diagram links there).
ACTION_PAGES = {
    "switch_type": "account_type",
    "deactivate": "close_or_pause",
    "reactivate": "close_or_pause",
    "request_deletion": "close_account",
    "confirm_deletion": "inbox",
    "cancel_deletion": "close_account",
    "change_listing": "products",
    "remove_app_access": "connected_apps",
    "grant_app_access": "connected_apps",
    "notify_customers": "close_account",
}


def state_diagram(account: SellerAccount, actor_kind: str = TRAINEE) -> dict[str, Any]:
    """The account-status diagram (`lifecycle.diagram`), its live actions asked of the guards."""
    enabled = {a.transition.action for a in available_actions(account, actor_kind) if a.enabled}
    return diagram.state_diagram(account, enabled=enabled, pages=ACTION_PAGES)


# --- Close account --------------------------------------------------------------------------


def close_account_preview(account: SellerAccount) -> dict[str, Any]:
    """What finalization removes for good, and what remains (RULEBOOK §5)."""
    # One count per kind: joining them all in one aggregate would multiply the rows.
    counts = {
        "orders": account.orders.count(),
        "products": account.products.count(),
        "customers": account.customers.count(),
        "inquiries": account.inquiries.count(),
        "campaigns": account.campaigns.count(),
        "exports": account.exports.count(),
        "inbox": account.inbox.count(),
        "apps": AppAuthorization.objects.filter(account=account).count(),
    }
    removed = [
        (counts["products"], "products and their listings"),
        (counts["orders"], "orders with their lines and addresses"),
        (counts["customers"], "customers"),
        (counts["inquiries"], "customer inquiries and replies"),
        (counts["campaigns"], "campaigns"),
        (counts["exports"], "data exports and their files"),
        (counts["inbox"], "inbox messages"),
        (counts["apps"], "connected app authorizations"),
    ]
    events = TimelineEvent.objects.filter(account=account).count()
    remains = [
        "an anonymised record that the account existed (no name, no email)",
        f"the timeline ({events} event{'s' if events != 1 else ''}), with personal details removed",
        "the shops themselves, unlinked, so another account could link them",
    ]
    return {"removed": removed, "remains": remains}


def close_checklist(account: SellerAccount) -> list[dict[str, Any]]:
    """The live checklist before a deletion request, each item with the page that fixes it."""
    checklist = deletion_checklist(account)
    awaiting = checklist["orders_awaiting_shipment"]
    campaigns = checklist["active_campaigns"]
    return [
        {
            "key": "orders",
            "label": "Every order shipped or cancelled",
            "done": not awaiting,
            "blocking": True,
            "detail": f"{len(awaiting)} awaiting shipment" if awaiting else "",
            "fix": "orders",
            "fix_query": "?status=awaiting_shipment",
            "fix_label": "Ship or cancel orders",
        },
        {
            "key": "campaigns",
            "label": "Every campaign ended",
            "done": not campaigns,
            "blocking": True,
            "detail": ", ".join(campaigns[:5]),
            "fix": "campaigns",
            "fix_query": "",
            "fix_label": "End campaigns",
        },
        {
            "key": "exported",
            "label": "Your data exported and downloaded",
            "done": checklist["data_exported"],
            "blocking": False,
            "detail": "",
            "fix": "exports",
            "fix_query": "",
            "fix_label": "Export your data",
        },
        {
            "key": "notified",
            "label": "Customers told the shop is closing",
            "done": checklist["customers_notified"],
            "blocking": False,
            "detail": "",
            "fix": "close_account",
            "fix_query": "#notify",
            "fix_label": "Notify customers",
        },
    ]


def connected_apps(account: SellerAccount) -> list[dict[str, Any]]:
    """Each app the Seller Center connects to, with its live authorization if any."""
    live = {
        a.app: a for a in AppAuthorization.objects.filter(account=account, revoked_at__isnull=True)
    }
    return [
        {"app": app, "label": label, "grant": live.get(app)} for app, label in ConnectedApp.choices
    ]
