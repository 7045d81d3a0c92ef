"""Deleting an account (RULEBOOK §5): the account's status and the deletion request's own machine.

Each deletion action moves two subjects in one step: the account's status (the machine the
timeline event is about) and the request (declared in `also`).
"""

from typing import Any

from lifecycle.actions import Action
from lifecycle.errors import Code
from lifecycle.models import DeletionRequest, DeletionStatus

from .base import (
    ACTIVE,
    DEACTIVATED,
    DELETED,
    JOB,
    PEOPLE,
    PREVIOUS,
    REQUESTED,
    SCHEDULED,
    TRAINEE,
    ChecklistRow,
    Done,
    Machine,
    Refusal,
    Rows,
    Transition,
    asks,
    blocks,
    when,
)
from .deletion_facts import campaigns_blocker, deletion_checklist, orders_blocker

NONE = "(no request)"
PENDING, CONFIRMED = DeletionStatus.PENDING.value, DeletionStatus.SCHEDULED.value
LAPSED, CANCELLED = DeletionStatus.LAPSED.value, DeletionStatus.CANCELLED.value
FINALIZED = DeletionStatus.FINALIZED.value

REQUEST = Machine(
    "deletion_request",
    (NONE, *DeletionStatus.values),
    lambda rows: rows.request.status if rows.request is not None else NONE,
    model=DeletionRequest,
    field="status",
    labels=dict(DeletionStatus.choices),
    row_of=lambda rows: rows.request,  # moved with the account's status (`also`)
)

# --- The checklist before a request ------------------------------------------------------------


def _checklist(rows: Rows) -> dict[str, Any]:
    if "checklist" not in rows.memo:
        rows.memo["checklist"] = deletion_checklist(rows.seller)
    return rows.memo["checklist"]


@blocks(
    ChecklistRow(
        "orders",
        "Every order shipped or cancelled",
        fix="orders",
        fix_query="?status=awaiting_shipment",
        fix_label="Ship or cancel orders",
        detail=lambda facts: f"{len(facts['orders_awaiting_shipment'])} awaiting shipment",
    )
)
def orders_shipped(rows: Rows) -> Refusal | None:
    return orders_blocker(rows.seller, _checklist(rows))


@blocks(
    ChecklistRow(
        "campaigns",
        "Every campaign ended",
        fix="campaigns",
        fix_label="End campaigns",
        detail=lambda facts: ", ".join(facts["active_campaigns"][:5]),
    )
)
def campaigns_ended(rows: Rows) -> Refusal | None:
    return campaigns_blocker(rows.seller, _checklist(rows))


# What the close page recommends but the request does not check (RULEBOOK §5), each done when
# its fact in `deletion_checklist` holds.
RECOMMENDED = (
    ChecklistRow(
        "exported",
        "Your data exported and downloaded",
        fix="exports",
        fix_label="Export your data",
        done=lambda facts: facts["data_exported"],
    ),
    ChecklistRow(
        "notified",
        "Customers told the shop is closing",
        fix="close_account",
        fix_query="#notify",
        fix_label="Notify customers",
        done=lambda facts: facts["customers_notified"],
    ),
)


@asks
def acknowledged(rows: Rows) -> Refusal | None:
    if rows.inputs.get("acknowledged"):
        return None
    return Refusal(
        Code.CONSEQUENCES_NOT_ACKNOWLEDGED,
        "Tick the box to confirm you understand what will be removed for good.",
    )


@asks
def password_right(rows: Rows) -> Refusal | None:
    if rows.sandbox.owner.check_password(rows.inputs.get("password") or ""):
        return None
    return Refusal(
        Code.WRONG_PASSWORD,
        "That password is not right: enter your sign-in password to prove it is you.",
    )


# --- The emailed link --------------------------------------------------------------------------


def _closed(request: DeletionRequest) -> str:
    """What became of a closed request, as a sentence says it: "lapsed", "was cancelled"."""
    if request.status == DeletionStatus.LAPSED:
        return "lapsed"
    return f"was {request.get_status_display().lower()}"


def confirmation_refusal(request: DeletionRequest, now) -> Refusal | None:
    """Why the emailed link of `request` no longer confirms anything at `now`, if it does not.

    The link page asks this before it offers the button; the confirmation refuses with it.
    """
    if request.confirmed_at is not None:
        # After a cancel or the finalization the date is no longer a schedule: do not claim one.
        scheduled = (
            f": the deletion is scheduled for {when(request.scheduled_for)}"
            if request.status == DeletionStatus.SCHEDULED and request.scheduled_for
            else f", and the request was {request.get_status_display().lower()} since"
        )
        return Refusal(Code.TOKEN_USED, f"This link was used already{scheduled}.")
    if request.status != DeletionStatus.PENDING:
        return Refusal(
            Code.REQUEST_CLOSED,
            f"This deletion request {_closed(request)}: the link no "
            "longer works. Start a new request if you still want to delete the account.",
        )
    if now >= request.link_expires_at:
        return Refusal(
            Code.TOKEN_EXPIRED,
            f"This link expired at {when(request.link_expires_at)}: request the deletion again.",
        )
    return None


def _link_refusal(rows: Rows) -> Refusal | None:
    return confirmation_refusal(rows.deletion, rows.now)


def link_not_expired(rows: Rows) -> Refusal | None:
    return confirmation_refusal(rows.deletion, rows.now)


