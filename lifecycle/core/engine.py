"""The one way to apply a transition, and the record of its refusals (who acts is in `actors`,
the row locks in `locks`).

`apply(transition, rows, actor=..., effect=...)` is the only code path that changes a declared
state: on rows the service locked, it checks the actor, the input, whether the result holds
already, the account's status and the source, then the guards in declared order; runs the
service's effect, saves with update_fields, writes the event through its kind's factory and
queues follow-ups on commit. A refusal names the rows of the transition it stopped, so it is
recorded on the right subject, with no hand-passed context, while the service's locks are held.
"""

import functools
import inspect
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, ParamSpec, TypeVar

from django.db import transaction

from accounts.models import Sandbox, SellerAccount
from lifecycle.errors import Code, LifecycleError
from lifecycle.jobs import Job, enqueue
from lifecycle.models import ActorKind, Outcome
from lifecycle.transitions import (
    CHOSEN,
    MACHINES,
    SAME,
    Guard,
    Refusal,
    Rows,
    Transition,
    kind_of,
)

from . import events
from .actors import Actor, _person_refusal
from .locks import lock_sandbox

logger = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")


# --- The one way to apply a transition ---------------------------------------------------------

_APPLYING: ContextVar[bool] = ContextVar("lifecycle_applying", default=False)


def applying() -> bool:
    """True while `apply` writes a transition (the test suite's write guard asks this)."""
    return _APPLYING.get()


THE_EVENT = object()  # a Change's result: the event the core writes (an announcement's)


@dataclass(frozen=True)
class FollowUp:
    """A job to queue once the transaction commits; `on_failure` runs when the broker is down."""

    job: Job
    args: tuple = ()
    on_failure: Callable[[], None] | None = None


@dataclass
class Change:
    """What a service's effect did, for the core to save and record."""

    result: Any = None
    params: dict[str, Any] = field(default_factory=dict)
    fields: tuple[str, ...] = ()  # more fields of the subject to save with its state
    request_fields: tuple[str, ...] = ()  # more fields of an `also` step's row (the request's)
    jobs: tuple[FollowUp, ...] = ()  # queued once the transaction commits
    action: str = ""  # the event's action, when the effect found it is another (a relink)
    subject: Any = None  # the event's subject, when the effect created it (a new export)
    sandbox: Sandbox | None = None  # the event's sandbox, when the effect made a new one
    before: str | None = None
    after: str | None = None
    message: str = ""
    # Moves of other subjects this change causes, each through its own declared transition.
    caused: tuple["Caused", ...] = ()


Effect = Callable[[Rows, str], Change]


@dataclass(frozen=True)
class Caused:
    """Another subject's declared move that a change causes (a campaign paused by a type switch,
    a listing sold out by stock 0): applied right after the change's own event, by the same
    actor, with its own event naming that one as its cause. Its rows are locked by the effect."""

    transition: Transition
    rows: Rows
    effect: Effect | None = None


class CascadeRefused(RuntimeError):
    """A caused move the declaration refuses: a defect of the service that caused it, never the
    trainee's mistake, so the whole action rolls back (no refusal is recorded for it)."""


def _actor_refusal(actor: Actor, transition: Transition, sandbox: Sandbox) -> Refusal | None:
    """The person (`_person_refusal`), then the actor kinds the declaration allows."""
    if refusal := _person_refusal(actor, sandbox):
        return refusal
    # A scenario's set-up takes the seller's own moves (the world's past).
    acting_as = ActorKind.TRAINEE if actor.kind == ActorKind.SCENARIO else actor.kind
    if acting_as not in transition.actors:
        who = {"trainee": "the account owner", "staff": "support staff", "job": "a background job"}
        allowed = " or ".join(sorted(who[k] for k in transition.actors))
        return Refusal(
            Code.NOT_ALLOWED_FOR_ACTOR, f"Only {allowed} can {transition.label.lower()}."
        )
    return None


