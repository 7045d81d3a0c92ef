"""Reads for the videos, sounds, audience and insights pages, and what a type switch changes.

What a type does not unlock is not shown, but it is kept: product links and live sessions of an
account that is no longer business (or creator) stay in their tables and come back on switching
back (RULEBOOK §4: nothing is deleted).
"""

from datetime import timedelta
from typing import Any

from django.db.models import Count, Prefetch, Q, Sum
from django.utils.translation import ngettext

from accounts.models import SellerAccount
from accounts.types import (
    AccountType,
    Feature,
    has_feature,
    type_change_preview,
)
from editions import registry as editions
from editions.base import Edition
from lifecycle.counting import counts
from lifecycle.errors import LifecycleError
from lifecycle.transitions.base import lacks_feature
from shops.models import Campaign, CampaignStatus, Customer, OrderStatus, ShopLink

from .models import LiveSession, LiveStatus, ProductLink, Video
from .services import sound_refusal
from .sounds import LIBRARY, sound

INSIGHTS_DAYS = 30


def _n(count: int, one: str, many: str) -> str:
    return ngettext(one, many, count) % {"n": count}


def _edition(account: SellerAccount) -> Edition:
    return editions.of(account.sandbox)


def _linked_shops(account: SellerAccount):
    return ShopLink.objects.filter(account=account, unlinked_at__isnull=True).values("shop_id")


def videos(account: SellerAccount) -> list[Video]:
    """The linked shops' videos, each with its sound and (business only) its product links."""
    shows_links = has_feature(
        account.account_type, Feature.PRODUCT_LINKS, edition=_edition(account)
    )
    found: list[Video] = list(
        Video.objects.filter(account=account, shop_id__in=_linked_shops(account))
        .select_related("shop")
        .prefetch_related(
            Prefetch("product_links", queryset=ProductLink.objects.select_related("product"))
        )
        .annotate(link_count=Count("product_links"))
    )
    for video in found:
        video.sound_entry = sound(video.sound)  # type: ignore[attr-defined]  # for the template
        video.visible_links = (  # type: ignore[attr-defined]  # for the template
            list(video.product_links.all()) if shows_links else []
        )
    return found


def sound_library(account: SellerAccount) -> list[dict[str, Any]]:
    """Every sound of the library, with whether this account may pick it and why not."""
    return [{"sound": s, "reason": sound_refusal(account, s.key)} for s in LIBRARY]


def follower_insights(account: SellerAccount) -> dict[str, Any]:
    """Followers and views the linked shops' videos brought, the last 30 sandbox days first."""
    require_feature(account, Feature.AUDIENCE_TOOLS)
    since = account.sandbox.now() - timedelta(days=INSIGHTS_DAYS)
    shown = Video.objects.filter(account=account, shop_id__in=_linked_shops(account))
    totals = shown.aggregate(
        all_followers=Sum("new_followers"),
        all_views=Sum("views"),
        recent_followers=Sum("new_followers", filter=Q(posted_at__gte=since)),
        recent_views=Sum("views", filter=Q(posted_at__gte=since)),
        count=Count("pk"),
    )
    return {
        "days": INSIGHTS_DAYS,
        "followers": totals["all_followers"] or 0,
        "views": totals["all_views"] or 0,
        "recent_followers": totals["recent_followers"] or 0,
        "recent_views": totals["recent_views"] or 0,
        "videos": totals["count"],
        "top": list(shown.order_by("-new_followers", "-views", "id")[:5]),
    }


def live_sessions(account: SellerAccount) -> dict[str, list[LiveSession]]:
    now = account.sandbox.now()
    sessions = list(account.live_sessions.all())
    return {
        "upcoming": [s for s in sessions if s.status == LiveStatus.SCHEDULED and s.starts_at > now],
        "past": [s for s in sessions if s.status == LiveStatus.SCHEDULED and s.starts_at <= now],
        "cancelled": [s for s in sessions if s.status == LiveStatus.CANCELLED],
    }


def require_feature(account: SellerAccount, feature: str) -> None:
    """Insights are reads, but a type without them is refused all the same, with the reason
    (the actions' one feature gate, `lacks_feature`)."""
    if refusal := lacks_feature(account, feature):
        raise LifecycleError(refusal.code, refusal.sentence)


def insights(account: SellerAccount) -> dict[str, Any]:
    """The Analytics page's audience and content insights, or the sentence that locks them."""
    if refusal := lacks_feature(account, Feature.ANALYTICS):
        return {"insights_locked": refusal.sentence}
    return {
        "insights_locked": "",
        "audience": audience_insights(account),
        "content": content_insights(account),
    }


