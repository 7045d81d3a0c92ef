"""What every lifecycle service shares: who acts, row locks, the refusal path and the event."""

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, ParamSpec, TypeVar

from django.db import connection, models, transaction

from accounts.models import Sandbox, SellerAccount, User
from lifecycle.errors import Code, LifecycleError
from lifecycle.models import ActorKind, ExportJob, Outcome, TimelineEvent
from lifecycle.transitions import Transition

P = ParamSpec("P")
R = TypeVar("R")


@dataclass(frozen=True)
class Actor:
    """Who starts an action: a trainee, a support agent (always by name) or a background job."""

    kind: str
    user: User | None = None
    job_name: str = ""
    # Why a support agent acts: required of staff, stored on every event the action writes.
    reason: str = ""

    @classmethod
    def trainee(cls, user: User) -> "Actor":
        return cls(ActorKind.TRAINEE, user)

    @classmethod
    def staff(cls, user: User, *, reason: str = "") -> "Actor":
        return cls(ActorKind.STAFF, user, reason=reason.strip())

    def because(self, reason: str) -> "Actor":
        return replace(self, reason=reason.strip())

    def may(self, permission: str) -> bool:
        """Whether a staff actor holds an admin permission ("app.codename")."""
        return self.kind == ActorKind.STAFF and self.user.has_perm(permission)

    @classmethod
    def job(cls, name: str) -> "Actor":
        return cls(ActorKind.JOB, None, name)

    @property
    def label(self) -> str:
        if self.kind == ActorKind.JOB:
            return f"job: {self.job_name}"
        assert self.user is not None
        return self.user.get_username()


# Lock order, the same in every service so that two never wait on each other: the sandbox's
# clock row first, then the subject (the account, then its shop, export, request...). The clock
# is read once its row is held, so an action that waited for a clock move to commit uses the
# clock as the move left it (RULEBOOK §7). FOR NO KEY UPDATE: it queues actions and clock moves
# of one sandbox behind each other, yet lets rows pointing at the sandbox be inserted meanwhile.


def lock_sandbox(sandbox: Sandbox | int) -> Sandbox:
    """Lock the sandbox's clock row for this transaction and return it fresh."""
    pk = sandbox.pk if isinstance(sandbox, Sandbox) else sandbox
    return Sandbox.objects.select_for_update(no_key=True).get(pk=pk)


def lock_sandbox_of(account: SellerAccount | int) -> Sandbox | None:
    """Lock the clock row of the account's sandbox; None when the account is gone."""
    pk = account.pk if isinstance(account, SellerAccount) else account
    locked = Sandbox.objects.select_for_update(no_key=True, of=("self",)).filter(accounts__pk=pk)
    return locked.first()


def lock_account(account: SellerAccount | int) -> SellerAccount:
    """Lock the account's sandbox clock, then the account; return the account fresh, with the
    clock it commits under."""
    pk = account.pk if isinstance(account, SellerAccount) else account
    sandbox = lock_sandbox_of(pk)
    if sandbox is None:
        raise SellerAccount.DoesNotExist(f"No seller account {pk}.")
    locked = SellerAccount.objects.select_for_update().get(pk=pk)
    locked.sandbox = sandbox
    return locked


def refuse(code: Code, message: str, *, account: SellerAccount | None = None, **context: Any):
    """Raise the refusal; the service wrapper records it on the timeline."""
    raise LifecycleError(code, message, account=account, **context)


def check_person(actor: Actor, sandbox: Sandbox, /, **context: Any) -> None:
    """A trainee acts only in their own sandbox; only staff act as staff."""
    if actor.kind == ActorKind.TRAINEE and sandbox.owner_id != actor.user.pk:
        refuse(Code.NOT_YOUR_SANDBOX, "This sandbox belongs to another trainee.", **context)
    if actor.kind == ActorKind.STAFF and not actor.user.is_staff:
        refuse(Code.NOT_ALLOWED_FOR_ACTOR, "Only support staff can act as staff.", **context)
    if actor.kind == ActorKind.STAFF and not actor.reason:
        refuse(
            Code.REASON_REQUIRED,
            "Give a reason: every staff action is recorded with why it was taken.",
            **context,
        )