def _source_refusal(transition: Transition, rows: Rows) -> Refusal | None:
    machine = MACHINES[transition.machine]
    if machine.open_states:
        return None
    state = (transition.source_of or machine.state_of)(rows)
    if state in transition.sources:
        return None
    if transition.wrong_state is not None:
        found = transition.wrong_state(rows)
        if found is not None:
            return found
    return Refusal(Code.INVALID_STATE, f"{transition.label} is not possible from {state}.")


def decide(transition: Transition, rows: Rows, actor: Actor) -> tuple[Refusal | None, Any]:
    """(refusal, done) of `transition` on `rows`: the checks in the declared order."""
    refusal = _actor_refusal(actor, transition, rows.sandbox)
    if refusal:
        return refusal, None
    for check in transition.inputs:
        if refusal := check(rows):
            return refusal, None
    if transition.done is not None and (done := transition.done(rows)) is not None:
        return None, done
    source: list[Guard] = [
        functools.partial(_source_refusal, step) for step in (transition, *transition.also)
    ]
    gate: list[Guard] = [transition.gate] if transition.gate else []
    for check in (
        [*gate, *source, *transition.guards]
        if transition.gate_first
        else [*source, *gate, *transition.guards]
    ):
        if refusal := check(rows):
            return refusal, None
    return None, None


def _target(transition: Transition, rows: Rows, before: str) -> str:
    if transition.target_of is not None:
        return transition.target_of(rows)
    if transition.target == CHOSEN:
        return str(rows.inputs["target"])
    if transition.target == SAME:
        return before
    return transition.target


def _save_state(transition: Transition, row: Any, target: str, more: tuple[str, ...]) -> None:
    machine = MACHINES[transition.machine]
    fields = list(more)
    if machine.core_writes and getattr(row, machine.field) != target:
        setattr(row, machine.field, target)
        fields.insert(0, machine.field)
    if fields:
        row.save(update_fields=fields)


def _row_of(step: Transition, rows: Rows) -> Any:
    """The row an `also` step moves: its machine's, when not the subject."""
    row_of = MACHINES[step.machine].row_of
    return row_of(rows) if row_of is not None else rows.subject


@contextmanager
def _writing() -> Iterator[None]:
    token = _APPLYING.set(True)
    try:
        yield
    finally:
        _APPLYING.reset(token)


def apply(
    transition: Transition,
    rows: Rows,
    *,
    actor: Actor,
    effect: Effect | None = None,
    cause: dict[str, Any] | None = None,
) -> Any:
    """Apply `transition` to the locked `rows` on behalf of `actor`; return the result.

    `cause` (set by the core for a `Caused` move) names the event that caused this one; it is
    stored in the event's parameters."""
    machine = MACHINES[transition.machine]
    rows.actor = actor
    before = machine.state_of(rows)
    refusal, done = decide(transition, rows, actor)
    if refusal is not None and cause is not None:
        raise CascadeRefused(f"{transition.key} caused by {cause['action']}: {refusal.sentence}")
    if refusal is not None:
        raise _refusal_now(transition, rows, actor, refusal, before)
    if done is not None:
        return done.value
    target = _target(transition, rows, before)
    with _writing():
        change = effect(rows, target) if effect is not None else Change(result=rows.subject)
        if change.subject is None or change.subject is rows.subject:
            _save_state(transition, rows.subject, target, change.fields)
        for step in transition.also:
            _save_state(step, _row_of(step, rows), step.target, change.request_fields)
    after = change.after if change.after is not None else target
    event = None
    if transition.event:
        event = events.write(
            transition.event,
            rows=rows,
            actor=actor,
            action=change.action or transition.action,
            subject=change.subject,
            sandbox=change.sandbox,
            before=change.before if change.before is not None else before,
            after=machine.state_of(rows) if machine.open_states and change.after is None else after,
            message=change.message,
            params={**change.params, "cause": cause} if cause else change.params,
        )
        if change.result is THE_EVENT:
            change.result = event
    if change.caused:
        caused_by: dict[str, Any] = {"action": str(change.action or transition.action)}
        if event is not None:
            caused_by["event_id"] = event.pk
        for caused in change.caused:
            apply(
                caused.transition, caused.rows, actor=actor, effect=caused.effect, cause=caused_by
            )
    for follow_up in change.jobs:
        args = tuple(
            event.pk if arg is THE_EVENT and event is not None else arg for arg in follow_up.args
        )
        dispatch = enqueue(follow_up.job, *args, on_failure=follow_up.on_failure)
        change.result.dispatch = dispatch  # what the page says when the broker is down
    return change.result