def _link_due(rows: Rows) -> Refusal | None:
    if rows.now >= rows.deletion.link_expires_at:
        return None
    return Refusal(
        Code.NOT_DUE, f"The confirmation link is valid until {when(rows.deletion.link_expires_at)}."
    )


def _finalization_due(rows: Rows) -> Refusal | None:
    scheduled_for = rows.deletion.scheduled_for
    assert scheduled_for is not None  # nosec B101  # a confirmed request has its date
    if rows.now >= scheduled_for:
        return None
    scheduled = when(scheduled_for)
    return Refusal(Code.NOT_DUE, f"The deletion is scheduled for {scheduled}.")


# --- Refusals outside the sources --------------------------------------------------------------


def _only_waiting(rows: Rows) -> Refusal:
    return Refusal(Code.REQUEST_CLOSED, "Only a request waiting for its email can lapse.")


def _nothing_to_cancel(rows: Rows) -> Refusal:
    if rows.seller.status == DELETED:
        return Refusal(
            Code.ACCOUNT_DELETED, "The account was deleted already: a deletion cannot be undone."
        )
    return Refusal(Code.NO_OPEN_REQUEST, "There is no deletion request to cancel.")


def _not_confirmed(rows: Rows) -> Refusal:
    return Refusal(
        Code.INVALID_STATE, "Only an account whose deletion was confirmed can be finalized."
    )


# --- Repeats -----------------------------------------------------------------------------------


def _requested_already(rows: Rows) -> Done | None:
    return Done(rows.request) if rows.request is not None and rows.request.is_open else None


def _lapsed_already(rows: Rows) -> Done | None:
    return Done(rows.request) if rows.deletion.status == LAPSED else None


def _cancelled_already(rows: Rows) -> Done | None:
    if rows.request is not None:
        return None
    last = rows.seller.deletion_requests.first()
    return Done(last) if last is not None and last.status == CANCELLED else None


def _deleted_already(rows: Rows) -> Done | None:
    return Done(rows.seller) if rows.seller.status == DELETED else None


# --- The request's own moves (declared, applied with the account's) ----------------------------

ON_REQUEST = Transition(Action.REQUEST_DELETION, "deletion_request", (NONE,), PENDING, frozenset())
ON_CONFIRM = Transition(
    Action.CONFIRM_DELETION,
    "deletion_request",
    (PENDING,),
    CONFIRMED,
    frozenset(),
    wrong_state=_link_refusal,
)
ON_LAPSE = Transition(
    Action.LAPSE_DELETION,
    "deletion_request",
    (PENDING,),
    LAPSED,
    frozenset(),
    wrong_state=_only_waiting,
)
ON_CANCEL = Transition(
    Action.CANCEL_DELETION,
    "deletion_request",
    (PENDING, CONFIRMED),
    CANCELLED,
    frozenset(),
    wrong_state=_nothing_to_cancel,
)
ON_FINALIZE = Transition(
    Action.FINALIZE_DELETION,
    "deletion_request",
    (CONFIRMED,),
    FINALIZED,
    frozenset(),
    wrong_state=_not_confirmed,
)

# --- The account's status ----------------------------------------------------------------------

REQUEST_DELETION = Transition(
    Action.REQUEST_DELETION,
    "account",
    (ACTIVE, DEACTIVATED),
    REQUESTED,
    frozenset({TRAINEE}),
    done=_requested_already,
    wrong_state=lambda rows: Refusal(Code.ACCOUNT_DELETED, "This account was deleted already."),
    # The blocking work first, then the proof of who asks (docs/rules.md).
    guards=(orders_shipped, campaigns_ended, acknowledged, password_right),
    also=(ON_REQUEST,),
    event="account",
    destructive=True,
)
CONFIRM_DELETION = Transition(
    Action.CONFIRM_DELETION,
    "account",
    (REQUESTED,),
    SCHEDULED,
    frozenset({TRAINEE}),
    wrong_state=_link_refusal,
    guards=(link_not_expired,),
    also=(ON_CONFIRM,),
    event="account",
)


def _status_before(rows: Rows) -> str:
    """PREVIOUS: the account's status when the open request was made."""
    return rows.deletion.previous_status


LAPSE_DELETION = Transition(
    Action.LAPSE_DELETION,
    "account",
    (REQUESTED,),
    PREVIOUS,
    frozenset({JOB}),
    target_of=_status_before,
    done=_lapsed_already,
    wrong_state=_only_waiting,
    guards=(_link_due,),
    also=(ON_LAPSE,),
    event="account",
)
CANCEL_DELETION = Transition(
    Action.CANCEL_DELETION,
    "account",
    (REQUESTED, SCHEDULED),
    PREVIOUS,
    PEOPLE,
    target_of=_status_before,
    done=_cancelled_already,
    wrong_state=_nothing_to_cancel,
    also=(ON_CANCEL,),
    event="account",
)
FINALIZE_DELETION = Transition(
    Action.FINALIZE_DELETION,
    "account",
    (SCHEDULED,),
    DELETED,
    frozenset({JOB}),
    done=_deleted_already,
    wrong_state=_not_confirmed,
    guards=(_finalization_due,),
    also=(ON_FINALIZE,),
    event="account",
    destructive=True,
)

MACHINES = (REQUEST,)
TRANSITIONS = (
    REQUEST_DELETION,
    CONFIRM_DELETION,
    LAPSE_DELETION,
    CANCEL_DELETION,
    FINALIZE_DELETION,
)
REQUEST_TRANSITIONS = (ON_REQUEST, ON_CONFIRM, ON_LAPSE, ON_CANCEL, ON_FINALIZE)
