"""A trainee's own free-play sandboxes: rename and delete them (RULEBOOK §2).

Deleting removes the sandbox from its owner's pages; its rows and timeline stay for support
staff, since events are never deleted (RULEBOOK §8). A sandbox that holds an attempt at a
scenario is the trainer's evidence and a demo sandbox is reset: neither can be deleted.
"""

from django.utils import timezone

from accounts.models import Sandbox
from lifecycle.actions import Action
from lifecycle.core import Actor, check_person, lifecycle_service, lock_sandbox, record, refuse
from lifecycle.errors import Code


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
def delete_sandbox(*, actor: Actor, sandbox: Sandbox | int) -> Sandbox:
    """Take a free-play sandbox out of its owner's sight, for good."""
    sandbox = lock_sandbox(sandbox)
    context = {"sandbox": sandbox, "subject": sandbox, "state": sandbox.name}
    check_person(actor, sandbox, **context)
    if sandbox.removed_at is not None:
        return sandbox  # a repeat
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
    name = sandbox.name
    sandbox.removed_at = timezone.now()
    sandbox.name = f"{name[:70]} (deleted #{sandbox.pk})"  # the name is free for a new one
    sandbox.save(update_fields=["removed_at", "name"])
    record(
        actor=actor,
        action=Action.DELETE_SANDBOX,
        subject=sandbox,
        sandbox=sandbox,
        before=name[:60],
        after="deleted",
    )
    return sandbox
