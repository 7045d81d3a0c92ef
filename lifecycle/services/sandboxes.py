"""Resetting a demo sandbox (the onboarding demos of RULEBOOK §1)."""

from accounts.models import Sandbox
from lifecycle.errors import Code
from lifecycle.models import TimelineEvent
from lifecycle.transitions import Action

from ._core import Actor, check_person, lifecycle_service, lock_sandbox, record, refuse


@lifecycle_service(Action.RESET_DEMO)
def reset_demo_sandbox(*, actor: Actor, sandbox: Sandbox | int) -> Sandbox:
    """Throw a demo sandbox away and build it again for the same owner, under the same name.

    Only demo sandboxes can be reset: a trainee's own sandbox and its timeline are never wiped.
    The old sandbox's events are never deleted (RULEBOOK §8): they move to the fresh sandbox,
    before the event that says who reset it and which sandbox it replaces.
    """
    from lifecycle.demo import build_demo_sandbox  # the builder links its shop via a service

    sandbox = lock_sandbox(sandbox)
    context = {"sandbox": sandbox, "subject": sandbox, "state": str(sandbox.clock_offset)}
    check_person(actor, sandbox, **context)
    if not sandbox.is_demo:
        refuse(
            Code.INVALID_STATE,
            f"{sandbox.name} is not a demo sandbox: only demo sandboxes can be reset.",
            **context,
        )
    owner, name, replaced = sandbox.owner, sandbox.name, sandbox.pk
    # The builder needs the name free; the old rows go once their events have moved.
    sandbox.name = f"{name[:70]} (replaced #{replaced})"
    sandbox.save(update_fields=["name"])
    fresh = build_demo_sandbox(owner=owner, name=name)
    kept = TimelineEvent.objects.filter(sandbox=sandbox).move_to(fresh)
    sandbox.delete()
    record(
        actor=actor,
        action=Action.RESET_DEMO,
        subject=fresh,
        sandbox=fresh,
        before=str(fresh.clock_offset),
        after=str(fresh.clock_offset),
        params={"replaces_sandbox": replaced, "kept_events": kept},
    )
    return fresh
