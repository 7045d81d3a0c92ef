"""Linking, unlinking and relinking a shop (RULEBOOK §3)."""

from datetime import datetime

from django.db.models import Q

from accounts.models import SellerAccount
from lifecycle.conf import setting
from lifecycle.datetimes import when  # noqa: F401  (the services' one time format)
from lifecycle.errors import Code
from lifecycle.transitions import LINKED, UNLINKED, Action, transition_for
from shops.models import Campaign, CampaignStatus, Shop, ShopLink

from ._core import (
    Actor,
    check_actor,
    check_override,
    lifecycle_service,
    lock_account,
    record,
    refuse,
)

# Support staff holding it may unlink past the cool-down and the 180-day limit (with a reason).
OVERRIDE_UNLINK_LIMITS = "shops.override_unlink_limits_shop"


def active_link(shop: Shop) -> ShopLink | None:
    return shop.links.filter(unlinked_at__isnull=True).select_related("account").first()


def unlinks_in_window(shop: Shop, now: datetime) -> list[ShopLink]:
    """The shop's unlinks counted against the limit, oldest first."""
    since = now - setting("UNLINK_WINDOW")
    return list(shop.links.filter(unlinked_at__gt=since).order_by("unlinked_at"))


def next_unlink_allowed_at(shop: Shop, link: ShopLink, now: datetime) -> datetime:
    """The earliest sandbox time at which this link may be ended under both limits."""
    earliest = link.linked_at + setting("UNLINK_COOLDOWN")
    recent = unlinks_in_window(shop, now)
    limit = setting("UNLINK_LIMIT")
    if len(recent) >= limit:
        earliest = max(earliest, recent[len(recent) - limit].unlinked_at + setting("UNLINK_WINDOW"))
    return earliest


def _lock_shop(shop: Shop | int) -> Shop:
    pk = shop.pk if isinstance(shop, Shop) else shop
    return Shop.objects.select_for_update().get(pk=pk)


def _link(*, actor: Actor, account: SellerAccount, shop: Shop | int, relink_only: bool) -> ShopLink:
    action = Action.RELINK_SHOP if relink_only else Action.LINK_SHOP
    account = lock_account(account)
    shop = _lock_shop(shop)
    context = {"account": account, "subject": shop}
    current = active_link(shop)
    state = LINKED if current else UNLINKED
    context["state"] = state
    check_actor(actor, transition_for(action), account)
    if shop.sandbox_id != account.sandbox_id:
        refuse(Code.SHOP_OTHER_SANDBOX, "That shop is in another sandbox.", **context)
    if current and current.account_id == account.pk:
        return current  # linked already: the same request twice changes nothing
    if account.status != "active":
        refuse(
            Code.ACCOUNT_NOT_ACTIVE,
            f"The account is {account.get_status_display().lower()}: "
            "only an active account can link a shop.",
            **context,
        )
    if current:
        refuse(
            Code.SHOP_LINKED_ELSEWHERE,
            f"{shop.name} is linked to another seller account: unlink it there first.",
            **context,
        )
    been_here = shop.links.filter(account=account).exists()
    if relink_only and not been_here:
        refuse(
            Code.NEVER_LINKED,
            f"{shop.name} was never linked to this account: link it instead.",
            **context,
        )
    if been_here:
        action = Action.RELINK_SHOP
    now = account.sandbox.now()
    link = ShopLink.objects.create(shop=shop, account=account, linked_at=now)
    record(
        actor=actor,
        action=action,
        subject=shop,
        before=UNLINKED,
        after=LINKED,
        account=account,
        params={"link_id": link.pk},
    )
    return link


@lifecycle_service(Action.LINK_SHOP)
def link_shop(*, actor: Actor, account: SellerAccount, shop: Shop | int) -> ShopLink:
    """Link a shop to the account; a shop that was linked here before counts as a relink."""
    return _link(actor=actor, account=account, shop=shop, relink_only=False)


@lifecycle_service(Action.RELINK_SHOP)
def relink_shop(*, actor: Actor, account: SellerAccount, shop: Shop | int) -> ShopLink:
    """Link again a shop this account had unlinked; its kept data comes back with it."""
    return _link(actor=actor, account=account, shop=shop, relink_only=True)


