"""A trainee's own free-play sandboxes: rename and delete them (RULEBOOK §2).

A sandbox that holds an attempt at a scenario is the trainer's evidence: it cannot be deleted.
A demo sandbox is reset, not deleted. Deleting takes the sandbox's own timeline with it, so the
last word on it is the refusal of anything tried before, never an event after.
"""

from accounts.models import Sandbox
from lifecycle.errors import Code
from lifecycle.transitions import Action

from ._core import Actor, check_person, lifecycle_service, lock_sandbox, record, refuse


@lifecycle_service(Action.RENAME_SANDBOX)
def rename_sandbox(*, actor: Actor, sandbox: Sandbox | int, name: str) -> Sandbox:
    sandbox = lock_sandbox(sandbox)
    context = {"sandbox": sandbox, "subject": sandbox, "state": sandbox.name}
    check_person(actor, sandbox, **context)
    name = name.strip()
    if not name:
        refuse(Code.INPUT_REQUIRED, "Give the sandbox a name.", **context)
    if name == sandbox.name:
        return sandbox  # a repeat
    if Sandbox.objects.filter(owner_id=sandbox.owner_id, name=name).exists():
        refuse(Code.SANDBOX_NAME_TAKEN, f"You already have a sandbox called {name}.", **context)
    before = sandbox.name
    sandbox.name = name
    sandbox.save(update_fields=["name"])
    record(
        actor=actor,
        action=Action.RENAME_SANDBOX,
        subject=sandbox,
        sandbox=sandbox,
        before=before[:60],
        after=name[:60],
    )
    return sandbox


@lifecycle_service(Action.DELETE_SANDBOX)
def delete_sandbox(*, actor: Actor, sandbox: Sandbox | int) -> int:
    """Delete a free-play sandbox with everything in it; returns its id."""
    sandbox = lock_sandbox(sandbox)
    context = {"sandbox": sandbox, "subject": sandbox, "state": sandbox.name}
    check_person(actor, sandbox, **context)
    if sandbox.is_demo:
        refuse(
            Code.INVALID_STATE,
            f"{sandbox.name} is a demo sandbox: reset it instead of deleting it.",
            **context,
        )
    if sandbox.attempts.exists():
        refuse(
            Code.SANDBOX_IN_USE,
            f"{sandbox.name} holds an attempt at a scenario, which your trainer reads: "
            "it cannot be deleted.",
            **context,
        )
    pk = sandbox.pk
    sandbox.delete()
    return pk
