"""The timeline event of each kind of subject, written in one place (after Saleor's events.py).

A transition names its event kind; `write` turns the transition's rows into the event: whose
timeline, which subject and which machine label. Refusals go through the same factory, so a
refusal and the change it stopped always sit on the same subject.
"""

from typing import Any

from django.db import models

from accounts.models import AccountStatus, Sandbox, SellerAccount
from lifecycle.errors import LifecycleError
from lifecycle.models import Outcome, TimelineEvent
from lifecycle.redaction import scrub_params
from lifecycle.transitions import MACHINES, Rows, Transition, kind_of, subject_for

from .actors import Actor


def subject_of(obj: models.Model, machine: str = "") -> tuple[str, int | None, str]:
    """(type, id, label) of an event's subject, as its machine declares it (`Subject`); a row no
    machine names is its model's name and str(). Labels never carry personal details."""
    found = subject_for(type(obj))
    if found is None:
        return (obj._meta.model_name or "", obj.pk, str(obj))
    if not found.by_machine:
        return (found.type, obj.pk, found.label(obj))
    if _row_machine(machine, type(obj)):  # a refused creation: no campaign (session...) exists yet
        return (machine, None, f"New {machine.replace('_', ' ')}")
    return (machine or found.type, obj.pk, found.label(obj))


def _row_machine(machine: str, model: type[models.Model]) -> bool:
    """Whether `machine` is the state of rows other than `model`'s (a campaign's, about the
    account): an event of it about that row is about a row not created yet, not its own id."""
    found = MACHINES.get(machine)
    return found is not None and found.model not in (None, model)


def record(
    *,
    actor: Actor,
    action: str,
    subject: models.Model,
    before: str,
    after: str,
    account: SellerAccount | None = None,
    sandbox: Sandbox | None = None,
    machine: str = "",
    outcome: str = Outcome.DONE,
    code: str = "",
    message: str = "",
    params: dict[str, Any] | None = None,
) -> TimelineEvent:
    """Append one timeline event, stamped with the sandbox's simulated time."""
    if sandbox is None:
        if account is None:
            raise ValueError("An event belongs to a sandbox: name it or the account.")
        sandbox = account.sandbox
    subject_type, subject_id, label = subject_of(subject, machine)
    params = dict(params or {})
    if actor.reason:
        params["reason"] = actor.reason
    # About an account deleted already (a link its deletion ended): scrubbed as it is written.
    scrubbed = account is not None and account.status == AccountStatus.DELETED
    return TimelineEvent.objects.create(
        scrubbed=scrubbed,
        sandbox=sandbox,
        account=account,
        sandbox_time=sandbox.now(),
        actor=actor.user,
        actor_kind=actor.kind,
        actor_label=actor.label,
        action=action,
        outcome=outcome,
        subject_type=subject_type,
        subject_id=subject_id,
        subject_label=label,
        before=str(before),
        after=str(after),
        code=code,
        message=message,
        params=scrub_params(params) if scrubbed else params,
    )


def repeated_refusal(transition: Transition, err: LifecycleError) -> bool:
    """Whether `transition` records refusal `err` no second time: it is declared refusal_once and
    its subject's latest event is this very refusal (same action, code and state)."""
    subject = err.details.get("subject")
    if not transition.refusal_once or subject is None:
        return False
    subject_type, subject_id, _label = subject_of(subject, err.details.get("machine", ""))
    last = (
        TimelineEvent.objects.filter(subject_type=subject_type, subject_id=subject_id)
        .order_by("-id")
        .values_list("action", "outcome", "code", "before")
        .first()
    )
    state = str(err.details.get("state"))
    return last == (transition.action, Outcome.REFUSED, str(err.code), state)


def write(
    kind: str,
    *,
    rows: Rows,
    actor: Actor,
    action: str,
    before: str,
    after: str,
    subject: models.Model | None = None,
    sandbox: Sandbox | None = None,
    **details: Any,
) -> TimelineEvent:
    """The event of `kind` for these rows; `subject` when the change created it (an export)."""
    found = kind_of(kind)
    return record(
        actor=actor,
        action=action,
        subject=subject or found.subject(rows),
        machine=found.machine(rows),
        before=before,
        after=after,
        account=rows.account if found.on_account else None,
        sandbox=sandbox or rows.sandbox,
        **details,
    )
