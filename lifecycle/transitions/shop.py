"""The shop's day-to-day machines (RULEBOOK §2–§4): orders, inquiries, campaigns, listings.

None changes the account's status; each runs only in the account statuses it declares, and only
for a shop linked now: an unlinked shop's tools are out of reach until it is relinked (§3).
Orders placed before a deactivation must still be shipped (§5), so order work runs in every
status but deleted.
"""

from decimal import Decimal, InvalidOperation

from accounts.types import AccountType, Feature, has_feature
from lifecycle.actions import Action
from lifecycle.errors import Code
from shops.models import (
    Campaign,
    CampaignStatus,
    Inquiry,
    ListingStatus,
    Order,
    OrderStatus,
    Product,
    Shop,
    ShopLink,
)

from .base import (
    ACTIVE,
    CHOSEN,
    DELETED,
    NOT_DELETED,
    PEOPLE,
    Done,
    Machine,
    Refusal,
    Rows,
    Transition,
    account_in,
    deleted,
)


def _work_gate(label: str, statuses: tuple[str, ...]):
    def refusal(rows: Rows) -> Refusal:
        if rows.account.status == DELETED:
            return deleted()
        return Refusal(
            Code.ACCOUNT_NOT_ACTIVE,
            f"The account is {rows.status_phrase()}: {label.lower()} needs an active account.",
        )

    return account_in(statuses, refusal)


def shop_linked(rows: Rows) -> Refusal | None:
    """The subject's shop is linked to the account now."""
    shop_id = rows.inputs.get("shop_id") or rows.subject.shop_id
    if ShopLink.objects.live().filter(account=rows.account, shop_id=shop_id).exists():
        return None
    name = Shop.objects.values_list("name", flat=True).get(pk=shop_id)
    return Refusal(
        Code.SHOP_NOT_LINKED,
        f"{name} is not linked to this account: relink it in Account Settings to use its "
        "tools again.",
    )


# --- Orders ------------------------------------------------------------------------------------

ORDER = Machine(
    "order",
    tuple(OrderStatus.values),
    lambda rows: rows.subject.status,
    model=Order,
    field="status",
    labels=dict(OrderStatus.choices),
)


def tracking_given(rows: Rows) -> Refusal | None:
    if rows.inputs["tracking_number"]:
        return None
    return Refusal(
        Code.INPUT_REQUIRED,
        "Enter the carrier's tracking number so the customer can follow the parcel.",
    )


def _order_refusal(why: str):
    def refusal(rows: Rows) -> Refusal:
        order = rows.subject
        return Refusal(
            Code.INVALID_STATE,
            f"Order #{order.number} is {order.get_status_display().lower()}: {why}.",
        )

    return refusal


def _shipped_already(rows: Rows) -> Done | None:
    order = rows.subject
    same = order.tracking_number == rows.inputs["tracking_number"]
    return Done(order) if order.status == OrderStatus.SHIPPED and same else None


SHIP_ORDER = Transition(
    Action.SHIP_ORDER,
    "order",
    (OrderStatus.AWAITING_SHIPMENT,),
    OrderStatus.SHIPPED,
    PEOPLE,
    account_statuses=NOT_DELETED,
    gate=_work_gate("Ship order", NOT_DELETED),
    done=_shipped_already,  # a double click with the same number changes nothing
    wrong_state=_order_refusal("only orders awaiting shipment can be shipped"),
    guards=(tracking_given, shop_linked),
    event="order",
)
CANCEL_ORDER = Transition(
    Action.CANCEL_ORDER,
    "order",
    (OrderStatus.AWAITING_SHIPMENT,),
    OrderStatus.CANCELLED,
    PEOPLE,
    account_statuses=NOT_DELETED,
    gate=_work_gate("Cancel order", NOT_DELETED),
    done=lambda rows: Done(rows.subject) if rows.subject.status == OrderStatus.CANCELLED else None,
    wrong_state=_order_refusal("a parcel on its way cannot be cancelled"),
    guards=(shop_linked,),
    event="order",
)

# --- Inquiries ---------------------------------------------------------------------------------

OPEN, ANSWERED = "open", "answered"
INQUIRY = Machine(
    "inquiry",
    (OPEN, ANSWERED),
    lambda rows: ANSWERED if rows.subject.replied_at else OPEN,
    model=Inquiry,
    field="replied_at",
    core_writes=False,
)


def reply_given(rows: Rows) -> Refusal | None:
    if rows.inputs["reply"]:
        return None
    return Refusal(Code.INPUT_REQUIRED, "Write a reply before sending it.")


