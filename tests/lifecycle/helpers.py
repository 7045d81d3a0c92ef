"""Build lifecycle state the way users do: by calling the services.

`build_world` makes a sandbox with one account and three shops (one linked long enough ago to be
unlinked, one unlinked earlier so it can be relinked, one never linked), a product and a
connected app. `drive_to` then moves the account to any status through the services.
"""

from dataclasses import dataclass
from datetime import timedelta

from accounts.models import (
    AccountStatus,
    AppAuthorization,
    ConnectedApp,
    Sandbox,
    SellerAccount,
    User,
)
from lifecycle.models import DeletionRequest, Outcome, TimelineEvent
from lifecycle.services import (
    Actor,
    advance_clock,
    cancel_deletion,
    confirm_deletion,
    deactivate_account,
    deletion_token,
    grant_app_access,
    link_shop,
    request_deletion,
    run_due_work,
    unlink_shop,
)
from shops.models import Campaign, Product, Shop, ShopLink
from tests.rulebook import rule
from tests.shops.factories import ProductFactory

PASSWORD = "correct-horse-9"  # the `trainee` fixture's password (root conftest.py)
SWEEP = Actor.job("sweep")

# Account statuses, plus the two where the clock has moved past a deadline.
ACTIVE = AccountStatus.ACTIVE.value
DEACTIVATED = AccountStatus.DEACTIVATED.value
REQUESTED = AccountStatus.DELETION_REQUESTED.value
REQUESTED_EXPIRED = "deletion_requested+link_expired"
SCHEDULED = AccountStatus.DELETION_SCHEDULED.value
SCHEDULED_DUE = "deletion_scheduled+due"
DELETED = AccountStatus.DELETED.value
STATUSES = (ACTIVE, DEACTIVATED, REQUESTED, REQUESTED_EXPIRED, SCHEDULED, SCHEDULED_DUE, DELETED)


@dataclass
class World:
    owner: User
    actor: Actor
    sandbox: Sandbox
    account: SellerAccount
    shop: Shop  # linked, and long enough ago to be unlinked
    former: Shop  # linked once, unlinked: can be relinked
    spare: Shop  # never linked
    product: Product

    def refresh(self) -> "World":
        self.account.refresh_from_db()
        self.sandbox.refresh_from_db()
        return self

    def latest_request(self) -> DeletionRequest:
        return self.account.deletion_requests.order_by("-id").first()

    def token(self) -> str:
        return deletion_token(self.latest_request())


def build_world(owner: User, *, name: str = "Practice") -> World:
    actor = Actor.trainee(owner)
    sandbox = Sandbox.objects.create(owner=owner, name=name)
    account = SellerAccount.objects.create(
        sandbox=sandbox, display_name="Mira Pottery", contact_email="mira@example.com"
    )
    shop = Shop.objects.create(sandbox=sandbox, name=f"{name} main shop")
    former = Shop.objects.create(sandbox=sandbox, name=f"{name} pop-up")
    spare = Shop.objects.create(sandbox=sandbox, name=f"{name} outlet")
    link_shop(actor=actor, account=account, shop=shop)
    link_shop(actor=actor, account=account, shop=former)
    advance_clock(actor=actor, sandbox=sandbox, by=rule("UNLINK_COOLDOWN") + timedelta(hours=1))
    unlink_shop(actor=actor, account=account, shop=former, confirmed=True)
    grant_app_access(actor=actor, account=account, app=ConnectedApp.TIKTOK_FOR_BUSINESS)
    product = ProductFactory(account=account, shop=shop, stock=5)
    world = World(owner, actor, sandbox, account, shop, former, spare, product)
    return world.refresh()


def request(world: World, *, actor: Actor | None = None) -> DeletionRequest:
    return request_deletion(
        actor=actor or world.actor, account=world.account, password=PASSWORD, acknowledged=True
    )


def past(duration: timedelta) -> timedelta:
    """A little more than `duration`, so a deadline of exactly that length has passed."""
    return duration + timedelta(minutes=1)


def drive_to(world: World, status: str) -> World:
    """Move the account to `status` through the services only."""
    actor, account, sandbox = world.actor, world.account, world.sandbox
    if status == DEACTIVATED:
        deactivate_account(actor=actor, account=account)
    elif status != ACTIVE:
        request(world)
        if status == REQUESTED_EXPIRED:
            advance_clock(actor=actor, sandbox=sandbox, by=past(rule("DELETION_LINK_VALID_FOR")))
        elif status != REQUESTED:
            confirm_deletion(actor=actor, token=world.token())
            if status in (SCHEDULED_DUE, DELETED):
                advance_clock(actor=actor, sandbox=sandbox, by=past(rule("DELETION_GRACE")))
            if status == DELETED:
                run_due_work(sandbox=sandbox)
    world.refresh()
    expected = status.split("+")[0]
    assert world.account.status == expected, (world.account.status, expected)
    return world


def request_then_cancel(world: World) -> DeletionRequest:
    request(world)
    return cancel_deletion(actor=world.actor, account=world.account)


def snapshot(world: World) -> dict:
    """Every piece of lifecycle state of the world, to prove a refusal changed nothing."""
    sandbox = world.sandbox
    return {
        "account": list(
            SellerAccount.objects.filter(sandbox=sandbox).values_list(
                "id",
                "status",
                "account_type",
                "category",
                "display_name",
                "contact_email",
                "deleted_at",
            )
        ),
        "clock": Sandbox.objects.get(pk=sandbox.pk).clock_offset,
        "links": list(
            ShopLink.objects.filter(shop__sandbox=sandbox)
            .order_by("id")
            .values_list("id", "shop_id", "account_id", "linked_at", "unlinked_at")
        ),
        "products": list(
            Product.objects.filter(account__sandbox=sandbox)
            .order_by("id")
            .values_list("id", "listing_status", "stock")
        ),
        "apps": list(
            AppAuthorization.objects.filter(account__sandbox=sandbox)
            .order_by("id")
            .values_list("id", "app", "revoked_at")
        ),
        "requests": list(
            DeletionRequest.objects.filter(account__sandbox=sandbox)
            .order_by("id")
            .values_list(
                "id", "status", "previous_status", "confirmed_at", "scheduled_for", "closed_at"
            )
        ),
        "campaigns": list(
            Campaign.objects.filter(account__sandbox=sandbox)
            .order_by("id")
            .values_list("id", "status")
        ),
    }


def events(sandbox: Sandbox, **filters) -> list[TimelineEvent]:
    return list(TimelineEvent.objects.filter(sandbox=sandbox, **filters).order_by("id"))


def last_event(sandbox: Sandbox) -> TimelineEvent:
    return TimelineEvent.objects.filter(sandbox=sandbox).order_by("-id").first()


def actions(sandbox: Sandbox, **filters) -> list[str]:
    return [e.action for e in events(sandbox, **filters)]


def assert_refused(err, code, world: World, before: dict, *, action: str, count: int) -> None:
    """The refusal carries `code`, changed nothing, and was recorded as one refusal event."""
    assert err.value.code == code, err.value.message
    assert err.value.message.endswith("."), err.value.message
    assert snapshot(world) == before
    new = events(world.sandbox)[count:]
    assert [(e.action, e.outcome, e.code) for e in new] == [(action, Outcome.REFUSED, code)]
    assert new[0].before == new[0].after
    assert new[0].message == err.value.message
