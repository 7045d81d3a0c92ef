"""Linking, unlinking and relinking a shop (RULEBOOK §3): the side effects of the link machine
declared in `shops.transitions.link`."""

from accounts.models import SellerAccount
from lifecycle.core import Actor, Change, account_rows, apply, lifecycle_service, lock_account
from lifecycle.transitions import Action, Rows, when
from shops.models import Shop, ShopLink
from shops.services.campaigns import paused_by
from shops.transitions.link import (
    LINK_SHOP,
    OVERRIDE_UNLINK_LIMITS,
    RELINK_SHOP,
    UNLINK_SHOP,
    limit_refusal,
    link_action_for,
    next_unlink_allowed_at,
    unlinks_in_window,
)

__all__ = [
    "OVERRIDE_UNLINK_LIMITS",
    "link_action_for",
    "link_shop",
    "next_unlink_allowed_at",
    "relink_shop",
    "unlink_shop",
    "unlinks_in_window",
    "when",
]


def _rows(account: SellerAccount | int, shop: Shop | int, **inputs) -> Rows:
    """Lock the account, then the shop (the order every service keeps), with its live link."""
    locked = lock_account(account)
    pk = shop.pk if isinstance(shop, Shop) else shop
    row = Shop.objects.select_for_update().get(pk=pk)
    return account_rows(locked, row, inputs=inputs, link=row.live_link())


def _link(rows: Rows[Shop], target: str) -> Change:
    shop, account = rows.subject, rows.seller
    # A shop that was linked here before is relinked, whichever button asked (§3).
    action = link_action_for(shop=shop, account=account)
    link = ShopLink.objects.create(shop=shop, account=account, linked_at=rows.now)
    return Change(result=link, action=action, params={"link_id": link.pk})


@lifecycle_service(Action.LINK_SHOP)
def link_shop(*, actor: Actor, account: SellerAccount, shop: Shop | int) -> ShopLink:
    """Link a shop to the account; a shop that was linked here before counts as a relink."""
    return apply(LINK_SHOP, _rows(account, shop), actor=actor, effect=_link)


@lifecycle_service(Action.RELINK_SHOP)
def relink_shop(*, actor: Actor, account: SellerAccount, shop: Shop | int) -> ShopLink:
    """Link again a shop this account had unlinked; its kept data comes back with it."""
    return apply(RELINK_SHOP, _rows(account, shop), actor=actor, effect=_link)


def _unlink(rows: Rows[Shop], target: str) -> Change:
    link, shop, account = rows.live_link, rows.subject, rows.seller
    # With the override the limits were not checked; the one staff went past is recorded.
    overridden = limit_refusal(rows) if rows.inputs.get("override") else None
    link.unlinked_at = rows.now
    link.save(update_fields=["unlinked_at"])
    paused = paused_by(account, account.campaigns.filter(shop=shop))  # each its own pause
    params = {"link_id": link.pk, "paused_campaigns": [c.rows.subject.pk for c in paused]}
    if overridden is not None:
        params["override"] = str(overridden.code)
    return Change(result=link, params=params, caused=paused)


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
    rows = _rows(account, shop, confirmed=confirmed, override=override)
    return apply(UNLINK_SHOP, rows, actor=actor, effect=_unlink)