def _unlink(
    *, actor: Actor, account: SellerAccount, shop: Shop | int, confirmed: bool, override: bool
) -> ShopLink:
    account = lock_account(account)
    shop = _lock_shop(shop)
    current = active_link(shop)
    context = {"account": account, "subject": shop, "state": LINKED if current else UNLINKED}
    check_actor(actor, transition_for(Action.UNLINK_SHOP), account)
    if current is None or current.account_id != account.pk:
        last = shop.links.filter(account=account).first()
        if current is None and last is not None:
            return last  # unlinked already: the same request twice changes nothing
        refuse(Code.SHOP_NOT_LINKED, f"{shop.name} is not linked to this account.", **context)
    if account.status == "deleted":
        refuse(Code.ACCOUNT_DELETED, "This account was deleted; nothing can change.", **context)
    if not confirmed:
        refuse(
            Code.CONFIRMATION_REQUIRED,
            "Confirm that you want to unlink: the shop's tools and reports stop at once.",
            **context,
        )
    if override:
        check_override(actor, OVERRIDE_UNLINK_LIMITS, **context)
    now = account.sandbox.now()
    # With the override the limits are not checked; the one staff went past is recorded.
    overridden = _limit_refused(shop, current, now) if override else ""
    cooldown_ends = current.linked_at + setting("UNLINK_COOLDOWN")
    if now < cooldown_ends and not override:
        hours = int(setting("UNLINK_COOLDOWN").total_seconds() // 3600)
        refuse(
            Code.UNLINK_TOO_SOON,
            f"A shop can be unlinked only {hours} hours after it was linked: "
            f"try again after {when(cooldown_ends)}.",
            next_allowed_at=cooldown_ends,
            **context,
        )
    recent = unlinks_in_window(shop, now)
    limit = setting("UNLINK_LIMIT")
    if len(recent) >= limit and not override:
        days = setting("UNLINK_WINDOW").days
        allowed_at = recent[len(recent) - limit].unlinked_at + setting("UNLINK_WINDOW")
        refuse(
            Code.UNLINK_LIMIT_REACHED,
            f"{shop.name} was unlinked {len(recent)} times in the last {days} days, the most "
            f"allowed: the next unlink is possible after {when(allowed_at)}.",
            next_allowed_at=allowed_at,
            **context,
        )
    current.unlinked_at = now
    current.save(update_fields=["unlinked_at"])
    paused = list(
        Campaign.objects.filter(
            account=account, shop=shop, status=CampaignStatus.ACTIVE
        ).values_list("pk", flat=True)
    )
    Campaign.objects.filter(pk__in=paused).update(status=CampaignStatus.PAUSED)
    record(
        actor=actor,
        action=Action.UNLINK_SHOP,
        subject=shop,
        before=LINKED,
        after=UNLINKED,
        account=account,
        params={
            "link_id": current.pk,
            "paused_campaigns": paused,
            **({"override": overridden} if overridden else {}),
        },
    )
    return current


def _limit_refused(shop: Shop, link: ShopLink, now: datetime) -> str:
    """Which limit (cool-down or 180-day count) would refuse this unlink now; "" for none."""
    if now < link.linked_at + setting("UNLINK_COOLDOWN"):
        return str(Code.UNLINK_TOO_SOON)
    if len(unlinks_in_window(shop, now)) >= setting("UNLINK_LIMIT"):
        return str(Code.UNLINK_LIMIT_REACHED)
    return ""


@lifecycle_service(Action.UNLINK_SHOP)
def unlink_shop(
    *,
    actor: Actor,
    account: SellerAccount,
    shop: Shop | int,
    confirmed: bool,
    override: bool = False,
) -> ShopLink:
    """End the shop's link at once. Its data is kept; its active campaigns are paused.

    `override` (staff with OVERRIDE_UNLINK_LIMITS only) goes past the cool-down and the limit.
    """
    return _unlink(actor=actor, account=account, shop=shop, confirmed=confirmed, override=override)


def linked_shops_q(account: SellerAccount) -> Q:
    """Shops whose Seller Center tools this account can reach now."""
    return Q(links__account=account, links__unlinked_at__isnull=True)
