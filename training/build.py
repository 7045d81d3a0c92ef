"""Build a scenario's starting world in a fresh sandbox, through the lifecycle services.

History (link periods, past unlinks, a deletion asked for days ago) is made the way it would have
happened: the sandbox clock is moved forward between the moments and each moment calls its
service. The commerce rows (customers, products, orders) are data, created like the demo's.
"""

import secrets
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db import transaction

from accounts.models import Sandbox, SellerAccount, User
from lifecycle.core.protection import building
from lifecycle.models import TimelineEvent
from shops.models import Customer, Inquiry, Order, OrderLine, Product, Shop
from studio.models import Video

from . import moves
from .scenarios.schema import Scenario
from .scenarios.world import World

NAMES = ["Ada Moreau", "Bo Okafor", "Chen Silva", "Dara Tanaka", "Eli Novak", "Fay Haddad"]


@dataclass
class Built:
    sandbox: Sandbox
    account: SellerAccount
    owner: User
    baseline_event_id: int
    password: str = ""  # the owner's, when the build made the owner (a support scenario's seller)


def _moments(world: World) -> list[tuple[float, int, str, str]]:
    """(days ago, order, what, shop name) of every past moment, oldest first."""
    found: list[tuple[float, int, str, str]] = []
    for shop in world.shops:
        for period in shop.links:
            found.append((period.linked_days_ago, 1, "link", shop.name))
            if period.unlinked_days_ago is not None:
                found.append((period.unlinked_days_ago, 1, "unlink", shop.name))
    if world.deletion is not None:
        found.append((world.deletion.days_ago, 2, "request_deletion", ""))
        if world.deletion.state == "scheduled":
            found.append((world.deletion.days_ago, 3, "confirm_deletion", ""))
    start = max([m[0] for m in found], default=0.0)
    found.append((start, 0, "setup", ""))
    return sorted(found, key=lambda m: (-m[0], m[1]))


def _persona(scenario: Scenario) -> tuple[User, str]:
    password = secrets.token_urlsafe(12)
    name = f"seller-{scenario.slug[:40]}-{secrets.token_hex(3)}"
    return User.objects.create_user(name, f"{name}@example.com", password), password


def _sandbox_name(owner: User, scenario: Scenario, trainee: User) -> str:
    """ "<title> · attempt N" for the trainee's own sandbox. A support scenario's sandboxes each
    belong to a seller made for them, so they are named by the trainee and counted across
    sellers: "<title> · <trainee> · attempt N", told apart in the desk's search."""
    title = scenario.title
    if owner != trainee:
        title = f"{scenario.title} · {trainee.get_username()}"
        owners = Sandbox.objects.all()
    else:
        owners = Sandbox.objects.filter(owner=owner)
    n = owners.filter(name__startswith=f"{title} · attempt").count() + 1
    while owners.filter(name=f"{title} · attempt {n}").exists():
        n += 1
    return f"{title} · attempt {n}"


