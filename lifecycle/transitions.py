"""The state machines of the simulator, declared once.

The table below is the single declaration of which action moves which state where and who may
start it. The services enforce it (`lifecycle.services`), the UI asks it what is possible now,
the admin shows its buttons from it and the diagram is drawn from it.

Why a declared table and not django-fsm-2: two machines (account status and shop link) share one
vocabulary of actions; two targets ("the state before the request") depend on stored data; and
every service already locks its rows with SELECT ... FOR UPDATE, so the optimistic version check
of ConcurrentTransitionMixin would add a second locking scheme for no gain.
"""

from dataclasses import dataclass

from django.db import models


class Action(models.TextChoices):
    LINK_SHOP = "link_shop", "Link shop"
    UNLINK_SHOP = "unlink_shop", "Unlink shop"
    RELINK_SHOP = "relink_shop", "Relink shop"
    SWITCH_TYPE = "switch_type", "Switch account type"
    DEACTIVATE = "deactivate", "Deactivate account"
    REACTIVATE = "reactivate", "Reactivate account"
    REQUEST_DELETION = "request_deletion", "Request deletion"
    CONFIRM_DELETION = "confirm_deletion", "Confirm deletion"
    LAPSE_DELETION = "lapse_deletion", "Deletion request lapsed"
    CANCEL_DELETION = "cancel_deletion", "Cancel deletion"
    FINALIZE_DELETION = "finalize_deletion", "Finalize deletion"
    CHANGE_LISTING = "change_listing", "Change listing status"
    REMOVE_APP_ACCESS = "remove_app_access", "Remove app access"
    GRANT_APP_ACCESS = "grant_app_access", "Grant app access"
    ADVANCE_CLOCK = "advance_clock", "Advance the clock"
    # Day-to-day Seller Center work (orders, inquiries, campaigns).
    SHIP_ORDER = "ship_order", "Ship order"
    CANCEL_ORDER = "cancel_order", "Cancel order"
    REPLY_INQUIRY = "reply_inquiry", "Reply to inquiry"
    CREATE_CAMPAIGN = "create_campaign", "Create campaign"
    START_CAMPAIGN = "start_campaign", "Start campaign"
    PAUSE_CAMPAIGN = "pause_campaign", "Pause campaign"
    END_CAMPAIGN = "end_campaign", "End campaign"
    # What the account type unlocks on the shop's videos (RULEBOOK §4; studio.services).
    PICK_SOUND = "pick_sound", "Pick a sound"
    ADD_PRODUCT_LINK = "add_product_link", "Add product link"
    REMOVE_PRODUCT_LINK = "remove_product_link", "Remove product link"
    SCHEDULE_LIVE = "schedule_live", "Schedule live session"
    CANCEL_LIVE = "cancel_live", "Cancel live session"
    # Data exports, announcements and emails (RULEBOOK §5, §6).
    REQUEST_EXPORT = "request_export", "Request data export"
    EXPORT_READY = "export_ready", "Export ready"
    EXPORT_FAILED = "export_failed", "Export failed"
    RETRY_EXPORT = "retry_export", "Retry data export"
    DOWNLOAD_EXPORT = "download_export", "Download data export"
    EXPIRE_EXPORT = "expire_export", "Export expired"
    NOTIFY_CUSTOMERS = "notify_customers", "Notify customers"
    SEND_EMAIL = "send_email", "Send email"
    RESET_DEMO = "reset_demo", "Reset demo sandbox"
    # Support desk actions (the admin's case page).
    RESEND_CONFIRMATION = "resend_confirmation", "Resend the confirmation email"
    RUN_DUE_WORK = "run_due_work", "Run what is due now"


# Account states (accounts.models.AccountStatus values) and shop link states.
ACTIVE, DEACTIVATED = "active", "deactivated"
REQUESTED, SCHEDULED, DELETED = "deletion_requested", "deletion_scheduled", "deleted"
LINKED, UNLINKED = "linked", "unlinked"
PREVIOUS = "(state before the request)"
NEW, QUEUED, RUNNING, READY, FAILED, EXPIRED = (
    "new",
    "queued",
    "running",
    "ready",
    "failed",
    "expired",
)
SAME = "(unchanged)"

NOT_DELETED = (ACTIVE, DEACTIVATED, REQUESTED, SCHEDULED)

TRAINEE, STAFF, JOB = "trainee", "staff", "job"
PEOPLE = frozenset({TRAINEE, STAFF})


@dataclass(frozen=True)
class Transition:
    action: str
    machine: str  # "account" or "link"
    sources: tuple[str, ...]
    target: str
    actors: frozenset[str]
    # The account statuses in which a link-machine action may run.
    account_statuses: tuple[str, ...] = ()
    destructive: bool = False

    @property
    def label(self) -> str:
        return Action(self.action).label


