"""The shape of a declaration: machines, transitions, guards and the rows they read.

A `Machine` names a subject's states (the model's choices) and where the state is read from.
A `Transition` names its action, sources, target, the actor kinds that may start it, its checks
in the order they run, and the kind of timeline event it writes. `lifecycle.core.apply` is the
one code path that enforces a transition; nothing else writes a declared state.
"""

from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as default
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.db import models

from accounts.models import AccountStatus, Sandbox, SellerAccount
from accounts.types import feature_refusal, has_feature
from editions import registry as editions
from editions.registry import rule
from lifecycle.actions import label_of
from lifecycle.errors import Code

if TYPE_CHECKING:  # the rows' types only: these modules import this one
    from accounts.models import AppAuthorization
    from lifecycle.core.actors import Actor
    from lifecycle.models import DeletionRequest
    from shops.models import ShopLink

# Targets that are not a fixed state.
PREVIOUS = "(state before the request)"  # the status the open deletion request recorded
SAME = "(unchanged)"  # the transition changes another subject, not this machine's state
CHOSEN = "(the state asked for)"  # the caller names the target (a listing status, a type)

TRAINEE, STAFF, JOB = "trainee", "staff", "job"
PEOPLE = frozenset({TRAINEE, STAFF})
EVERYONE = PEOPLE | {JOB}

ACTIVE = AccountStatus.ACTIVE.value
DEACTIVATED = AccountStatus.DEACTIVATED.value
REQUESTED = AccountStatus.DELETION_REQUESTED.value
SCHEDULED = AccountStatus.DELETION_SCHEDULED.value
DELETED = AccountStatus.DELETED.value
NOT_DELETED = (ACTIVE, DEACTIVATED, REQUESTED, SCHEDULED)
ACCOUNT_STATES = (ACTIVE, DEACTIVATED, REQUESTED, SCHEDULED, DELETED)


