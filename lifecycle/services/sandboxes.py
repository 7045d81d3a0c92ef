"""Creating a trainee's own sandbox and resetting a demo one (the sandboxes of RULEBOOK §1)."""

from accounts.models import Sandbox
from accounts.transitions.sandbox import RESET_DEMO
from editions import registry as editions
from lifecycle.core import Actor, Change, apply, lifecycle_service, lock_sandbox, record, refuse
from lifecycle.demo import DemoSizes, build_demo_sandbox
from lifecycle.errors import Code
from lifecycle.models import ExportJob, TimelineEvent
from lifecycle.transitions import Action, Rows

from .clock import sandbox_rows
from .exports import remove_export_files


def _rebuild(rows: Rows, target: str) -> Change:
    sandbox = rows.sandbox
    owner, name, replaced = sandbox.owner, sandbox.name, sandbox.pk
    # The builder needs the name free; the old rows go once their events have moved.
    sandbox.name = f"{name[:70]} (replaced #{replaced})"
    sandbox.save(update_fields=["name"])
    fresh = build_demo_sandbox(owner=owner, name=name, edition=sandbox.edition)
    kept = TimelineEvent.objects.filter(sandbox=sandbox).move_to(fresh)
    remove_export_files(ExportJob.objects.filter(account__sandbox=sandbox))  # as finalization
    sandbox.delete()
    state = str(fresh.clock_offset)
    return Change(
        result=fresh,
        subject=fresh,
        sandbox=fresh,
        before=state,
        after=state,
        params={"replaces_sandbox": replaced, "kept_events": kept},
    )


@lifecycle_service(Action.RESET_DEMO)
def reset_demo_sandbox(*, actor: Actor, sandbox: Sandbox | int) -> Sandbox:
    """Throw a demo sandbox away and build it again for the same owner, under the same name.

    Only demo sandboxes can be reset: a trainee's own sandbox and its timeline are never wiped.
    The old sandbox's events are never deleted (RULEBOOK §8): they move to the fresh sandbox,
    before the event that says who reset it and which sandbox it replaces.
    """
    return apply(RESET_DEMO, sandbox_rows(lock_sandbox(sandbox)), actor=actor, effect=_rebuild)


def create_sandbox(
    *, actor: Actor, name: str, sizes: DemoSizes | None = None, edition: str = ""
) -> Sandbox:
    """A practice sandbox of the actor's own, built from the demo's data. It is not a demo, so no
    reset can wipe it and its timeline (RULEBOOK §8); its timeline starts with who created it.
    It is played under `edition` (a declared edition's key; the default one's when empty), and
    its first event says which.

    It runs in the builder's one transaction. A name the actor has already raises IntegrityError
    (the database's unique constraint) with nothing of the new sandbox left: the form says why.
    A refusal has no timeline to go on (there is no sandbox yet), so it is only raised.
    """
    if actor.user is None:
        refuse(Code.NOT_ALLOWED_FOR_ACTOR, "A sandbox belongs to a person, not to a job.")
    edition = edition or editions.default_key()
    if edition not in editions.editions():
        names = ", ".join(f"“{e.name}”" for e in editions.editions().values())
        refuse(Code.UNKNOWN_EDITION, f"There is no such edition of the rules: choose {names}.")

    def created(sandbox: Sandbox) -> None:
        state = str(sandbox.clock_offset)
        record(
            actor=actor,
            action=Action.CREATE_SANDBOX,
            subject=sandbox,
            sandbox=sandbox,
            before=state,
            after=state,
            params={"name": sandbox.name, "edition": sandbox.edition},
        )

    return build_demo_sandbox(
        owner=actor.user,
        name=name,
        sizes=sizes or DemoSizes(orders=60),
        is_demo=False,
        on_created=created,
        edition=edition,
    )