TRANSITIONS: tuple[Transition, ...] = (
    # §3 the shop link
    Transition(Action.LINK_SHOP, "link", (UNLINKED,), LINKED, PEOPLE, (ACTIVE,)),
    Transition(
        Action.UNLINK_SHOP, "link", (LINKED,), UNLINKED, PEOPLE, NOT_DELETED, destructive=True
    ),
    Transition(Action.RELINK_SHOP, "link", (UNLINKED,), LINKED, PEOPLE, (ACTIVE,)),
    # §4 account type: a change of type, not of status
    Transition(Action.SWITCH_TYPE, "account", (ACTIVE,), SAME, PEOPLE),
    # §5 account status
    Transition(Action.DEACTIVATE, "account", (ACTIVE,), DEACTIVATED, PEOPLE),
    Transition(Action.REACTIVATE, "account", (DEACTIVATED,), ACTIVE, PEOPLE),
    Transition(
        Action.REQUEST_DELETION,
        "account",
        (ACTIVE, DEACTIVATED),
        REQUESTED,
        frozenset({TRAINEE}),
        destructive=True,
    ),
    Transition(Action.CONFIRM_DELETION, "account", (REQUESTED,), SCHEDULED, frozenset({TRAINEE})),
    Transition(Action.LAPSE_DELETION, "account", (REQUESTED,), PREVIOUS, frozenset({JOB})),
    Transition(Action.CANCEL_DELETION, "account", (REQUESTED, SCHEDULED), PREVIOUS, PEOPLE),
    Transition(
        Action.FINALIZE_DELETION,
        "account",
        (SCHEDULED,),
        DELETED,
        frozenset({JOB}),
        destructive=True,
    ),
    # Housekeeping actions that change a listing or an authorization, not the account.
    Transition(Action.CHANGE_LISTING, "account", NOT_DELETED, SAME, PEOPLE),
    Transition(Action.REMOVE_APP_ACCESS, "account", NOT_DELETED, SAME, PEOPLE),
    Transition(Action.GRANT_APP_ACCESS, "account", (ACTIVE,), SAME, PEOPLE),
    Transition(Action.NOTIFY_CUSTOMERS, "account", NOT_DELETED, SAME, PEOPLE | {JOB}),
    # §6 a data export's own machine; account_statuses says when the account allows it.
    Transition(Action.REQUEST_EXPORT, "export", (NEW,), QUEUED, PEOPLE, NOT_DELETED),
    Transition(Action.RETRY_EXPORT, "export", (FAILED,), QUEUED, PEOPLE, NOT_DELETED),
    Transition(Action.EXPORT_READY, "export", (RUNNING,), READY, frozenset({JOB}), NOT_DELETED),
    Transition(
        Action.EXPORT_FAILED, "export", (QUEUED, RUNNING), FAILED, frozenset({JOB}), NOT_DELETED
    ),
    Transition(
        Action.DOWNLOAD_EXPORT, "export", (READY,), READY, frozenset({TRAINEE}), NOT_DELETED
    ),
    Transition(Action.EXPIRE_EXPORT, "export", (READY,), EXPIRED, frozenset({JOB}), NOT_DELETED),
)

BY_ACTION: dict[str, Transition] = {t.action: t for t in TRANSITIONS}
ACCOUNT_STATES = (ACTIVE, DEACTIVATED, REQUESTED, SCHEDULED, DELETED)
LINK_STATES = (UNLINKED, LINKED)


def transition_for(action: str) -> Transition:
    return BY_ACTION[action]


def account_actions_from(status: str, actor_kind: str) -> list[Transition]:
    """Account-machine transitions declared from `status` that `actor_kind` may start."""
    return [
        t
        for t in TRANSITIONS
        if t.machine == "account" and status in t.sources and actor_kind in t.actors
    ]


def link_actions_from(link_state: str, account_status: str, actor_kind: str) -> list[Transition]:
    return [
        t
        for t in TRANSITIONS
        if t.machine == "link"
        and link_state in t.sources
        and account_status in t.account_statuses
        and actor_kind in t.actors
    ]


def status_edges() -> list[tuple[str, str, str]]:
    """(source, target, action) for each edge of the account-status diagram.

    "The state before the request" is drawn as one edge back to each state a request starts from.
    """
    request_sources = BY_ACTION[Action.REQUEST_DELETION].sources
    edges = []
    for t in TRANSITIONS:
        if t.machine != "account" or t.target == SAME:
            continue
        for source in t.sources:
            targets = request_sources if t.target == PREVIOUS else (t.target,)
            edges.extend((source, target, t.action) for target in targets)
    return edges
