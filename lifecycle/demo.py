"""Builds a sandbox full of believable data: the onboarding demo, and realistic test fixtures.

Each sandbox gets its own seller, shops, products, customers and videos from a generator seeded
with its owner and name (or the seed asked for), so two sandboxes never look alike, while a demo
reset (same owner, same name) rebuilds exactly the sandbox it replaces.

Commerce rows (products, customers, orders) are data, not lifecycle transitions, so they are
bulk-created. The shop's link goes through the core like any other link, dated as the demo's
history has it (30 days back, old enough to be unlinked at once) by the link's own effect, and
its event says so: no row is changed after its event was written.
"""

import random
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from faker import Faker

from accounts.models import (
    AppAuthorization,
    ConnectedApp,
    Sandbox,
    SellerAccount,
    User,
    default_edition_key,
)
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
from shops.transitions.link import LINK_SHOP
from studio.models import LiveSession, ProductLink, Video
from studio.sounds import LIBRARY

from .core import Actor, Change, account_rows, apply
from .core.protection import building

# The demo trainee's login (seed_demo makes it; the sign-in page and the trainers' pages print it).
DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo-seller-2026"  # noqa: S105  # nosec B105  # a published demo credential
STAFF_USERNAME = "support"
# bandit: published; DEBUG or --with-support only
STAFF_PASSWORD = "support-agent-2026"  # noqa: S105  # nosec B105

# What a small maker's shop sells, by craft; the brand is a generated surname and the craft.
CRAFTS = {
    "Ceramics": ["mug", "bowl", "vase", "plant pot", "teapot", "plate"],
    "Candle Co.": ["beeswax candle", "soy candle", "wax melt", "candle tin", "taper set"],
    "Print Studio": ["art print", "poster", "greeting card", "postcard set", "calendar"],
    "Knitworks": ["wool scarf", "beanie", "mittens", "blanket", "tea cosy"],
    "Botanicals": ["soap bar", "bath salts", "lip balm", "hand cream", "herbal tea"],
    "Leather Goods": ["card holder", "key fob", "belt", "notebook cover", "tote"],
}
QUESTIONS = [
    "Is the {item} dishwasher safe?",
    "When will my order ship?",
    "Do you ship abroad?",
    "Could the {item} be gift wrapped?",
    "Is the {item} back in stock soon?",
]
VIDEO_TITLES = [
    "How we make the {item}",
    "Packing this week's orders",
    "A tour of the workshop",
    "Three ways to use the {item}",
    "Behind the glaze: {item} edition",
    "New in: the {item}",
    "Answering your questions",
    "From sketch to {item}",
]
CAMPAIGNS = ["{season} sale", "Gift guide", "Launch week", "Weekend offer"]
# How long the demo's shop has been linked when the trainee arrives (past the unlink cool-down).
LINKED_FOR = timedelta(days=30)


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
    videos: int = 6


