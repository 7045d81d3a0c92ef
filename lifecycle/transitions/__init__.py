"""The state machines of the simulator, declared once: the declaration's shape and its registry.

One machine per subject (the account's status and type, a shop's link, a deletion request, an
export, an order, an inquiry, a campaign, a listing, an announcement, an app's access, the
sandbox's clock, a video's sound, a product link, a live session), each declared by the app that
owns the subject, next to its models (`accounts/transitions/`, `shops/transitions/`,
`studio/transitions.py`, and this app's deletion request, export and announcement here), and
registered (`registry.register`); the states are the models' choices. Each transition names its
action, sources, target, the actor kinds that may start it, its checks in order and the event it
writes. `lifecycle.core.apply` enforces them: the services call it and keep only their side
effects. The UI asks this package what is possible now, the admin shows its buttons from it
and the diagram is drawn from it. This package itself (with `base` and `registry`) imports no
app's machines: it is the engine's half of the declaration.

Why a declared table and not django-fsm-2: two machines (account status and shop link) share one
vocabulary of actions; two targets ("the state before the request") depend on stored data; and
every service already locks its rows with SELECT ... FOR UPDATE, so the optimistic version check
of ConcurrentTransitionMixin would add a second locking scheme for no gain.
"""

from lifecycle.actions import Action

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
    Kind,
    Machine,
    Refusal,
    Rows,
    Subject,
    Transition,
    when,
)
from .registry import (
    BY_ACTION,
    BY_KEY,
    MACHINES,
    OTHER_TRANSITIONS,
    TRANSITIONS,
    kind_of,
    machine_of,
    register,
    subject_for,
)


def transition_for(action: str) -> Transition:
    return BY_ACTION[action]


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
    "CHOSEN",
    "DEACTIVATED",
    "DELETED",
    "EVERYONE",
    "JOB",
    "MACHINES",
    "NOT_DELETED",
    "OTHER_TRANSITIONS",
    "PEOPLE",
    "PREVIOUS",
    "REQUESTED",
    "SAME",
    "SCHEDULED",
    "STAFF",
    "TRAINEE",
    "TRANSITIONS",
    "Action",
    "Done",
    "Guard",
    "Kind",
    "Machine",
    "Refusal",
    "Rows",
    "Subject",
    "Transition",
    "account_actions_from",
    "link_actions_from",
    "register",
    "kind_of",
    "machine_of",
    "state_fields",
    "state_label",
    "status_edges",
    "subject_for",
    "transition_for",
    "when",
]
