"""The shop's day-to-day machines (RULEBOOK §2–§4): orders, inquiries, campaigns (a product's
listing and its edits are in `product`).

None changes the account's status; each runs only in the account statuses it declares, and only
for a shop linked now: an unlinked shop's tools are out of reach until it is relinked (§3).
Orders placed before a deactivation must still be shipped (§5), so order work runs in every
status but deleted.
"""

from decimal import Decimal, InvalidOperation

from accounts.types import Feature
from lifecycle.actions import Action, label_of
from lifecycle.errors import Code
from lifecycle.transitions.base import (
    ACTIVE,
    DELETED,
    NOT_DELETED,
    PEOPLE,
    Done,
    Kind,
    Machine,
    Refusal,
    Rows,
    Subject,
    Transition,
    account_in,
    deleted,
    in_type,
)
from shops.models import (
    Campaign,
    CampaignStatus,
    Inquiry,
    Order,
    OrderStatus,
    Shop,
    ShopLink,
)


def _work_gate(label: str, statuses: tuple[str, ...]):
    def refusal(rows: Rows) -> Refusal:
        if rows.seller.status == DELETED:
            return deleted()
        return Refusal(
            Code.ACCOUNT_NOT_ACTIVE,
            f"The account is {rows.status_phrase()}: {label.lower()} needs an active account.",
        )

    return account_in(statuses, refusal)


def shop_linked(rows: Rows) -> Refusal | None:
    """The subject's shop is linked to the account now."""
    shop_id = rows.inputs.get("shop_id") or rows.subject.shop_id
    if ShopLink.objects.live().filter(account=rows.seller, shop_id=shop_id).exists():
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
    tones={
        OrderStatus.AWAITING_SHIPMENT: "text-bg-warning",
        OrderStatus.CANCELLED: "text-bg-secondary",
        "": "text-bg-success",
    },
    kind=Kind(lambda rows: rows.subject, lambda rows: "order"),
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
    kind=Kind(lambda rows: rows.subject, lambda rows: "inquiry"),
    subject=Subject(Inquiry, "inquiry", lambda inquiry: f"Inquiry #{inquiry.pk}"),  # not str():
    # that would name the customer
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
    tones={
        CampaignStatus.ACTIVE: "text-bg-success",
        CampaignStatus.PAUSED: "text-bg-warning",
        CampaignStatus.ENDED: "text-bg-secondary",
        "": "text-bg-light border",
    },
    kind=Kind(lambda rows: rows.subject, lambda rows: "campaign"),
)


campaigns_in_type = in_type(Feature.AD_CAMPAIGNS)


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
    if Shop.objects.filter(pk=rows.inputs["shop_id"], sandbox_id=rows.seller.sandbox_id).exists():
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
        gate=_work_gate(label_of(action), statuses),
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

MACHINES = (ORDER, INQUIRY, CAMPAIGN)
TRANSITIONS = (
    SHIP_ORDER,
    CANCEL_ORDER,
    REPLY_INQUIRY,
    CREATE_CAMPAIGN,
    START_CAMPAIGN,
    PAUSE_CAMPAIGN,
    END_CAMPAIGN,
)
CAMPAIGN_MOVES = {
    t.action: (t.sources, t.target) for t in (START_CAMPAIGN, PAUSE_CAMPAIGN, END_CAMPAIGN)
}


def campaign_moves_from(status: str) -> list[str]:
    """The campaign actions declared from `status` (for the UI's buttons)."""
    return [action for action, (sources, _target) in CAMPAIGN_MOVES.items() if status in sources]
