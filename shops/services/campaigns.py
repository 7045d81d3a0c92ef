"""Ad campaigns of a business account (RULEBOOK §4): draft, active, paused, ended."""

from decimal import Decimal, InvalidOperation

from accounts.models import SellerAccount
from accounts.types import AccountType, Feature, has_feature
from lifecycle.core import Actor, check_actor, lifecycle_service, lock_account, record, refuse
from lifecycle.errors import Code
from lifecycle.transitions import CAMPAIGN_MOVES, COMMERCE, Action
from shops.models import Campaign, CampaignStatus, Shop

from .checks import check_shop_linked, check_status


def _check_campaign_feature(account: SellerAccount, context: dict) -> None:
    if not has_feature(account.account_type, Feature.AD_CAMPAIGNS):
        refuse(
            Code.FEATURE_NOT_IN_TYPE,
            f"Ad campaigns come with a business account; this one is "
            f"{AccountType(account.account_type).label.lower()}: switch the account type first.",
            **context,
        )


@lifecycle_service(Action.CREATE_CAMPAIGN)
def create_campaign(
    *, actor: Actor, account: SellerAccount, shop: Shop | int, name: str, budget: Decimal | str
) -> Campaign:
    """Create a draft campaign for a linked shop of a business account."""
    account = lock_account(account)
    shop_id = shop.pk if isinstance(shop, Shop) else shop
    context = {"account": account, "machine": "campaign", "state": "none"}
    check_actor(actor, COMMERCE[Action.CREATE_CAMPAIGN], account)
    check_status(account, Action.CREATE_CAMPAIGN, context)
    _check_campaign_feature(account, context)
    name = (name or "").strip()
    try:
        amount = Decimal(str(budget))
    except (InvalidOperation, ValueError):
        amount = Decimal("-1")
    if not name or not amount.is_finite() or amount < 0:
        refuse(
            Code.INPUT_REQUIRED,
            "Give the campaign a name and a budget of zero or more.",
            **context,
        )
    if not Shop.objects.filter(pk=shop_id, sandbox_id=account.sandbox_id).exists():
        refuse(Code.SHOP_OTHER_SANDBOX, "That shop is in another sandbox.", **context)
    check_shop_linked(account, shop_id, context)
    campaign = Campaign.objects.create(
        account=account,
        shop_id=shop_id,
        name=name[:120],
        budget=amount,
        created_at=account.sandbox.now(),
    )
    record(
        actor=actor,
        action=Action.CREATE_CAMPAIGN,
        subject=campaign,
        machine="campaign",
        before="none",
        after=campaign.status,
        account=account,
        params={"campaign_id": campaign.pk, "budget": str(amount)},
    )
    return campaign


def _move_campaign(*, actor: Actor, campaign: Campaign | int, action: str) -> Campaign:
    pk = campaign.pk if isinstance(campaign, Campaign) else campaign
    account = lock_account(Campaign.objects.values_list("account_id", flat=True).get(pk=pk))
    campaign = Campaign.objects.select_for_update().get(pk=pk)
    sources, target = CAMPAIGN_MOVES[action]
    before = campaign.status
    context = {"account": account, "subject": campaign, "machine": "campaign", "state": before}
    check_actor(actor, COMMERCE[action], account)
    if before == target:
        return campaign
    check_status(account, action, context)
    if before not in sources:
        allowed = " or ".join(CampaignStatus(s).label.lower() for s in sources)
        refuse(
            Code.INVALID_STATE,
            f"{campaign.name} is {campaign.get_status_display().lower()}: only {allowed} "
            f"campaigns can be {CampaignStatus(target).label.lower()}"
            f"{'' if target == CampaignStatus.ENDED else ' now'}.",
            **context,
        )
    if action == Action.START_CAMPAIGN:
        _check_campaign_feature(account, context)
        check_shop_linked(account, campaign.shop_id, context)
    campaign.status = target
    campaign.save(update_fields=["status"])
    record(
        actor=actor,
        action=action,
        subject=campaign,
        machine="campaign",
        before=before,
        after=target,
        account=account,
        params={"campaign_id": campaign.pk},
    )
    return campaign


@lifecycle_service(Action.START_CAMPAIGN)
def start_campaign(*, actor: Actor, campaign: Campaign | int) -> Campaign:
    """Start a draft campaign or resume a paused one."""
    return _move_campaign(actor=actor, campaign=campaign, action=Action.START_CAMPAIGN)


@lifecycle_service(Action.PAUSE_CAMPAIGN)
def pause_campaign(*, actor: Actor, campaign: Campaign | int) -> Campaign:
    return _move_campaign(actor=actor, campaign=campaign, action=Action.PAUSE_CAMPAIGN)


@lifecycle_service(Action.END_CAMPAIGN)
def end_campaign(*, actor: Actor, campaign: Campaign | int) -> Campaign:
    """End a campaign for good; an ended campaign cannot start again."""
    return _move_campaign(actor=actor, campaign=campaign, action=Action.END_CAMPAIGN)