def _refusal_now(
    transition: Transition, rows: Rows, actor: Actor, refusal: Refusal, state: str
) -> LifecycleError:
    """The refusal, recorded now, in the service's transaction while its locks are held (its true
    place on the timeline); none for a silent transition (the builder's) or a declared repeat."""
    kind = kind_of(transition.event or transition.machine)
    err = LifecycleError(
        refusal.code,
        refusal.sentence,
        account=rows.account if kind.on_account else None,
        sandbox=rows.sandbox,
        subject=kind.subject(rows),
        machine=kind.machine(rows),
        state=state,
        params=refusal.params,
        next_allowed_at=refusal.next_allowed_at,
    )
    if transition.event and not events.repeated_refusal(transition, err):
        _record_refusal(transition.action, actor, err)
    err.recorded = True
    return err


def lifecycle_service(action: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Run a service in one transaction; a refusal leaves nothing but its own timeline event.

    A refusal from `apply` comes before any write and is already recorded: the transaction
    commits it. Any other refusal rolls everything back and is recorded afterwards.
    """

    def decorate(fn: Callable[P, R]) -> Callable[P, R]:
        # Every service takes `reason=` (why staff act): it travels with the actor onto each
        # event written. A service with a `reason` of its own (fail_export's) keeps it.
        own_reason = "reason" in inspect.signature(fn).parameters

        @functools.wraps(fn)
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            reason = "" if own_reason else str(kwargs.pop("reason", ""))
            actor = kwargs.get("actor")
            if not isinstance(actor, Actor):
                actor = None
            elif reason:
                kwargs["actor"] = actor = actor.because(reason)
            try:
                with transaction.atomic():
                    try:
                        return fn(*args, **kwargs)
                    except LifecycleError as err:
                        if not err.recorded:
                            raise  # roll back; recorded below
                        refusal = err
            except LifecycleError as err:
                _record_refusal(action, actor, err)
                raise
            raise refusal

        run.action = action  # type: ignore[attr-defined]
        return run

    return decorate


def _record_refusal(action: str, actor: Actor | None, err: LifecycleError) -> None:
    account: SellerAccount | None = err.details.get("account")
    sandbox: Sandbox | None = err.details.get("sandbox") or (account.sandbox if account else None)
    if actor is None or sandbox is None:
        # Nothing identifies whose timeline it belongs to (a forged link naming no sandbox).
        logger.warning("Refused %s (%s), on no timeline: %s", action, err.code, err.message)
        return
    subject = err.details.get("subject") or account or sandbox
    state = err.details.get("state")
    with transaction.atomic():
        # The caller's copy may be stale (a rolled-back service let go of the clock): read the
        # clock under its lock, so the refusal takes its place after any move that committed.
        sandbox = lock_sandbox(sandbox)
        # Without an account the subject is the sandbox, whose state on the timeline is its offset.
        if state is None:
            state = account.status if account else sandbox.clock_offset
        state = str(state)
        events.record(
            actor=actor,
            action=action,
            subject=subject,
            machine=err.details.get("machine", ""),
            before=state,
            after=state,
            account=account,
            sandbox=sandbox,
            outcome=Outcome.REFUSED,
            code=str(err.code),
            message=err.message,
            params=err.details.get("params") or {},
        )