def hours(sandbox: Sandbox, name: str) -> int:
    """A duration rule of the sandbox's edition (a cool-down) in whole hours, as the refusals
    state it."""
    return int(rule(sandbox, name).total_seconds() // 3600)


def when(moment: datetime) -> str:
    """A sandbox time as the refusals and emails write it: the clock's one format."""
    from lifecycle.datetimes import when as sandbox_when

    return sandbox_when(moment)


@dataclass(frozen=True)
class Refusal:
    code: Code
    sentence: str
    params: dict[str, Any] = default(default_factory=dict)
    next_allowed_at: datetime | None = None


S = TypeVar("S", bound=models.Model)


@dataclass
class Rows(Generic[S]):
    """The rows a transition is checked against, locked by the service, and what was asked.

    `Rows[Order]` is an order's; a guard shared by several machines takes `Rows` (any subject).
    """

    sandbox: Sandbox
    account: SellerAccount | None  # None only for the sandbox's own machine (the clock)
    subject: S  # the row whose state the machine reads
    inputs: dict[str, Any] = default(default_factory=dict)
    link: "ShopLink | None" = None  # the shop's live link (link machine)
    grant: "AppAuthorization | None" = None  # the app's live authorization (app machine)
    request: "DeletionRequest | None" = None  # the deletion request the action is about
    memo: dict[str, Any] = default(default_factory=dict)  # values a guard computed for the effect
    actor: "Actor | None" = None  # who acts (set by the core, for effects that write more events)

    @cached_property
    def now(self) -> datetime:
        return self.sandbox.now()

    @property
    def seller(self) -> SellerAccount:
        """The account of an action on one: every machine's but the sandbox clock's."""
        if self.account is None:
            raise LookupError("This action's rows have no seller account.")
        return self.account

    @property
    def acting(self) -> "Actor":
        """Who applies the transition (the core sets it before any check or effect runs)."""
        if self.actor is None:
            raise LookupError("These rows are not being applied by anyone.")
        return self.actor

    @property
    def deletion(self) -> "DeletionRequest":
        """The deletion request of an action on one (its source check found it)."""
        if self.request is None:
            raise LookupError("This action's rows have no deletion request.")
        return self.request

    @property
    def live_link(self) -> "ShopLink":
        """The shop's live link, for an action on a linked shop (its source check found it)."""
        if self.link is None:
            raise LookupError("This action's rows have no live link.")
        return self.link

    def status_phrase(self) -> str:
        return self.seller.get_status_display().lower()


Guard = Callable[[Rows], Refusal | None]


def asks(guard: Guard) -> Guard:
    """Mark a guard that checks what the form itself asks (a confirmation, a tick, the password).

    A page that offers the action has asked nothing yet, so its offer (`lifecycle.core.offer`)
    leaves these to the action; every other guard it checks as the action will.
    """
    guard.asks = True  # type: ignore[attr-defined]
    return guard


@dataclass(frozen=True)
class ChecklistRow:
    """A row of a page's checklist before an action (the close page's, before a deletion).

    A blocking guard carries its row (`blocks`): the row is done when the guard passes, so the
    page and the action never disagree. A recommended row, checked by no guard, says when it is
    done from the facts the page read (`done`).
    """

    key: str
    label: str
    fix: str  # the URL name of the page that fixes it
    fix_label: str
    fix_query: str = ""
    detail: Callable[[dict[str, Any]], str] | None = None  # what still blocks, in a few words
    done: Callable[[dict[str, Any]], bool] | None = None  # a recommended row's own test


def blocks(row: ChecklistRow) -> Callable[[Guard], Guard]:
    """Mark a guard whose refusal is a row of its action's checklist (`checklist_rows`)."""

    def mark(guard: Guard) -> Guard:
        guard.checklist = row  # type: ignore[attr-defined]
        return guard

    return mark


def checklist_rows(transition: "Transition") -> list[tuple[Guard, ChecklistRow]]:
    """Each guard of `transition` that blocks before its form is filled in, with its row.

    Every guard but those marked `asks` must carry one: a rule added without its row would
    leave the page showing nothing blocking beside a disabled button.
    """
    found = []
    for guard in transition.guards:
        if getattr(guard, "asks", False):
            continue
        row = getattr(guard, "checklist", None)
        if row is None:
            raise LookupError(f"{guard.__name__} of {transition.action} has no checklist row")
        found.append((guard, row))
    return found


@dataclass(frozen=True)
class Done:
    """The action's result already holds (a double click, a retried job): return `value`."""

    value: Any


@dataclass(frozen=True)
class Kind:
    """The timeline event a machine's transitions write: which row it is about, the machine's
    label on the timeline ("" when the subject's type says it) and whose timeline it is on."""

    subject: Callable[[Rows], models.Model]
    machine: Callable[[Rows], str] = lambda rows: ""
    on_account: bool = True  # False: the sandbox's own timeline (the clock)


@dataclass(frozen=True)
class Subject:
    """How a machine's subject rows are named on the timeline: their type and a label that
    never carries personal details. `by_machine`: an event about the row names the machine
    (the account's type, its apps...) as its type, not the row's own."""

    model: type[models.Model]
    type: str
    label: Callable[[Any], str]
    by_machine: bool = False


@dataclass(frozen=True)
class Machine:
    name: str
    states: tuple[str, ...]
    state_of: Callable[[Rows], str]
    model: type[models.Model] | None = None
    field: str = ""  # the field that holds the state
    core_writes: bool = True  # False: the state is rows (a link, a grant) the service writes
    # Offered on the account's own pages (the map's "available now", the admin's buttons).
    with_account: bool = False
    open_states: bool = False  # the states are values (the clock's offset), not a list
    labels: dict[str, str] = default(default_factory=dict)
    # The badge class of each state on the pages ("" keys the class of any other state).
    tones: dict[str, str] = default(default_factory=dict)
    kind: Kind | None = None  # the event its transitions write (None: they write none)
    # The row that holds the state when it is not the subject (a step `also` moves: the request).
    row_of: Callable[[Rows], Any] | None = None
    subject: Subject | None = None  # how its rows are named on the timeline (None: the default)

    def label(self, state: str) -> str:
        return self.labels.get(state, state)


@dataclass(frozen=True)
class Transition:
    action: str
    machine: str
    sources: tuple[str, ...]
    target: str
    actors: frozenset[str]
    # The target read from the rows, for a target that is not a fixed state (PREVIOUS).
    target_of: Callable[[Rows], str] | None = None
    # The account's status an action on another subject needs (`account_in`), and its refusal.
    gate: Guard | None = None
    # The refusal outside `sources` (None: the engine's generic one).
    wrong_state: Callable[[Rows], Refusal | None] | None = None
    source_of: Callable[[Rows], str] | None = None  # the state the source is read from, when
    # it is not the machine's (unlinking reads "linked to this account", not "linked")
    inputs: tuple[Guard, ...] = ()  # checks of what was asked, before anything else
    done: Callable[[Rows], Done | None] | None = None  # the result holds already
    guards: tuple[Guard, ...] = ()  # after the source, in this order
    also: tuple["Transition", ...] = ()  # another subject's move in the same step
    event: str = ""  # the kind of timeline event; "" writes none (the row carries it)
    destructive: bool = False
    gate_first: bool = True  # False: the source is checked before the account's status
    name: str = ""  # set when one action has two transitions (queue and send)
    # True: a refusal that repeats the subject's latest event (the same refusal, code and state,
    # nothing between) is not recorded again, so a page asking over and over writes it once.
    refusal_once: bool = False

    @property
    def label(self) -> str:
        return label_of(self.action)

    @property
    def key(self) -> str:
        return self.name or self.action

    @property
    def account_statuses(self) -> tuple[str, ...]:
        """The account statuses in which the action may run: its gate's, declared once there."""
        return getattr(self.gate, "statuses", ())


def account_in(statuses: tuple[str, ...], refusal: Callable[[Rows], Refusal]) -> Guard:
    """The gate of an action on another subject: the account's status must be one of these."""

    def gate(rows: Rows) -> Refusal | None:
        return None if rows.seller.status in statuses else refusal(rows)

    gate.statuses = statuses  # type: ignore[attr-defined]
    return gate


def lacks_feature(account: SellerAccount, feature: str) -> Refusal | None:
    """The one feature gate (RULEBOOK §4): the refusal when the account's type lacks `feature`.

    Every type-gated action checks it through `in_type`, and every page that locks an area
    shows its sentence, so the grid, the refusals and the pages never disagree.
    """
    edition = editions.of(account.sandbox)
    if has_feature(account.account_type, feature, edition=edition):
        return None
    sentence = feature_refusal(feature, account.account_type, edition=edition)
    return Refusal(Code.FEATURE_NOT_IN_TYPE, sentence)


def in_type(feature: str) -> Guard:
    """The guard of a type-gated action: the account's type has `feature`."""

    def guard(rows: Rows) -> Refusal | None:
        return lacks_feature(rows.seller, feature)

    guard.feature = feature  # type: ignore[attr-defined]
    guard.__name__ = f"in_type({feature})"
    return guard


def deleted(sentence: str = "This account was deleted; nothing can change.") -> Refusal:
    return Refusal(Code.ACCOUNT_DELETED, sentence)


def not_when_deleted(rows: Rows) -> Refusal:
    return deleted()


def needs_active(what: str) -> Callable[[Rows], Refusal]:
    """`The account is deactivated: <what>.` for an action that needs an active account."""

    def refusal(rows: Rows) -> Refusal:
        return Refusal(Code.ACCOUNT_NOT_ACTIVE, f"The account is {rows.status_phrase()}: {what}.")

    return refusal