def check_override(actor: Actor, permission: str, /, **context: Any) -> None:
    """An override of a platform limit needs its own permission, on top of the action's."""
    if not actor.may(permission):
        refuse(
            Code.OVERRIDE_NOT_PERMITTED,
            "Only support staff with the override permission can go past this limit.",
            **context,
        )


def check_actor(actor: Actor, transition: Transition, account: SellerAccount) -> None:
    check_person(actor, account.sandbox, account=account)
    if actor.kind not in transition.actors:
        who = {"trainee": "the account owner", "staff": "support staff", "job": "a background job"}
        allowed = " or ".join(sorted(who[k] for k in transition.actors))
        refuse(
            Code.NOT_ALLOWED_FOR_ACTOR,
            f"Only {allowed} can {transition.label.lower()}.",
            account=account,
        )


def subject_of(obj: models.Model, machine: str = "") -> tuple[str, int | None, str]:
    """(type, id, label) of an event's subject. Labels never carry personal details."""
    from accounts.models import AppAuthorization
    from shops.models import Inquiry, Product, Shop

    if isinstance(obj, SellerAccount):
        return (machine or "account", obj.pk, f"Seller account #{obj.pk}")
    if isinstance(obj, Shop):
        return ("shop", obj.pk, obj.name)
    if isinstance(obj, Product):
        return ("product", obj.pk, f"{obj.title} ({obj.sku})")
    if isinstance(obj, AppAuthorization):
        return ("app", obj.pk, obj.get_app_display())
    if isinstance(obj, Inquiry):
        return ("inquiry", obj.pk, f"Inquiry #{obj.pk}")  # str() would name the customer
    if isinstance(obj, Sandbox):
        return ("sandbox", obj.pk, f"Sandbox {obj.name}")
    if isinstance(obj, ExportJob):
        return ("export", obj.pk, f"Data export #{obj.pk}")
    return (obj._meta.model_name, obj.pk, str(obj))


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
    sandbox = sandbox or account.sandbox
    subject_type, subject_id, label = subject_of(subject, machine)
    params = dict(params or {})
    if actor.reason:
        params["reason"] = actor.reason
    return TimelineEvent.objects.create(
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
        params=params,
    )


class _WriteWatch:
    """Notices whether a service wrote anything before it refused."""

    def __init__(self) -> None:
        self.wrote = False

    def __call__(self, execute, sql, params, many, context):
        if not self.wrote and sql.lstrip()[:6].upper() in {"INSERT", "UPDATE", "DELETE"}:
            self.wrote = True
        return execute(sql, params, many, context)


def lifecycle_service(action: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Run a service in one transaction; a refusal leaves nothing but its own timeline event.

    Services check every guard before they write. So a refusal is normally recorded inside the
    service's own transaction, while its row locks are still held: it takes its true place on the
    timeline, before any change another request makes next. Should a service refuse after it
    wrote, everything is rolled back first and the refusal recorded afterwards.
    """

    def decorate(fn: Callable[P, R]) -> Callable[P, R]:
        # Every service takes `reason=` (why staff act): it travels with the actor onto each
        # event written. A service with a `reason` of its own (fail_export's) keeps it.
        own_reason = "reason" in inspect.signature(fn).parameters

        @functools.wraps(fn)
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            reason = "" if own_reason else kwargs.pop("reason", "")
            if reason and kwargs.get("actor") is not None:
                kwargs["actor"] = kwargs["actor"].because(reason)
            actor = kwargs.get("actor")
            watch = _WriteWatch()
            try:
                with transaction.atomic(), connection.execute_wrapper(watch):
                    try:
                        return fn(*args, **kwargs)
                    except LifecycleError as err:
                        if watch.wrote:
                            raise  # roll the writes back; recorded below
                        _record_refusal(action, actor, err)
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
        return  # nothing identifies whose timeline it belongs to (e.g. a forged link)
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
        record(
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
