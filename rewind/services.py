"""Saving, dropping and restoring checkpoints of a sandbox (RULEBOOK §11), each on the record.

A checkpoint is taken with the sandbox's clock row locked, the lock every action takes first,
so no action is halfway through what it copies. A restore makes a new sandbox, or puts the
checkpoint back in place: then what the sandbox held until now moves to a sandbox of its own,
out of its owner's sight and kept with its timeline (events are never deleted, §8).
"""

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import Sandbox, User
from lifecycle.core import Actor, check_person, lifecycle_service, lock_sandbox, record, refuse
from lifecycle.core.protection import building
from lifecycle.errors import Code
from lifecycle.models import ActorKind, TimelineEvent

from .actions import RewindAction
from .copying import keep_files, read_rows, remove_files, write_rows
from .models import Checkpoint, CheckpointKind
from .owned import held_models
from .references import Renumbering
from .requeue import queue_again

NAME_LENGTH = 120


def take_checkpoint(
    sandbox: Sandbox, *, name: str, kind: str, user: User | None = None
) -> Checkpoint:
    """Copy what the sandbox holds now (the caller holds its clock row's lock)."""
    rows = read_rows(sandbox.pk)
    last = TimelineEvent.objects.filter(sandbox=sandbox).aggregate(last=Max("id"))["last"]
    files = keep_files(rows)
    return Checkpoint.objects.create(
        sandbox=sandbox,
        name=name[:NAME_LENGTH],
        kind=kind,
        sandbox_time=sandbox.now(),
        clock_offset=sandbox.clock_offset,
        last_event_id=last or 0,
        taken_by=user,
        rows=rows,
        files=files,
        row_count=sum(len(table) for table in rows.values()),
    )


def _context(sandbox: Sandbox) -> dict:
    return {"sandbox": sandbox, "subject": sandbox, "state": str(sandbox.clock_offset)}


def _check_staff_right(actor: Actor, sandbox: Sandbox) -> None:
    if actor.kind == ActorKind.STAFF and not actor.may("rewind.restore_checkpoint"):
        refuse(
            Code.MISSING_RIGHT,
            "Restoring a sandbox needs the right to restore checkpoints.",
            **_context(sandbox),
        )


@lifecycle_service(RewindAction.SAVE_CHECKPOINT)
def save_checkpoint(*, actor: Actor, sandbox: Sandbox | int, name: str) -> Checkpoint:
    """A named checkpoint of the sandbox as it is now, with its clock."""
    sandbox = lock_sandbox(sandbox)
    check_person(actor, sandbox, **_context(sandbox))
    name = name.strip()
    if not name:
        refuse(Code.INPUT_REQUIRED, "Give the checkpoint a name.", **_context(sandbox))
    checkpoint = take_checkpoint(sandbox, name=name, kind=CheckpointKind.SAVED, user=actor.user)
    _recorded(actor, sandbox, RewindAction.SAVE_CHECKPOINT, checkpoint)
    _keep_at_most(actor, sandbox)
    return checkpoint


def checkpoint_before(sandbox: Sandbox, what: str) -> Checkpoint:
    """The automatic checkpoint before an irreversible step (a deletion's finalization): taken
    by the step's own transaction, so it exists exactly when the step happened."""
    checkpoint = take_checkpoint(sandbox, name=f"Before {what}", kind=CheckpointKind.AUTOMATIC)
    _keep_at_most(Actor.job("checkpoints"), sandbox)
    return checkpoint


def _recorded(actor: Actor, sandbox: Sandbox, action: str, checkpoint: Checkpoint, **params):
    return record(
        actor=actor,
        action=action,
        subject=sandbox,
        sandbox=sandbox,
        before=str(sandbox.clock_offset),
        after=checkpoint.name[:60],
        params={
            "checkpoint_id": checkpoint.pk,
            "checkpoint": checkpoint.name,
            "checkpoint_time": checkpoint.sandbox_time.isoformat(),
            **params,
        },
    )


def _keep_at_most(actor: Actor, sandbox: Sandbox) -> None:
    """Drop the oldest automatic checkpoints, then the oldest saved ones, past the limit."""
    listed = list(Checkpoint.objects.listed().filter(sandbox=sandbox).defer("rows").order_by("id"))
    excess = len(listed) - settings.REWIND_MAX_CHECKPOINTS
    if excess <= 0:
        return
    ranked = sorted(listed, key=lambda c: (c.kind != CheckpointKind.AUTOMATIC, c.pk))
    for checkpoint in ranked[:excess]:
        _recorded(actor, sandbox, RewindAction.DROP_CHECKPOINT, checkpoint, reason="limit")
        drop(checkpoint)


