"""Day-to-day Seller Center work: orders, inquiries and campaigns (RULEBOOK §2–§4).

None of these changes the account's status, so their small state machines are declared here
beside the services that enforce them; the account and link machines stay in
`lifecycle.transitions`.
"""

from decimal import Decimal, InvalidOperation

from accounts.models import AccountStatus, SellerAccount
from accounts.types import AccountType, Feature, has_feature
from lifecycle.errors import Code
from lifecycle.transitions import NOT_DELETED, PEOPLE, SAME, Action, Transition
from shops.models import (
    Campaign,
    CampaignStatus,
    Inquiry,
    Order,
    OrderStatus,
    Shop,
    ShopLink,
)

from ._core import Actor, check_actor, lifecycle_service, lock_account, record, refuse

# Who may do each piece of work, and in which account statuses. Orders placed before a
# deactivation must still be shipped (§5), so order work runs in every status but deleted.
COMMERCE: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition(Action.SHIP_ORDER, "order", NOT_DELETED, SAME, PEOPLE),
        Transition(Action.CANCEL_ORDER, "order", NOT_DELETED, SAME, PEOPLE),
        Transition(Action.REPLY_INQUIRY, "inquiry", NOT_DELETED, SAME, PEOPLE),
        Transition(Action.CREATE_CAMPAIGN, "campaign", (AccountStatus.ACTIVE,), SAME, PEOPLE),
        Transition(Action.START_CAMPAIGN, "campaign", (AccountStatus.ACTIVE,), SAME, PEOPLE),
        Transition(Action.PAUSE_CAMPAIGN, "campaign", NOT_DELETED, SAME, PEOPLE),
        Transition(Action.END_CAMPAIGN, "campaign", NOT_DELETED, SAME, PEOPLE),
    )
}

# Campaign status machine: action -> (sources, target).
CAMPAIGN_MOVES: dict[str, tuple[tuple[str, ...], str]] = {
    Action.START_CAMPAIGN: ((CampaignStatus.DRAFT, CampaignStatus.PAUSED), CampaignStatus.ACTIVE),
    Action.PAUSE_CAMPAIGN: ((CampaignStatus.ACTIVE,), CampaignStatus.PAUSED),
    Action.END_CAMPAIGN: (
        (CampaignStatus.DRAFT, CampaignStatus.ACTIVE, CampaignStatus.PAUSED),
        CampaignStatus.ENDED,
    ),
}


def campaign_moves_from(status: str) -> list[str]:
    """The campaign actions the machine above declares from `status` (for the UI's buttons)."""
    return [action for action, (sources, _target) in CAMPAIGN_MOVES.items() if status in sources]


def _shop_is_linked(account: SellerAccount, shop_id: int) -> bool:
    return ShopLink.objects.filter(
        account=account, shop_id=shop_id, unlinked_at__isnull=True
    ).exists()


def _check_status(account: SellerAccount, action: str, context: dict) -> None:
    transition = COMMERCE[action]
    if account.status == AccountStatus.DELETED:
        refuse(Code.ACCOUNT_DELETED, "This account was deleted; nothing can change.", **context)
    if account.status not in transition.sources:
        refuse(
            Code.ACCOUNT_NOT_ACTIVE,
            f"The account is {account.get_status_display().lower()}: "
            f"{transition.label.lower()} needs an active account.",
            **context,
        )


def check_shop_linked(account: SellerAccount, shop_id: int, context: dict) -> None:
    if not _shop_is_linked(account, shop_id):
        name = Shop.objects.values_list("name", flat=True).get(pk=shop_id)
        refuse(
            Code.SHOP_NOT_LINKED,
            f"{name} is not linked to this account: relink it in Account Settings to use its "
            "tools again.",
            **context,
        )


# --- Orders ---------------------------------------------------------------------------------


def _lock_order(order: Order | int) -> tuple[SellerAccount, Order]:
    pk = order.pk if isinstance(order, Order) else order
    account = lock_account(Order.objects.values_list("account_id", flat=True).get(pk=pk))
    return account, Order.objects.select_for_update().get(pk=pk)


