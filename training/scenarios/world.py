"""The starting world a scenario describes. `training.build` makes it through the services."""

from decimal import Decimal
from typing import Literal

from pydantic import Field, NonNegativeFloat, PositiveInt, model_validator

from .fields import (
    AppName,
    CampaignStatusName,
    CategoryName,
    ListingName,
    OrderStatusName,
    Strict,
    TypeName,
)


class LinkPeriod(Strict):
    """One period the shop was linked, in sandbox days before the world's start.

    No `unlinked_days_ago`: the shop is still linked at the start.
    """

    linked_days_ago: NonNegativeFloat
    unlinked_days_ago: NonNegativeFloat | None = None

    @model_validator(mode="after")
    def _ends_after_it_starts(self):
        if self.unlinked_days_ago is not None and self.unlinked_days_ago >= self.linked_days_ago:
            raise ValueError("expected unlinked_days_ago smaller than linked_days_ago")
        return self


class Product(Strict):
    title: str = Field(min_length=1)
    sku: str = Field(min_length=1, max_length=40)
    price: Decimal = Field(default=Decimal("12.00"), ge=0)
    stock: int = Field(default=10, ge=0)
    status: ListingName = "active"


class Shop(Strict):
    name: str = Field(min_length=1, max_length=120)
    links: list[LinkPeriod] = Field(default_factory=list)  # oldest first
    products: list[Product] = Field(default_factory=list)

    @model_validator(mode="after")
    def _periods_in_order(self):
        for earlier, later in zip(self.links, self.links[1:], strict=False):
            if earlier.unlinked_days_ago is None:
                raise ValueError("expected only the last link period to be open")
            if later.linked_days_ago > earlier.unlinked_days_ago:
                raise ValueError("expected link periods oldest first, not overlapping")
        return self

    @property
    def linked_at_start(self) -> bool:
        return bool(self.links) and self.links[-1].unlinked_days_ago is None


class Orders(Strict):
    """`count` orders of `shop` in `status`, placed `age_days` before the start."""

    shop: str
    status: OrderStatusName
    count: PositiveInt = 1
    age_days: NonNegativeFloat = 3


class Campaign(Strict):
    shop: str
    name: str = Field(min_length=1, max_length=120)
    budget: Decimal = Field(default=Decimal("100"), ge=0)
    status: CampaignStatusName = "active"


class Video(Strict):
    """A video the shop posted (the Studio's steps pick its sound and tag products on it)."""

    shop: str
    title: str = Field(min_length=1, max_length=120)
    days_ago: NonNegativeFloat = 5


class Deletion(Strict):
    """A deletion the seller asked for before the start (support scenarios only)."""

    state: Literal["requested", "scheduled"]
    days_ago: NonNegativeFloat = 1


class World(Strict):
    display_name: str = Field(default="Juniper Goods", min_length=1, max_length=120)
    account_type: TypeName = "personal"
    category: CategoryName | None = None
    status: Literal["active", "deactivated"] = "active"
    customers: int = Field(default=4, ge=0, le=50)
    apps: list[AppName] = Field(default_factory=list)
    shops: list[Shop] = Field(min_length=1)
    orders: list[Orders] = Field(default_factory=list)
    campaigns: list[Campaign] = Field(default_factory=list)
    inquiries: int = Field(default=0, ge=0, le=20)  # unanswered, from the customers
    videos: list[Video] = Field(default_factory=list)
    deletion: Deletion | None = None
    clock_days: NonNegativeFloat = 0  # the sandbox clock starts this far ahead of real time

    @model_validator(mode="after")
    def _consistent(self):
        if (self.account_type == "personal") != (self.category is None):
            raise ValueError("expected a category for creator and business, none for personal")
        names = [s.name for s in self.shops]
        if len(set(names)) != len(names):
            raise ValueError("expected every shop name once")
        for item in [*self.orders, *self.campaigns, *self.videos]:
            if item.shop not in names:
                raise ValueError(f"expected a shop of the world, one of: {', '.join(names)}")
        if (self.orders or self.inquiries) and self.customers == 0:
            raise ValueError("expected customers to place the orders and ask the inquiries")
        linked = {s.name for s in self.shops if s.linked_at_start}
        for campaign in self.campaigns:
            if campaign.status != "draft" and campaign.shop not in linked:
                raise ValueError(f"expected {campaign.shop} linked at the start for its campaign")
        if self.campaigns and self.account_type != "business":
            raise ValueError("expected a business account for campaigns")
        if self.deletion and any(o.status == "awaiting_shipment" for o in self.orders):
            raise ValueError("expected no order awaiting shipment when a deletion was requested")
        return self

    def shop(self, name: str) -> Shop:
        return next(s for s in self.shops if s.name == name)

    def videos_titles(self) -> list[str]:
        return [v.title for v in self.videos]

    def skus(self) -> list[str]:
        return [p.sku for s in self.shops for p in s.products]