def drop(checkpoint: Checkpoint) -> None:
    files = list(checkpoint.files.values())
    checkpoint.delete()
    transaction.on_commit(lambda: remove_files(files))


def _free_name(owner_id: int, wanted: str) -> str:
    taken = set(
        Sandbox.objects.filter(owner_id=owner_id, name__startswith=wanted[:90]).values_list(
            "name", flat=True
        )
    )
    name, n = wanted[:100], 2
    while name in taken:
        name = f"{wanted[:90]} ({n})"
        n += 1
    return name


def copy_into_new_sandbox(checkpoint: Checkpoint, *, name: str = "") -> tuple[Sandbox, Renumbering]:
    """A new sandbox of the same owner holding what the checkpoint holds, clock included, its
    owed jobs queued again; with the renumbering of its rows."""
    source = checkpoint.sandbox
    with building():
        sandbox = Sandbox.objects.create(
            owner_id=source.owner_id,
            name=_free_name(source.owner_id, name or f"{source.name} · {checkpoint.name}"),
            clock_offset=checkpoint.clock_offset,
            edition=source.edition,  # the rules it was played under
        )
    ids, _files = write_rows(
        checkpoint.rows, into=sandbox, source_id=source.pk, files=checkpoint.files
    )
    queue_again(sandbox)
    return sandbox, ids


def _move_out(sandbox: Sandbox, checkpoint: Checkpoint) -> Sandbox:
    """What the sandbox holds goes to a sandbox of its own, removed from its owner's pages."""
    with building():
        archive = Sandbox.objects.create(
            owner_id=sandbox.owner_id,
            name=_free_name(sandbox.owner_id, f"{sandbox.name[:60]} (before restore)"),
            clock_offset=sandbox.clock_offset,
            edition=sandbox.edition,
            removed_at=timezone.now(),
        )
    for held in held_models():
        for field in held.model._meta.concrete_fields:
            if getattr(field, "related_model", None) is Sandbox:
                held.model._base_manager.filter(**{field.attname: sandbox.pk}).update(
                    **{field.attname: archive.pk}
                )
    return archive


@lifecycle_service(RewindAction.RESTORE_CHECKPOINT)
def restore_checkpoint(
    *,
    actor: Actor,
    checkpoint: Checkpoint | int,
    in_place: bool = False,
    confirmed: bool = False,
    name: str = "",
) -> Sandbox:
    """The sandbox as it was at the checkpoint: a new sandbox, or the same one after a
    confirmation. Returns the sandbox restored into."""
    pk = checkpoint.pk if isinstance(checkpoint, Checkpoint) else checkpoint
    sandbox = lock_sandbox(Checkpoint.objects.values_list("sandbox_id", flat=True).get(pk=pk))
    found = Checkpoint.objects.get(pk=pk)
    check_person(actor, sandbox, **_context(sandbox))
    _check_staff_right(actor, sandbox)
    if not in_place:
        restored, _ids = copy_into_new_sandbox(found, name=name)
        _recorded(actor, sandbox, RewindAction.RESTORE_CHECKPOINT, found, into=restored.pk)
        _recorded(actor, restored, RewindAction.RESTORED_FROM, found, source=sandbox.pk)
        return restored
    if sandbox.attempts.exists():
        refuse(
            Code.SANDBOX_IN_USE,
            f"{sandbox.name} holds an attempt at a scenario, which your trainer reads: restore "
            "the checkpoint as a new sandbox, or go back to before a step of the attempt.",
            **_context(sandbox),
        )
    if not confirmed:
        refuse(
            Code.CONFIRMATION_REQUIRED,
            f"Tick the box to confirm: {sandbox.name} goes back to {found.name} and what "
            "happened since leaves it.",
            **_context(sandbox),
        )
    archive = _move_out(sandbox, found)
    with building():
        sandbox.clock_offset = found.clock_offset
        sandbox.save(update_fields=["clock_offset"])
    write_rows(found.rows, into=sandbox, source_id=sandbox.pk, files=found.files)
    queue_again(sandbox)
    _recorded(actor, sandbox, RewindAction.RESTORE_CHECKPOINT, found, moved_to=archive.pk)
    return sandbox