@transaction.atomic
@building()  # the demo's rows start in the states its story needs
def build_demo_sandbox(
    *,
    owner: User,
    name: str = "Demo shop",
    sizes: DemoSizes | None = None,
    seed: int | None = None,
    is_demo: bool = True,
    on_created: Callable[[Sandbox], object] | None = None,
    edition: str = "",
) -> Sandbox:
    """One business seller account, two shops (one linked) and the data the Seller Center shows.

    is_demo=False builds a trainee's own practice sandbox from the same data: it is not a demo,
    so no reset can wipe it and its timeline (RULEBOOK §8). `on_created(sandbox)` runs as soon
    as the sandbox exists, so the event that says who made it comes first on its timeline.
    `edition` is the key of the edition of the rules it is played under (the default one's
    unless named: RULEBOOK §12).
    """
    sizes = sizes or DemoSizes()
    sandbox = Sandbox.objects.create(
        owner=owner, name=name, is_demo=is_demo, edition=edition or default_edition_key()
    )
    if on_created is not None:
        on_created(sandbox)
    if seed is None:  # the owner's sandbox of that name: a reset rebuilds the very same data
        seed = zlib.crc32(f"{owner.pk}:{name}".encode())
    rng = random.Random(seed)  # nosec B311  # repeatable demo data, not a secret
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    now = sandbox.now()
    craft = rng.choice(sorted(CRAFTS))
    items = CRAFTS[craft]
    brand = f"{fake.last_name()} {craft}"
    account = SellerAccount.objects.create(
        sandbox=sandbox,
        display_name=brand,
        contact_email=owner.email or "seller@example.com",
        account_type=AccountType.BUSINESS,
        category=Category.ART,
    )
    main = Shop.objects.create(sandbox=sandbox, name=f"{brand} Shop")
    Shop.objects.create(sandbox=sandbox, name=f"{brand.split()[0]} Outlet")
    link_effect = _linked_since(now - LINKED_FOR)
    apply(LINK_SHOP, account_rows(account, main), actor=Actor.trainee(owner), effect=link_effect)
    sku = "".join(word[0] for word in brand.split()).upper()
    products = Product.objects.bulk_create(
        Product(
            account=account,
            shop=main,
            title=f"{fake.safe_color_name().capitalize()} {items[i % len(items)]}",
            sku=f"{sku}-{i + 1:03d}",
            price=Decimal(rng.randrange(500, 9000)) / 100,
            stock=0 if i % 9 == 8 else rng.randrange(1, 60),
            listing_status=ListingStatus.SOLD_OUT if i % 9 == 8 else ListingStatus.ACTIVE,
        )
        for i in range(sizes.products)
    )
    customers = []
    for i in range(sizes.customers):
        first, last = fake.first_name(), fake.last_name()
        customers.append(
            Customer(
                account=account,
                name=f"{first} {last}",
                # example.com addresses only: nothing a demo sends can reach a real mailbox.
                email=f"{first}.{last}.{i + 1}@example.com".lower().replace("'", ""),
                created_at=now - timedelta(days=rng.randrange(30, 400)),
            )
        )
    customers = Customer.objects.bulk_create(customers)
    statuses = (
        [OrderStatus.DELIVERED] * 6
        + [OrderStatus.SHIPPED] * 2
        + [OrderStatus.AWAITING_SHIPMENT, OrderStatus.CANCELLED]
    )
    first_number = rng.randrange(200, 900) * 1000 + 1
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
                number=first_number + i,
                status=status,
                placed_at=placed,
                shipping_address=_one_line(fake.street_address(), fake.city(), fake.postcode()),
                tracking_number=f"TRK{first_number + i}" if shipped else "",
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
            message=QUESTIONS[i % len(QUESTIONS)].format(item=rng.choice(items)),
            reply="Yes, it is." if i % 2 else "",
            received_at=now - timedelta(days=i + 1),
            replied_at=now - timedelta(days=i) if i % 2 else None,
        )
        for i in range(sizes.inquiries)
    )
    campaign_states = [CampaignStatus.ACTIVE, CampaignStatus.DRAFT, CampaignStatus.ENDED]
    season = rng.choice(["Spring", "Summer", "Autumn", "Winter"])
    Campaign.objects.bulk_create(
        Campaign(
            account=account,
            shop=main,
            name=CAMPAIGNS[i % len(CAMPAIGNS)].format(season=season),
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
    _build_videos(account, main, products, sizes, rng, now)
    return sandbox


def _one_line(street: str, city: str, postcode: str) -> str:
    """An address on one line ("Studio 34, Fox Parks, Leeds LS1 2AB"): Faker breaks some."""
    return ", ".join([*street.splitlines(), f"{city} {postcode}"])


def _build_videos(account, shop, products, sizes, rng: random.Random, now) -> None:
    """The shop's videos: a business account's carry commercial sounds and product links."""
    commercial = [s for s in LIBRARY if s.commercial]
    videos = Video.objects.bulk_create(
        Video(
            account=account,
            shop=shop,
            title=VIDEO_TITLES[i % len(VIDEO_TITLES)].format(
                item=rng.choice(products).title.lower() if products else "shop"
            ),
            posted_at=now - timedelta(days=3 + 9 * i, hours=rng.randrange(24)),
            views=(views := rng.randrange(300, 25000)),
            new_followers=views // rng.randrange(40, 160),
            sound=rng.choice(commercial).key,
        )
        for i in range(sizes.videos)
    )
    ProductLink.objects.bulk_create(
        ProductLink(video=video, product=product, added_at=video.posted_at)
        for video in videos[:3]
        for product in rng.sample(products, k=min(len(products), 2))
    )
    if sizes.videos:
        LiveSession.objects.create(
            account=account,
            title="Live: studio questions and answers",
            starts_at=now + timedelta(days=3, hours=2),
            scheduled_at=now - timedelta(days=1),
        )