def audience_insights(account: SellerAccount) -> dict[str, Any]:
    """Who buys: new and returning buyers of the last 30 sandbox days (linked shops only)."""
    require_feature(account, Feature.ANALYTICS)
    since = account.sandbox.now() - timedelta(days=INSIGHTS_DAYS)
    counted = Q(orders__shop_id__in=_linked_shops(account)) & ~Q(
        orders__status=OrderStatus.CANCELLED
    )
    buyers = (
        Customer.objects.filter(account=account)
        .annotate(
            recent=Count("orders", filter=counted & Q(orders__placed_at__gte=since)),
            before=Count("orders", filter=counted & Q(orders__placed_at__lt=since)),
        )
        .filter(recent__gt=0)
    )
    stats = buyers.aggregate(total=Count("pk"), returning=Count("pk", filter=Q(before__gt=0)))
    return {
        "days": INSIGHTS_DAYS,
        "buyers": stats["total"],
        "returning": stats["returning"],
        "new": stats["total"] - stats["returning"],
    }


def content_insights(account: SellerAccount) -> list[Video]:
    """The videos that drew the most views, with how many products each links to."""
    require_feature(account, Feature.ANALYTICS)
    return list(
        Video.objects.filter(account=account, shop_id__in=_linked_shops(account))
        .annotate(link_count=Count("product_links"))
        .order_by("-views", "id")[:5]
    )


def hidden_counts(account: SellerAccount) -> dict[str, int]:
    """What this account keeps but does not show under its current type."""
    links = ProductLink.objects.filter(video__account=account).count()
    live = account.live_sessions.filter(status=LiveStatus.SCHEDULED).count()
    edition = _edition(account)
    shows_links = has_feature(account.account_type, Feature.PRODUCT_LINKS, edition=edition)
    shows_live = has_feature(account.account_type, Feature.AUDIENCE_TOOLS, edition=edition)
    return {
        "product_links": 0 if shows_links else links,
        "live_sessions": 0 if shows_live else live,
    }


def switch_counts(account: SellerAccount) -> dict[str, int]:
    """What a type switch pauses or brings back, counted in one query (a page comparing every
    type counts once, not once per type)."""
    return counts(
        account,
        active_campaigns=Campaign.objects.filter(account=account, status=CampaignStatus.ACTIVE),
        links=ProductLink.objects.filter(video__account=account),
        live=account.live_sessions.filter(status=LiveStatus.SCHEDULED),
    )


def switch_consequences(
    account: SellerAccount, new_type: str, counted: dict[str, int] | None = None
) -> dict[str, Any]:
    """Exactly what a switch to `new_type` gains, loses, pauses and brings back here;
    `counted` is `switch_counts(account)` when the caller has it already."""
    counted = counted if counted is not None else switch_counts(account)
    current, edition = account.account_type, _edition(account)
    preview = type_change_preview(current, new_type, edition=edition)
    paused, back = [], []

    def has(kind: str, feature: str) -> bool:
        return has_feature(kind, feature, edition=edition)

    def losing(feature: str) -> bool:
        return has(current, feature) and not has(new_type, feature)

    def regaining(feature: str) -> bool:
        return has(new_type, feature) and not has(current, feature)

    if losing(Feature.AD_CAMPAIGNS):
        active = counted["active_campaigns"]
        if active:
            paused.append(
                _n(active, "%(n)d active campaign paused", "%(n)d active campaigns paused")
            )
    links = counted["links"]
    if links and losing(Feature.PRODUCT_LINKS):
        paused.append(
            _n(
                links,
                "%(n)d product link hidden, not deleted",
                "%(n)d product links hidden, not deleted",
            )
        )
    if links and regaining(Feature.PRODUCT_LINKS):
        back.append(_n(links, "%(n)d product link shown again", "%(n)d product links shown again"))
    live = counted["live"]
    if live and losing(Feature.AUDIENCE_TOOLS):
        paused.append(
            _n(
                live,
                "%(n)d live session hidden, not cancelled",
                "%(n)d live sessions hidden, not cancelled",
            )
        )
    if live and regaining(Feature.AUDIENCE_TOOLS):
        back.append(_n(live, "%(n)d live session shown again", "%(n)d live sessions shown again"))
    if losing(Feature.FULL_MUSIC_LIBRARY):
        uncleared = len(
            [
                key
                for key in Video.objects.filter(account=account).values_list("sound", flat=True)
                if (found := sound(key)) is not None and not found.commercial
            ]
        )
        if uncleared:
            paused.append(
                _n(
                    uncleared,
                    "%(n)d video keeps a sound outside the commercial library",
                    "%(n)d videos keep a sound outside the commercial library",
                )
                + "; new picks are commercial sounds only"
            )
    return {
        "label": AccountType(new_type).label,
        "gained": preview["gained"],
        "lost": preview["lost"],
        "paused": paused,
        "back": back,
    }
