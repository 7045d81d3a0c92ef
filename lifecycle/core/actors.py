"""Who acts (`Actor`: a trainee, a support agent by name, a background job) and the checks of the
person that every action makes before its own: a trainee acts only in their own sandbox, only
staff act as staff and with a reason, an override needs its own permission."""

from dataclasses import dataclass, replace
from typing import Any, NoReturn

from accounts.models import Sandbox, User
from lifecycle.errors import Code, LifecycleError
from lifecycle.models import ActorKind
from lifecycle.transitions import Refusal


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
        return (
            self.kind == ActorKind.STAFF
            and self.user is not None
            and self.user.has_perm(permission)
        )

    @classmethod
    def job(cls, name: str) -> "Actor":
        return cls(ActorKind.JOB, None, name)

    @classmethod
    def scenario(cls, title: str) -> "Actor":
        """A scenario's set-up: the seller's past moves of its world, taken while it is built
        (`protection.building`), where the seller may take them; refused anywhere else."""
        return cls(ActorKind.SCENARIO, None, title)

    @property
    def label(self) -> str:
        if self.kind == ActorKind.JOB:
            return f"job: {self.job_name}"
        if self.kind == ActorKind.SCENARIO:
            return f"scenario: {self.job_name}"
        assert self.user is not None  # nosec B101  # narrows the type; a non-job actor has a user
        return self.user.get_username()


def refuse(code: Code, message: str, **rows: Any) -> NoReturn:
    """Refuse outside a declared transition: before any rows are known (a forged link: only the
    `sandbox` is on record), or in the support desk's own services, which name their rows."""
    raise LifecycleError(code, message, **rows)


def _person_refusal(actor: Actor, sandbox: Sandbox) -> Refusal | None:
    """A trainee acts only in their own sandbox; only staff act as staff, and with a reason."""
    user = actor.user
    if actor.kind == ActorKind.TRAINEE and (user is None or sandbox.owner_id != user.pk):
        return Refusal(Code.NOT_YOUR_SANDBOX, "This sandbox belongs to another trainee.")
    if actor.kind == ActorKind.STAFF and not (user is not None and user.is_staff):
        return Refusal(Code.NOT_ALLOWED_FOR_ACTOR, "Only support staff can act as staff.")
    if actor.kind == ActorKind.STAFF and not actor.reason:
        return Refusal(
            Code.REASON_REQUIRED,
            "Give a reason: every staff action is recorded with why it was taken.",
        )
    from .protection import is_building  # protection reads `applying` from here

    if actor.kind == ActorKind.SCENARIO and not is_building():
        return Refusal(
            Code.NOT_ALLOWED_FOR_ACTOR,
            "Only a scenario's set-up acts as the scenario, while its world is built.",
        )
    return None


def check_person(actor: Actor, sandbox: Sandbox, /, **rows: Any) -> None:
    """The person check, for the support desk's services that apply no declared transition."""
    if refusal := _person_refusal(actor, sandbox):
        refuse(refusal.code, refusal.sentence, **{"sandbox": sandbox, **rows})


def check_override(actor: Actor, permission: str, /, **rows: Any) -> None:
    """An override of a platform limit needs its own permission, on top of the action's."""
    if not actor.may(permission):
        refuse(
            Code.OVERRIDE_NOT_PERMITTED,
            "Only support staff with the override permission can go past this limit.",
            **rows,
        )