@transaction.atomic
@building()  # the scenario's world starts in the states it declares
def build_world(scenario: Scenario, *, trainee: User, edition: str = "") -> Built:
    """A fresh sandbox for `trainee` to play `scenario` in, under `edition` (the first edition
    the scenario is written for, when not named).

    A trainee scenario's sandbox is the trainee's own. A support scenario's belongs to a seller
    made for it (the seller asked for the deletion, with their own password); the trainee acts
    on it as support staff.
    """
    world = scenario.world
    password = ""  # nosec B105 (no persona: nothing to type)
    owner = trainee
    if scenario.audience == "support":
        owner, password = _persona(scenario)
    sandbox = Sandbox.objects.create(
        owner=owner,
        name=_sandbox_name(owner, scenario, trainee),
        edition=edition or scenario.editions[0],
    )
    account = SellerAccount.objects.create(
        sandbox=sandbox,
        display_name=world.display_name,
        contact_email=f"{owner.username}@example.com",
    )
    shops = {s.name: Shop.objects.create(sandbox=sandbox, name=s.name) for s in world.shops}
    # The world's past is the scenario's doing: its events say so, not the trainee's name.
    me = moves.Actor.scenario(scenario.title)
    if world.clock_days:
        moves.advance_clock(actor=me, sandbox=sandbox, by=timedelta(days=world.clock_days))
    current = None
    for days_ago, _order, what, shop in _moments(world):
        if current is not None and days_ago < current:
            moves.advance_clock(actor=me, sandbox=sandbox, by=timedelta(days=current - days_ago))
        current = days_ago
        if what == "setup":
            _set_up_account(world, me, account)
        elif what == "link":
            moves.link_shop(actor=me, account=account, shop=shops[shop])
        elif what == "unlink":
            moves.unlink_shop(actor=me, account=account, shop=shops[shop], confirmed=True)
        elif what == "request_deletion":
            request = moves.request_deletion(
                actor=me, account=account, password=password, acknowledged=True
            )
            moves.send_deletion_confirmation(
                actor=moves.Actor.job("deletion email"), request=request
            )
        else:
            opened = moves.open_request(account)
            assert opened is not None  # nosec B101  # the world's request is asked for first
            moves.confirm_deletion(actor=me, token=moves.deletion_token(opened))
    if current:
        moves.advance_clock(actor=me, sandbox=sandbox, by=timedelta(days=current))
    sandbox.refresh_from_db()
    _commerce(world, account, shops, sandbox)
    for campaign in world.campaigns:
        made = moves.create_campaign(
            actor=me,
            account=account,
            shop=shops[campaign.shop],
            name=campaign.name,
            budget=campaign.budget,
        )
        if campaign.status in ("active", "paused", "ended"):
            moves.start_campaign(actor=me, campaign=made)
        if campaign.status == "paused":
            moves.pause_campaign(actor=me, campaign=made)
        elif campaign.status == "ended":
            moves.end_campaign(actor=me, campaign=made)
    if world.status == "deactivated":
        moves.deactivate_account(actor=me, account=account)
    last = TimelineEvent.objects.filter(sandbox=sandbox).order_by("-id").first()
    account.refresh_from_db()
    return Built(sandbox, account, owner, last.pk if last else 0, password)


def _set_up_account(world: World, me, account: SellerAccount) -> None:
    if world.account_type != "personal":
        moves.switch_account_type(
            actor=me,
            account=account,
            account_type=world.account_type,
            category=world.category or "",
        )
    for app in world.apps:
        moves.grant_app_access(actor=me, account=account, app=app)


def _commerce(world: World, account: SellerAccount, shops: dict, sandbox: Sandbox) -> None:
    now = sandbox.now()
    customers = Customer.objects.bulk_create(
        Customer(
            account=account,
            name=NAMES[i % len(NAMES)],
            email=f"customer{i + 1}@example.com",
            created_at=now - timedelta(days=120),
        )
        for i in range(world.customers)
    )
    products: dict[str, list[Product]] = {}
    for shop in world.shops:
        products[shop.name] = Product.objects.bulk_create(
            Product(
                account=account,
                shop=shops[shop.name],
                title=p.title,
                sku=p.sku,
                price=p.price,
                stock=p.stock,
                listing_status=p.status,
            )
            for p in shop.products
        )
    number = 1001
    lines = []
    for group in world.orders:
        for _ in range(group.count):
            placed = now - timedelta(days=group.age_days)
            shipped = group.status in ("shipped", "delivered")
            order = Order.objects.create(
                account=account,
                shop=shops[group.shop],
                customer=customers[(number - 1001) % len(customers)],
                number=number,
                status=group.status,
                placed_at=placed,
                shipping_address=f"{number % 90 + 1} Mill Lane, Springfield",
                tracking_number=f"TRK{number}" if shipped else "",
                shipped_at=placed + timedelta(days=1) if shipped else None,
                delivered_at=placed + timedelta(days=3) if group.status == "delivered" else None,
            )
            number += 1
            for product in products[group.shop][:1]:
                lines.append(
                    OrderLine(
                        order=order,
                        product=product,
                        title=product.title,
                        quantity=1,
                        unit_price=product.price,
                    )
                )
            if not products[group.shop]:
                lines.append(
                    OrderLine(order=order, title="Gift card", quantity=1, unit_price=Decimal(20))
                )
    OrderLine.objects.bulk_create(lines)
    Inquiry.objects.bulk_create(
        Inquiry(
            account=account,
            customer=customers[i % len(customers)],
            message="Hello, when will my order arrive?",
            received_at=now - timedelta(hours=2 * (world.inquiries - i)),
        )
        for i in range(world.inquiries)
    )
    Video.objects.bulk_create(
        Video(
            account=account,
            shop=shops[v.shop],
            title=v.title,
            posted_at=now - timedelta(days=v.days_ago),
        )
        for v in world.videos
    )