@lifecycle_service(Action.SHIP_ORDER)
def ship_order(*, actor: Actor, order: Order | int, tracking_number: str) -> Order:
    """Mark an order shipped with its tracking number; the customer's parcel is on its way."""
    account, order = _lock_order(order)
    context = {"account": account, "subject": order, "machine": "order", "state": order.status}
    check_actor(actor, COMMERCE[Action.SHIP_ORDER], account)
    tracking_number = (tracking_number or "").strip()
    if order.status == OrderStatus.SHIPPED and order.tracking_number == tracking_number:
        return order  # shipped already with this number: a double click changes nothing
    _check_status(account, Action.SHIP_ORDER, context)
    if order.status != OrderStatus.AWAITING_SHIPMENT:
        refuse(
            Code.INVALID_STATE,
            f"Order #{order.number} is {order.get_status_display().lower()}: only orders "
            "awaiting shipment can be shipped.",
            **context,
        )
    if not tracking_number:
        refuse(
            Code.INPUT_REQUIRED,
            "Enter the carrier's tracking number so the customer can follow the parcel.",
            **context,
        )
    check_shop_linked(account, order.shop_id, context)
    order.status = OrderStatus.SHIPPED
    order.tracking_number = tracking_number[:40]
    order.shipped_at = account.sandbox.now()
    order.save(update_fields=["status", "tracking_number", "shipped_at"])
    record(
        actor=actor,
        action=Action.SHIP_ORDER,
        subject=order,
        machine="order",
        before=OrderStatus.AWAITING_SHIPMENT,
        after=OrderStatus.SHIPPED,
        account=account,
        params={"order": order.number, "tracking_number": order.tracking_number},
    )
    return order


@lifecycle_service(Action.CANCEL_ORDER)
def cancel_order(*, actor: Actor, order: Order | int) -> Order:
    """Cancel an order that has not shipped yet."""
    account, order = _lock_order(order)
    context = {"account": account, "subject": order, "machine": "order", "state": order.status}
    check_actor(actor, COMMERCE[Action.CANCEL_ORDER], account)
    if order.status == OrderStatus.CANCELLED:
        return order
    _check_status(account, Action.CANCEL_ORDER, context)
    if order.status != OrderStatus.AWAITING_SHIPMENT:
        refuse(
            Code.INVALID_STATE,
            f"Order #{order.number} is {order.get_status_display().lower()}: a parcel on its "
            "way cannot be cancelled.",
            **context,
        )
    check_shop_linked(account, order.shop_id, context)
    order.status = OrderStatus.CANCELLED
    order.save(update_fields=["status"])
    record(
        actor=actor,
        action=Action.CANCEL_ORDER,
        subject=order,
        machine="order",
        before=OrderStatus.AWAITING_SHIPMENT,
        after=OrderStatus.CANCELLED,
        account=account,
        params={"order": order.number},
    )
    return order


# --- Inquiries ------------------------------------------------------------------------------


@lifecycle_service(Action.REPLY_INQUIRY)
def reply_inquiry(*, actor: Actor, inquiry: Inquiry | int, reply: str) -> Inquiry:
    """Answer a customer's inquiry once."""
    pk = inquiry.pk if isinstance(inquiry, Inquiry) else inquiry
    account = lock_account(Inquiry.objects.values_list("account_id", flat=True).get(pk=pk))
    inquiry = Inquiry.objects.select_for_update().get(pk=pk)
    state = "answered" if inquiry.replied_at else "open"
    context = {"account": account, "subject": inquiry, "machine": "inquiry", "state": state}
    check_actor(actor, COMMERCE[Action.REPLY_INQUIRY], account)
    reply = (reply or "").strip()
    if inquiry.replied_at is not None and inquiry.reply == reply:
        return inquiry
    _check_status(account, Action.REPLY_INQUIRY, context)
    if inquiry.replied_at is not None:
        refuse(
            Code.INVALID_STATE,
            "This inquiry was answered already: the customer has your reply.",
            **context,
        )
    if not reply:
        refuse(Code.INPUT_REQUIRED, "Write a reply before sending it.", **context)
    inquiry.reply = reply
    inquiry.replied_at = account.sandbox.now()
    inquiry.save(update_fields=["reply", "replied_at"])
    record(
        actor=actor,
        action=Action.REPLY_INQUIRY,
        subject=inquiry,
        machine="inquiry",
        before="open",
        after="answered",
        account=account,
        params={"inquiry_id": inquiry.pk},
    )
    return inquiry


# --- Campaigns ------------------------------------------------------------------------------


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
    _check_status(account, Action.CREATE_CAMPAIGN, context)
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
    _check_status(account, action, context)
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
