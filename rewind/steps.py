"""A checkpoint after each step of an attempt, so the trainee can go back to before any step.

Every timeline event of a sandbox asks, once its transaction has committed, for a "step"
checkpoint of that sandbox when an open attempt is played in it. The checkpoint is taken under
the sandbox's clock lock and names the last event it holds, so "before step k" is the latest
step checkpoint holding no event from step k on, whatever ran in between. A sandbox without an
open attempt costs one query per committed action; no checkpoint is taken twice for the same
last event.
"""

from typing import Any

from django.db import transaction
from django.db.models import Max

from accounts.models import Sandbox
from lifecycle.core import lock_sandbox
from lifecycle.models import TimelineEvent

from .models import Checkpoint, CheckpointKind


def after_event(sender: type, instance: TimelineEvent, created: bool, **kwargs: Any) -> None:
    if created:
        sandbox_id = instance.sandbox_id
        transaction.on_commit(lambda: take_step_checkpoint(sandbox_id), robust=True)


def take_step_checkpoint(sandbox_id: int) -> Checkpoint | None:
    """The sandbox as it is now, when an open attempt is played in it and no step checkpoint
    holds its latest event yet."""
    from training.models import Attempt

    from .services import take_checkpoint

    if not Attempt.objects.filter(sandbox_id=sandbox_id, finished_at=None).exists():
        return None
    with transaction.atomic():
        sandbox: Sandbox = lock_sandbox(sandbox_id)
        last = TimelineEvent.objects.filter(sandbox=sandbox).aggregate(last=Max("id"))["last"]
        taken = Checkpoint.objects.filter(
            sandbox=sandbox, kind=CheckpointKind.STEP, last_event_id__gte=last or 0
        )
        if taken.exists():
            return None
        return take_checkpoint(sandbox, name=f"After event {last}", kind=CheckpointKind.STEP)


def before(sandbox_id: int, event_id: int) -> Checkpoint | None:
    """The latest step checkpoint holding nothing from the event `event_id` on."""
    return (
        Checkpoint.objects.filter(
            sandbox_id=sandbox_id, kind=CheckpointKind.STEP, last_event_id__lt=event_id
        )
        .order_by("-last_event_id")
        .first()
    )
