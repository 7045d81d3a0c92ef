"""The account's own machines: its status, its type, and each connected app's access."""

from accounts.models import AccountStatus, AppAuthorization, ConnectedApp, SellerAccount
from accounts.types import AccountType, Category
from editions import registry as editions
from lifecycle.actions import Action
from lifecycle.errors import Code
from lifecycle.transitions.base import (
    ACTIVE,
    CHOSEN,
    DEACTIVATED,
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
    needs_active,
)

# --- Status (RULEBOOK §5) ----------------------------------------------------------------------

STATUS = Machine(
    "account",
    tuple(AccountStatus.values),
    lambda rows: rows.seller.status,
    model=SellerAccount,
    field="status",
    with_account=True,
    labels=dict(AccountStatus.choices),
    tones={
        AccountStatus.ACTIVE: "text-bg-success",
        AccountStatus.DEACTIVATED: "text-bg-secondary",
        AccountStatus.DELETED: "text-bg-dark border",
        "": "text-bg-danger",
    },
    kind=Kind(lambda rows: rows.seller),
    # An event about the account of one of its other machines (its type, an app) is typed by
    # that machine's label.
    subject=Subject(SellerAccount, "account", lambda a: f"Seller account #{a.pk}", by_machine=True),
)


def _only(source: str, done: str):
    def refusal(rows: Rows) -> Refusal:
        return Refusal(
            Code.INVALID_STATE,
            f"The account is {rows.status_phrase()}: only {source} accounts can be {done}.",
        )

    return refusal


def _already(status: str):
    return lambda rows: Done(rows.seller) if rows.seller.status == status else None


DEACTIVATE = Transition(
    Action.DEACTIVATE,
    "account",
    (ACTIVE,),
    DEACTIVATED,
    PEOPLE,
    wrong_state=_only(ACTIVE, "deactivated"),
    done=_already(DEACTIVATED),
    event="account",
)
REACTIVATE = Transition(
    Action.REACTIVATE,
    "account",
    (DEACTIVATED,),
    ACTIVE,
    PEOPLE,
    wrong_state=_only(DEACTIVATED, "reactivated"),
    done=_already(ACTIVE),
    event="account",
)

# --- Type (RULEBOOK §4): a change of type, not of status ---------------------------------------

TYPE = Machine(
    "account_type",
    tuple(AccountType.values),
    lambda rows: rows.seller.account_type,
    model=SellerAccount,
    field="account_type",
    with_account=True,
    labels=dict(AccountType.choices),
    kind=Kind(lambda rows: rows.seller, lambda rows: "account_type"),
)


def known_type(rows: Rows) -> Refusal | None:
    """A type of the edition in force (its `account_types`)."""
    kinds = editions.of(rows.sandbox).account_types
    if rows.inputs["account_type"] not in kinds:
        names = [kind.label.lower() for kind in kinds.values()]
        listed = ", ".join(names[:-1]) + f" or {names[-1]}" if len(names) > 1 else names[0]
        return Refusal(Code.UNKNOWN_TYPE, f"Choose {listed}.")
    return None


def category_fits(rows: Rows) -> Refusal | None:
    kind, category = rows.inputs["account_type"], rows.inputs["category"]
    needs_category = editions.of(rows.sandbox).account_types[kind].needs_category
    if needs_category and not category:
        return Refusal(
            Code.CATEGORY_REQUIRED,
            f"A {AccountType(kind).label.lower()} account needs a category: pick one "
            "from the list.",
        )
    if category and category not in Category.values:
        return Refusal(Code.UNKNOWN_CATEGORY, "That category is not on the list: pick one.")
    if category and not needs_category:
        return Refusal(
            Code.CATEGORY_NOT_ALLOWED, "A personal account has no category: leave it empty."
        )
    return None


def _same_type(rows: Rows) -> Done | None:
    account = rows.seller
    same = (account.account_type, account.category) == (
        rows.inputs["account_type"],
        rows.inputs["category"],
    )
    return Done(account) if same else None


SWITCH_TYPE = Transition(
    Action.SWITCH_TYPE,
    "account_type",
    tuple(AccountType.values),
    CHOSEN,
    PEOPLE,
    gate=account_in((ACTIVE,), needs_active("the type can be switched only while it is active")),
    inputs=(known_type, category_fits),
    done=_same_type,
    event="account_type",
)

# --- Connected apps: each app's access is its own small machine --------------------------------

CONNECTED, DISCONNECTED = "connected", "disconnected"


APP = Machine(
    "app",
    (DISCONNECTED, CONNECTED),
    lambda rows: CONNECTED if rows.grant else DISCONNECTED,
    model=AppAuthorization,
    field="revoked_at",
    core_writes=False,
    with_account=True,
    kind=Kind(lambda rows: rows.seller, lambda rows: f"app:{rows.inputs['app']}"),
    subject=Subject(AppAuthorization, "app", lambda grant: grant.get_app_display()),
)


def known_app(rows: Rows) -> Refusal | None:
    if rows.inputs["app"] not in ConnectedApp.values:
        return Refusal(Code.UNKNOWN_APP, "That app is not one the Seller Center connects to.")
    return None


def _removed_already(rows: Rows) -> Done | None:
    if rows.grant is not None:
        return None
    grants = rows.seller.app_authorizations.filter(app=rows.inputs["app"])
    last = grants.order_by("-granted_at").first()
    return Done(last) if last is not None else None


def _nothing_to_remove(rows: Rows) -> Refusal:
    return Refusal(
        Code.APP_NOT_CONNECTED, f"{ConnectedApp(rows.inputs['app']).label} has no access to remove."
    )


# A deleted account's authorizations were purged: say it was deleted, not "not connected".
REMOVE_APP_ACCESS = Transition(
    Action.REMOVE_APP_ACCESS,
    "app",
    (CONNECTED,),
    DISCONNECTED,
    PEOPLE,
    gate=account_in(NOT_DELETED, lambda rows: deleted()),
    inputs=(known_app,),
    done=_removed_already,  # never for a deleted account: its grants were purged
    wrong_state=_nothing_to_remove,
    event="app",
)


def _granted_already(rows: Rows) -> Done | None:
    return Done(rows.grant) if rows.grant is not None else None


GRANT_APP_ACCESS = Transition(
    Action.GRANT_APP_ACCESS,
    "app",
    (DISCONNECTED,),
    CONNECTED,
    PEOPLE,
    gate=account_in((ACTIVE,), needs_active("only an active account can connect apps")),
    inputs=(known_app,),
    done=_granted_already,
    event="app",
)

MACHINES = (STATUS, TYPE, APP)
TRANSITIONS = (SWITCH_TYPE, DEACTIVATE, REACTIVATE, REMOVE_APP_ACCESS, GRANT_APP_ACCESS)
