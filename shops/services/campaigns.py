"""Ad campaigns of a business account (RULEBOOK §4): draft, active, paused, ended, as the
campaign machine in `shops.transitions.shop` declares."""

from decimal import Decimal

from accounts.models import SellerAccount
from lifecycle.core import (
    Actor,
    Caused,
    Change,
    account_rows,
    apply,
    lifecycle_service,
    lock_account,
    lock_owned,
)
from lifecycle.transitions import Action, Rows
from shops.models import Campaign, Shop
from shops.transitions import shop as declared


def _create(rows: Rows, target: str) -> Change:
    campaign = Campaign.objects.create(
        account=rows.seller,
        shop_id=rows.inputs["shop_id"],
        name=rows.inputs["name"][:120],
        budget=rows.memo["budget"],
        created_at=rows.now,
    )
    return Change(
        result=campaign,
        subject=campaign,
        params={"campaign_id": campaign.pk, "budget": str(rows.memo["budget"])},
    )


@lifecycle_service(Action.CREATE_CAMPAIGN)
def create_campaign(
    *, actor: Actor, account: SellerAccount, shop: Shop | int, name: str, budget: Decimal | str
) -> Campaign:
    """Create a draft campaign for a linked shop of a business account."""
    inputs = {
        "shop_id": shop.pk if isinstance(shop, Shop) else shop,
        "name": (name or "").strip(),
        "budget": budget,
    }
    rows = account_rows(lock_account(account), inputs=inputs)
    return apply(declared.CREATE_CAMPAIGN, rows, actor=actor, effect=_create)


def _move(transition, campaign: Campaign | int, actor: Actor) -> Campaign:
    account, campaign = lock_owned(Campaign, campaign)
    return apply(transition, account_rows(account, campaign), actor=actor, effect=_moved)


def _moved(rows: Rows, target: str) -> Change:
    return Change(result=rows.subject, params={"campaign_id": rows.subject.pk})


def paused_by(account: SellerAccount, campaigns) -> tuple[Caused, ...]:
    """The pauses of `campaigns` (the account's, locked here) that another action causes: a type
    that loses ad campaigns, an unlinked shop. Each is the campaign machine's own pause."""
    locked = campaigns.active().select_for_update().order_by("pk")
    return tuple(
        Caused(declared.PAUSE_CAMPAIGN, account_rows(account, campaign), _moved)
        for campaign in locked
    )


@lifecycle_service(Action.START_CAMPAIGN)
def start_campaign(*, actor: Actor, campaign: Campaign | int) -> Campaign:
    """Start a draft campaign or resume a paused one."""
    return _move(declared.START_CAMPAIGN, campaign, actor)


@lifecycle_service(Action.PAUSE_CAMPAIGN)
def pause_campaign(*, actor: Actor, campaign: Campaign | int) -> Campaign:
    return _move(declared.PAUSE_CAMPAIGN, campaign, actor)


@lifecycle_service(Action.END_CAMPAIGN)
def end_campaign(*, actor: Actor, campaign: Campaign | int) -> Campaign:
    """End a campaign for good; an ended campaign cannot start again."""
    return _move(declared.END_CAMPAIGN, campaign, actor)
