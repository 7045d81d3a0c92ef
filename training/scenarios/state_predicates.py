"""Predicates over the final state only: shops, the account, apps, listings, orders, campaigns."""

from typing import Literal

from pydantic import Field

from accounts.models import AccountStatus, ConnectedApp
from accounts.types import AccountType, Category
from lifecycle.wording import count
from shops.models import CampaignStatus, ListingStatus, OrderStatus

from .fields import (
    AppName,
    CampaignStatusName,
    CategoryName,
    ListingName,
    OrderStatusName,
    StatusName,
    Strict,
    TypeName,
)
from .matching import Facts, Match, Verdict, status_words


class OnState(Strict):
    """A predicate over the final state only: it reads no event."""

    def matchers(self) -> list[Match]:
        return []


class ShopLinked(OnState):
    """At the end, the shop is (or is not) linked to the account."""

    kind: Literal["shop_linked"]
    shop: str
    linked: bool = True

    def check(self, facts: Facts) -> Verdict:
        now = facts.state.shops.get(self.shop, False)
        word = "linked" if now else "unlinked"
        return Verdict(now == self.linked, (), f"{self.shop} {facts.ended} {word}.")


class AccountStatusIs(OnState):
    """At the end, the account's status is one of `status`."""

    kind: Literal["account_status"]
    status: list[StatusName] = Field(min_length=1)

    def check(self, facts: Facts) -> Verdict:
        now = facts.state.account_status
        said = status_words(now, AccountStatus.choices)
        return Verdict(now in self.status, (), f"The account {facts.ended} {said}.")


class AccountTypeIs(OnState):
    """At the end, the account has this type (and this category, when given)."""

    kind: Literal["account_type"]
    type: TypeName
    category: CategoryName | None = None

    def check(self, facts: Facts) -> Verdict:
        state = facts.state
        met = state.account_type == self.type and self.category in (None, state.category)
        shown = status_words(state.account_type, AccountType.choices)
        if state.category:
            shown += f" ({status_words(state.category, Category.choices)})"
        return Verdict(met, (), f"The account {facts.ended} {shown}.")


class AppConnected(OnState):
    """At the end, the app has (or has not) access."""

    kind: Literal["app_connected"]
    app: AppName
    connected: bool = True

    def check(self, facts: Facts) -> Verdict:
        now = facts.state.apps.get(self.app, False)
        word = "has access" if now else "has no access"
        name = dict(ConnectedApp.choices).get(self.app, self.app)
        return Verdict(now == self.connected, (), f"{name} {word}.")


class Listings(OnState):
    """At the end, the listing `sku` (every listing when no sku is given) has one of `status`."""

    kind: Literal["listings"]
    status: list[ListingName] = Field(min_length=1)
    sku: str | None = None

    def check(self, facts: Facts) -> Verdict:
        listings = facts.state.listings
        chosen = {self.sku: listings.get(self.sku, "")} if self.sku else dict(listings)
        wrong = sorted(sku for sku, status in chosen.items() if status not in self.status)
        words = [status_words(s, ListingStatus.choices) for s in self.status]
        if not chosen:
            return Verdict(False, (), "No such listing.")
        if wrong:
            shown = ", ".join(
                f"{sku} is {status_words(chosen[sku], ListingStatus.choices)}" for sku in wrong
            )
            return Verdict(False, (), f"Not {' or '.join(words)}: {shown}.")
        return Verdict(True, (), f"{count(len(chosen), 'listing')} {' or '.join(words)}.")


class Orders(OnState):
    """At the end, at most `at_most` orders have `status`."""

    kind: Literal["orders"]
    status: OrderStatusName
    at_most: int = Field(default=0, ge=0)

    def check(self, facts: Facts) -> Verdict:
        found = facts.state.orders.get(self.status, 0)
        said = status_words(self.status, OrderStatus.choices)
        return Verdict(found <= self.at_most, (), f"{count(found, 'order')} {said}.")


class Campaigns(OnState):
    """At the end, the campaign called `name` has one of `status`."""

    kind: Literal["campaign"]
    name: str
    status: list[CampaignStatusName] = Field(min_length=1)

    def check(self, facts: Facts) -> Verdict:
        now = facts.state.campaigns.get(self.name)
        if now is None:
            return Verdict(False, (), f"No campaign called {self.name}.")
        said = status_words(now, CampaignStatus.choices)
        return Verdict(now in self.status, (), f"{self.name} {facts.ended} {said}.")
