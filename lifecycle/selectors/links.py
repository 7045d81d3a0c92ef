"""The Linked accounts and Connected apps pages: each shop and app with what can be done now."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from accounts.models import ConnectedApp, SellerAccount
from editions.registry import rule
from lifecycle.core import Actor, Offer
from lifecycle.services.links import link_action_for, next_unlink_allowed_at, unlinks_in_window
from lifecycle.transitions import Action, Transition, link_actions_from
from shops.models import (
    Shop,
    ShopLink,
)
from shops.transitions.link import LINKED, UNLINKED

from .offers import unlink_offer

TRAINEE = "trainee"
ELSEWHERE = "elsewhere"  # linked to another account: the link machine's "linked", seen from here


def linked_shop_ids(account: SellerAccount) -> list[int]:
    return list(Shop.objects.linked_to(account).values_list("pk", flat=True))


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
    # Unlinking now, asked of the declared guards: disabled with their sentence when refused.
    unlink: Offer | None = None

    @property
    def unlinks_used(self) -> str:
        """ "2 of 3"; past the limit (support overrode it) never "4 of 3"."""
        if self.unlinks_in_window > self.unlink_limit:
            return (
                f"{self.unlinks_in_window}, over the limit of {self.unlink_limit} "
                "(support went past it)"
            )
        return f"{self.unlinks_in_window} of {self.unlink_limit}"

    @property
    def linked_here(self) -> bool:
        return self.state == LINKED

    @property
    def linked_elsewhere(self) -> bool:
        return self.state == ELSEWHERE


def shop_link_states(account: SellerAccount, actor: Actor | None = None) -> list[ShopLinkState]:
    """Every shop of the sandbox with its link state; a handful of queries per shop (few)."""
    now = account.sandbox.now()
    states = []
    for shop in account.sandbox.shops.all():  # each knows its sandbox (its edition)
        current = shop.links.live().first()
        # A shop this account never had is linked, one it had is relinked (§3): the service's
        # own decision, so the page never offers what the service would record differently.
        wanted = link_action_for(shop=shop, account=account)
        ever = wanted == Action.RELINK_SHOP
        if current is None:
            state = UNLINKED
        elif current.account_id == account.pk:
            state = LINKED
        else:
            state = ELSEWHERE
        recent = unlinks_in_window(shop, now)
        next_at = (
            next_unlink_allowed_at(shop, current, now)
            if state == LINKED and current is not None
            else None
        )
        link_state = LINKED if state == ELSEWHERE else state
        actions = link_actions_from(link_state, account.status, TRAINEE)
        if state == UNLINKED:
            actions = [t for t in actions if t.action == wanted]
        if state == ELSEWHERE:
            actions = []
        states.append(
            ShopLinkState(
                shop=shop,
                state=state,
                link=current if state == LINKED else None,
                ever_linked_here=ever,
                unlinks_in_window=len(recent),
                unlink_limit=rule(account.sandbox, "UNLINK_LIMIT"),
                window_days=rule(account.sandbox, "UNLINK_WINDOW").days,
                next_unlink_at=next_at,
                can_unlink_now=next_at is not None and next_at <= now,
                actions=actions,
                unlink=unlink_offer(account, shop, current, actor=actor)
                if state == LINKED
                else None,
            )
        )
    return states


def export_downloaded_recently(account: SellerAccount) -> bool:
    """Was an export downloaded in the last 7 sandbox days? (The unlink warning of §3.)"""
    since = account.sandbox.now() - rule(account.sandbox, "EXPORT_FRESH_FOR")
    return account.exports.filter(downloaded_at__gte=since).exists()


def connected_apps(account: SellerAccount) -> list[dict[str, Any]]:
    """Each app the Seller Center connects to, with its live authorization if any."""
    live = {a.app: a for a in account.app_authorizations.live()}
    return [
        {"app": app, "label": label, "grant": live.get(app)} for app, label in ConnectedApp.choices
    ]