REPLY_INQUIRY = Transition(
    Action.REPLY_INQUIRY,
    "inquiry",
    (OPEN,),
    ANSWERED,
    PEOPLE,
    account_statuses=NOT_DELETED,
    gate=_work_gate("Reply to inquiry", NOT_DELETED),
    done=lambda rows: (
        Done(rows.subject)
        if rows.subject.replied_at is not None and rows.subject.reply == rows.inputs["reply"]
        else None
    ),
    wrong_state=lambda rows: Refusal(
        Code.INVALID_STATE, "This inquiry was answered already: the customer has your reply."
    ),
    guards=(reply_given,),
    event="inquiry",
)

# --- Campaigns ---------------------------------------------------------------------------------

NO_CAMPAIGN = "none"
CAMPAIGN = Machine(
    "campaign",
    (NO_CAMPAIGN, *CampaignStatus.values),
    lambda rows: rows.subject.status if isinstance(rows.subject, Campaign) else NO_CAMPAIGN,
    model=Campaign,
    field="status",
    labels=dict(CampaignStatus.choices),
)


def campaigns_in_type(rows: Rows) -> Refusal | None:
    if has_feature(rows.account.account_type, Feature.AD_CAMPAIGNS):
        return None
    return Refusal(
        Code.FEATURE_NOT_IN_TYPE,
        f"Ad campaigns come with a business account; this one is "
        f"{AccountType(rows.account.account_type).label.lower()}: switch the account type first.",
    )


def name_and_budget(rows: Rows) -> Refusal | None:
    try:
        amount = Decimal(str(rows.inputs["budget"]))
    except (InvalidOperation, ValueError):
        amount = Decimal("-1")
    if rows.inputs["name"] and amount.is_finite() and amount >= 0:
        rows.memo["budget"] = amount
        return None
    return Refusal(Code.INPUT_REQUIRED, "Give the campaign a name and a budget of zero or more.")


def shop_in_sandbox(rows: Rows) -> Refusal | None:
    if Shop.objects.filter(pk=rows.inputs["shop_id"], sandbox_id=rows.account.sandbox_id).exists():
        return None
    return Refusal(Code.SHOP_OTHER_SANDBOX, "That shop is in another sandbox.")


def _campaign_refusal(sources: tuple[str, ...], target: str):
    def refusal(rows: Rows) -> Refusal:
        campaign = rows.subject
        allowed = " or ".join(CampaignStatus(s).label.lower() for s in sources)
        return Refusal(
            Code.INVALID_STATE,
            f"{campaign.name} is {campaign.get_status_display().lower()}: only {allowed} "
            f"campaigns can be {CampaignStatus(target).label.lower()}"
            f"{'' if target == CampaignStatus.ENDED else ' now'}.",
        )

    return refusal


def _campaign_move(action, sources, target, statuses, *guards) -> Transition:
    return Transition(
        action,
        "campaign",
        sources,
        target,
        PEOPLE,
        account_statuses=statuses,
        gate=_work_gate(Action(action).label, statuses),
        done=lambda rows: Done(rows.subject) if rows.subject.status == target else None,
        wrong_state=_campaign_refusal(sources, target),
        guards=guards,
        event="campaign",
    )


CREATE_CAMPAIGN = Transition(
    Action.CREATE_CAMPAIGN,
    "campaign",
    (NO_CAMPAIGN,),
    CampaignStatus.DRAFT,
    PEOPLE,
    account_statuses=(ACTIVE,),
    gate=_work_gate("Create campaign", (ACTIVE,)),
    guards=(campaigns_in_type, name_and_budget, shop_in_sandbox, shop_linked),
    event="campaign",
)
DRAFT, LIVE = CampaignStatus.DRAFT, CampaignStatus.ACTIVE
PAUSED, ENDED = CampaignStatus.PAUSED, CampaignStatus.ENDED
START_CAMPAIGN = _campaign_move(
    Action.START_CAMPAIGN, (DRAFT, PAUSED), LIVE, (ACTIVE,), campaigns_in_type, shop_linked
)
PAUSE_CAMPAIGN = _campaign_move(Action.PAUSE_CAMPAIGN, (LIVE,), PAUSED, NOT_DELETED)
END_CAMPAIGN = _campaign_move(Action.END_CAMPAIGN, (DRAFT, LIVE, PAUSED), ENDED, NOT_DELETED)

# --- Listings ----------------------------------------------------------------------------------

LISTING = Machine(
    "listing",
    tuple(ListingStatus.values),
    lambda rows: rows.subject.listing_status,
    model=Product,
    field="listing_status",
    with_account=True,
    labels=dict(ListingStatus.choices),
)


def known_listing_status(rows: Rows) -> Refusal | None:
    if rows.inputs["status"] in ListingStatus.values:
        return None
    return Refusal(Code.UNKNOWN_LISTING_STATUS, "Choose active, sold out or removed.")


