"""Builds a sandbox full of believable data: the onboarding demo, and realistic test fixtures.

Commerce rows (products, customers, orders) are data, not lifecycle transitions, so they are
bulk-created. The shop's link goes through the core like any other link, dated as the demo's
history has it (30 days back, old enough to be unlinked at once) by the link's own effect, and
its event says so: no row is changed after its event was written.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db import transaction

from accounts.models import AppAuthorization, ConnectedApp, Sandbox, SellerAccount, User
from accounts.types import AccountType, Category
from shops.models import (
    Campaign,
    CampaignStatus,
    Customer,
    Inquiry,
    ListingStatus,
    Order,
    OrderLine,
    OrderStatus,
    Product,
    Shop,
    ShopLink,
)

from .core import Actor, Change, account_rows, apply
from .transitions.link import LINK_SHOP

FIRST = ["Ada", "Bo", "Chen", "Dara", "Eli", "Fay", "Gus", "Hana", "Ivo", "June", "Kai", "Lina"]
LAST = ["Moreau", "Okafor", "Silva", "Tanaka", "Novak", "Haddad", "Berg", "Quinn", "Ortiz"]
GOODS = [
    "Ceramic mug",
    "Linen tote",
    "Beeswax candle",
    "Sketchbook",
    "Plant pot",
    "Tea sampler",
    "Enamel pin",
    "Wool scarf",
    "Phone stand",
    "Art print",
    "Soap bar",
    "Notebook",
]
# How long the demo's shop has been linked when the trainee arrives (past the unlink cool-down).
LINKED_FOR = timedelta(days=30)
STREETS = ["Harbour Road", "Mill Lane", "Station Street", "Orchard Way", "Kiln Court"]


def _linked_since(since):
    """The link's effect for the demo's history: the link starts at `since`, and says so."""

    def effect(rows, target: str) -> Change:
        link = ShopLink.objects.create(shop=rows.subject, account=rows.account, linked_at=since)
        return Change(
            result=link,
            params={"link_id": link.pk, "linked_at": since.isoformat(), "reason": "demo history"},
        )

    return effect


@dataclass
class DemoSizes:
    products: int = 20
    customers: int = 50
    orders: int = 200
    inquiries: int = 6
    campaigns: int = 3


@transaction.atomic
def build_demo_sandbox(
    *,
    owner: User,
    name: str = "Demo shop",
    sizes: DemoSizes | None = None,
    seed: int = 7,
    is_demo: bool = True,
    on_created: Callable[[Sandbox], object] | None = None,
) -> Sandbox:
    """One business seller account, two shops (one linked) and the data the Seller Center shows.

    is_demo=False builds a trainee's own practice sandbox from the same data: it is not a demo,
    so no reset can wipe it and its timeline (RULEBOOK §8). `on_created(sandbox)` runs as soon
    as the sandbox exists, so the event that says who made it comes first on its timeline.
    """
    sizes = sizes or DemoSizes()
    rng = random.Random(seed)  # nosec B311  # repeatable demo data, not a secret
    sandbox = Sandbox.objects.create(owner=owner, name=name, is_demo=is_demo)
    if on_created is not None:
        on_created(sandbox)
    account = SellerAccount.objects.create(
        sandbox=sandbox,
        display_name="Luna Ceramics",
        contact_email=owner.email or "seller@example.com",
        account_type=AccountType.BUSINESS,
        category=Category.ART,
    )
    main = Shop.objects.create(sandbox=sandbox, name="Luna Ceramics Shop")
    Shop.objects.create(sandbox=sandbox, name="Luna Outlet")
    now = sandbox.now()
    link_effect = _linked_since(now - LINKED_FOR)
    apply(LINK_SHOP, account_rows(account, main), actor=Actor.trainee(owner), effect=link_effect)

    products = Product.objects.bulk_create(
        Product(
            account=account,
            shop=main,
            title=f"{GOODS[i % len(GOODS)]} {chr(65 + i // len(GOODS))}",
            sku=f"LUNA-{i + 1:03d}",
            price=Decimal(rng.randrange(500, 9000)) / 100,
            stock=0 if i % 9 == 8 else rng.randrange(1, 60),
            listing_status=ListingStatus.SOLD_OUT if i % 9 == 8 else ListingStatus.ACTIVE,
        )
        for i in range(sizes.products)
    )
    customers = Customer.objects.bulk_create(
        Customer(
            account=account,
            name=f"{FIRST[i % len(FIRST)]} {LAST[(i * 7) % len(LAST)]}",
            email=f"customer{i + 1}@example.com",
            created_at=now - timedelta(days=rng.randrange(30, 400)),
        )
        for i in range(sizes.customers)
    )
    statuses = (
        [OrderStatus.DELIVERED] * 6
        + [OrderStatus.SHIPPED] * 2
        + [OrderStatus.AWAITING_SHIPMENT, OrderStatus.CANCELLED]
    )
    orders = []
    for i in range(sizes.orders):
        status = statuses[i % len(statuses)]
        placed = now - timedelta(days=rng.randrange(0, 120), hours=rng.randrange(24))
        shipped = status in (OrderStatus.SHIPPED, OrderStatus.DELIVERED)
        orders.append(
            Order(
                account=account,
                shop=main,
                customer=customers[rng.randrange(len(customers))],
                number=1001 + i,
                status=status,
                placed_at=placed,
                shipping_address=f"{rng.randrange(1, 200)} {rng.choice(STREETS)}, Springfield",
                tracking_number=f"TRK{100000 + i}" if shipped else "",
                shipped_at=placed + timedelta(days=1) if shipped else None,
                delivered_at=placed + timedelta(days=4)
                if status == OrderStatus.DELIVERED
                else None,
            )
        )
    orders = Order.objects.bulk_create(orders)
    OrderLine.objects.bulk_create(
        OrderLine(
            order=order,
            product=product,
            title=product.title,
            quantity=rng.randrange(1, 4),
            unit_price=product.price,
        )
        for order in orders
        for product in rng.sample(products, k=min(len(products), rng.randrange(1, 4)))
    )
    Inquiry.objects.bulk_create(
        Inquiry(
            account=account,
            customer=customers[i % len(customers)],
            message=[
                "Is the mug dishwasher safe?",
                "When will my order ship?",
                "Do you ship abroad?",
            ][i % 3],
            reply="Yes, it is." if i % 2 else "",
            received_at=now - timedelta(days=i + 1),
            replied_at=now - timedelta(days=i) if i % 2 else None,
        )
        for i in range(sizes.inquiries)
    )
    campaign_states = [CampaignStatus.ACTIVE, CampaignStatus.DRAFT, CampaignStatus.ENDED]
    Campaign.objects.bulk_create(
        Campaign(
            account=account,
            shop=main,
            name=["Spring glaze sale", "Gift guide", "Launch week"][i % 3],
            budget=Decimal(100 * (i + 1)),
            status=campaign_states[i % len(campaign_states)],
            created_at=now - timedelta(days=10 * (i + 1)),
        )
        for i in range(sizes.campaigns)
    )
    AppAuthorization.objects.bulk_create(
        AppAuthorization(
            account=account, app=app, granted_at=now - timedelta(days=60), scopes="read,write"
        )
        for app in (ConnectedApp.TIKTOK_FOR_BUSINESS, ConnectedApp.ANALYTICS_PARTNER)
    )
    return sandbox
