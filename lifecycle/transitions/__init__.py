"""The state machines of the simulator, declared once.

One machine per subject (the account's status and type, a shop's link, a deletion request, an
export, an order, an inquiry, a campaign, a listing, an announcement, an app's access, the
sandbox's clock, a video's sound, a product link, a live session), each in its own module (the
studio's three in one); the states are the models' choices. Each transition names its action,
sources, target, the actor kinds that may start it, its checks in order and the event it
writes. `lifecycle.core.apply` enforces them: the services call it and keep only their side
effects. The UI asks this package what is possible now, the admin shows its buttons from it
and the diagram is drawn from it.

Why a declared table and not django-fsm-2: two machines (account status and shop link) share one
vocabulary of actions; two targets ("the state before the request") depend on stored data; and
every service already locks its rows with SELECT ... FOR UPDATE, so the optimistic version check
of ConcurrentTransitionMixin would add a second locking scheme for no gain.
"""

from lifecycle.actions import Action

from . import account, announcement, deletion, export, link, product, sandbox, shop, studio
from .base import (
    ACCOUNT_STATES,
    ACTIVE,
    CHOSEN,
    DEACTIVATED,
    DELETED,
    EVERYONE,
    JOB,
    NOT_DELETED,
    PEOPLE,
    PREVIOUS,
    REQUESTED,
    SAME,
    SCHEDULED,
    STAFF,
    TRAINEE,
    Done,
    Guard,
    Machine,
    Refusal,
    Rows,
    Transition,
    when,
)
from .export import EXPIRED, FAILED, NEW, QUEUED, READY, RUNNING
from .link import LINK_STATES, LINKED, UNLINKED
from .shop import CAMPAIGN_MOVES, campaign_moves_from

MACHINES: dict[str, Machine] = {
    m.name: m
    for module in (account, link, deletion, export, shop, product, announcement, sandbox, studio)
    for m in module.MACHINES
}

# The seller account's transitions, in the order the pages list them.
TRANSITIONS: tuple[Transition, ...] = (
    *link.TRANSITIONS,
    *account.TRANSITIONS[:3],  # switch type, deactivate, reactivate
    *deletion.TRANSITIONS,
    product.CHANGE_LISTING,
    *account.TRANSITIONS[3:],  # the apps' access
    *announcement.TRANSITIONS,
    *export.TRANSITIONS,
    *shop.TRANSITIONS,
    product.EDIT_PRODUCT,
)
# Declared too, applied by the same core: the deletion request's moves (made with the account's),
# the export builder's silent moves, the sandbox's clock and the studio's (the videos and audience
# pages offer those, not the account's).
OTHER_TRANSITIONS: tuple[Transition, ...] = (
    *deletion.REQUEST_TRANSITIONS,
    *link.CAUSED,
    *export.SILENT,
    *sandbox.TRANSITIONS,
    *studio.TRANSITIONS,
)

BY_ACTION: dict[str, Transition] = {}
for _t in TRANSITIONS:
    BY_ACTION.setdefault(_t.action, _t)  # one action, two transitions: the first is the offer
BY_KEY: dict[str, Transition] = {t.key: t for t in (*TRANSITIONS, *OTHER_TRANSITIONS)}


def transition_for(action: str) -> Transition:
    return BY_ACTION[action]


# The machine of a timeline event, from its subject type (an app's is "app:<name>").
_SUBJECT_MACHINES = {"shop": "link", "product": "listing"}


def machine_of(subject_type: str) -> str:
    name = subject_type.split(":", 1)[0]
    return _SUBJECT_MACHINES.get(name, name)


def state_fields(model: type) -> tuple[str, ...]:
    """The fields of `model` that hold a declared machine's state, in the declared order: only
    the engine writes them, so the admin shows them read-only."""
    return tuple(m.field for m in MACHINES.values() if m.model is model and m.field)


def state_label(machine: str, state: str) -> str:
    """A state as the pages name it: the model's label for it."""
    found = MACHINES.get(machine)
    return found.label(state) if found else state


def _offered_with_account(t: Transition, status: str) -> bool:
    if t.machine == "account":
        return status in t.sources
    return MACHINES[t.machine].with_account and status in t.account_statuses


def account_actions_from(status: str, actor_kind: str) -> list[Transition]:
    """Transitions the account's pages offer in `status` to `actor_kind`: its status machine's,
    and those of its type, listings, apps and announcement that its status allows."""
    return [
        t for t in BY_ACTION.values() if _offered_with_account(t, status) and actor_kind in t.actors
    ]


def link_actions_from(link_state: str, account_status: str, actor_kind: str) -> list[Transition]:
    return [
        t
        for t in BY_ACTION.values()
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
    edges: list[tuple[str, str, str]] = []
    for t in BY_ACTION.values():
        if t.machine != "account" or t.target == SAME:
            continue
        for source in t.sources:
            targets = request_sources if t.target == PREVIOUS else (t.target,)
            edges.extend((source, target, t.action) for target in targets)
    return edges


__all__ = [
    "ACCOUNT_STATES",
    "ACTIVE",
    "BY_ACTION",
    "BY_KEY",
    "CAMPAIGN_MOVES",
    "CHOSEN",
    "DEACTIVATED",
    "DELETED",
    "EVERYONE",
    "EXPIRED",
    "FAILED",
    "JOB",
    "LINKED",
    "LINK_STATES",
    "MACHINES",
    "NEW",
    "NOT_DELETED",
    "OTHER_TRANSITIONS",
    "PEOPLE",
    "PREVIOUS",
    "QUEUED",
    "READY",
    "REQUESTED",
    "RUNNING",
    "SAME",
    "SCHEDULED",
    "STAFF",
    "TRAINEE",
    "TRANSITIONS",
    "UNLINKED",
    "Action",
    "Done",
    "Guard",
    "Machine",
    "Refusal",
    "Rows",
    "Transition",
    "account_actions_from",
    "campaign_moves_from",
    "link_actions_from",
    "machine_of",
    "state_fields",
    "state_label",
    "status_edges",
    "transition_for",
    "when",
]