def stock_for_active(rows: Rows) -> Refusal | None:
    product = rows.subject
    if rows.inputs["status"] != ListingStatus.ACTIVE or product.stock > 0:
        return None
    return Refusal(
        Code.LISTING_NEEDS_STOCK,
        f"{product.title} has no stock: edit the product to add stock, then list it again.",
    )


CHANGE_LISTING = Transition(
    Action.CHANGE_LISTING,
    "listing",
    tuple(ListingStatus.values),
    CHOSEN,
    PEOPLE,
    account_statuses=NOT_DELETED,
    gate=account_in(NOT_DELETED, lambda rows: deleted()),
    inputs=(known_listing_status,),
    done=lambda rows: (
        Done(rows.subject) if rows.subject.listing_status == rows.inputs["status"] else None
    ),
    guards=(shop_linked, stock_for_active),
    event="listing",
)

# --- Editing a product ---------------------------------------------------------------------------

TITLE_LENGTH = Product._meta.get_field("title").max_length
PRICE_DIGITS = Product._meta.get_field("price").max_digits
PRICE_PLACES = Product._meta.get_field("price").decimal_places


def _price(value) -> Decimal | None:
    try:
        price = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    if not price.is_finite() or price < 0 or -price.as_tuple().exponent > PRICE_PLACES:
        return None
    if price.quantize(Decimal(1)).adjusted() >= PRICE_DIGITS - PRICE_PLACES:
        return None
    return price.quantize(Decimal(1).scaleb(-PRICE_PLACES))


MOST_STOCK = 1_000_000


def _stock(value) -> int | None:
    text = str(value).strip()
    return int(text) if text.isdigit() and int(text) <= MOST_STOCK else None


def product_values(rows: Rows) -> Refusal | None:
    """The edit's title, price and stock, checked; the listing status it leaves the product in.

    A listing whose stock is set to zero is sold out at once: nothing is on sale that cannot be
    sent. A sold-out or removed listing keeps its status when stock is added; listing it again
    is its own action.
    """
    title = " ".join(str(rows.inputs["title"] or "").split())
    if not title or len(title) > TITLE_LENGTH:
        return Refusal(
            Code.INPUT_REQUIRED, f"Give the product a title of 1 to {TITLE_LENGTH} characters."
        )
    price = _price(rows.inputs["price"])
    if price is None:
        return Refusal(
            Code.INPUT_REQUIRED,
            "Enter the price as an amount of zero or more, with at most two decimals.",
        )
    stock = _stock(rows.inputs["stock"])
    if stock is None:
        return Refusal(
            Code.INPUT_REQUIRED, f"Enter the stock as a whole number from 0 to {MOST_STOCK:,}."
        )
    rows.memo.update(title=title, price=price, stock=stock)
    status = rows.subject.listing_status
    sold_out = status == ListingStatus.ACTIVE and stock == 0
    rows.inputs["target"] = ListingStatus.SOLD_OUT if sold_out else status
    return None


def _edited_already(rows: Rows) -> Done | None:
    product, memo = rows.subject, rows.memo
    same = (product.title, product.price, product.stock) == (
        memo["title"],
        memo["price"],
        memo["stock"],
    )
    return Done(product) if same else None


EDIT_PRODUCT = Transition(
    Action.EDIT_PRODUCT,
    "listing",
    tuple(ListingStatus.values),
    CHOSEN,  # the status it had, or sold out when its stock goes to zero (`product_values`)
    PEOPLE,
    account_statuses=NOT_DELETED,
    gate=account_in(NOT_DELETED, lambda rows: deleted()),
    inputs=(product_values,),
    done=_edited_already,  # a double click saves nothing twice
    guards=(shop_linked,),
    event="listing",
)

MACHINES = (ORDER, INQUIRY, CAMPAIGN, LISTING)
TRANSITIONS = (
    CHANGE_LISTING,
    SHIP_ORDER,
    CANCEL_ORDER,
    REPLY_INQUIRY,
    CREATE_CAMPAIGN,
    START_CAMPAIGN,
    PAUSE_CAMPAIGN,
    END_CAMPAIGN,
    EDIT_PRODUCT,
)
CAMPAIGN_MOVES = {
    t.action: (t.sources, t.target) for t in (START_CAMPAIGN, PAUSE_CAMPAIGN, END_CAMPAIGN)
}


def campaign_moves_from(status: str) -> list[str]:
    """The campaign actions declared from `status` (for the UI's buttons)."""
    return [action for action, (sources, _target) in CAMPAIGN_MOVES.items() if status in sources]
