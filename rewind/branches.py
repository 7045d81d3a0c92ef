"""What the pages say about rewinding: which steps can be gone back to, and whose branch an
attempt is ("rewound from attempt 4 before step 3")."""

from training.models import Attempt

from .attempts import steps_of
from .models import Branch, Checkpoint, CheckpointKind


def rewindable(attempt: Attempt) -> set[int]:
    """The trainee's steps of the attempt that have a checkpoint before them (one query)."""
    if attempt.sandbox_id is None:
        return set()
    marks = sorted(
        Checkpoint.objects.filter(
            sandbox_id=attempt.sandbox_id, kind=CheckpointKind.STEP
        ).values_list("last_event_id", flat=True)
    )
    if not marks:
        return set()
    return {
        step["id"]
        for step in steps_of(attempt)
        if step["actor"] == "trainee" and marks[0] < step["id"]
    }


def steps_with_rewind(attempt: Attempt, steps: list[dict] | None = None) -> list[dict]:
    """The steps, each with its number and whether it can be gone back to."""
    can = rewindable(attempt)
    return [
        {**step, "number": n, "rewind": step["id"] in can}
        for n, step in enumerate(steps_of(attempt) if steps is None else steps, start=1)
    ]


def branch_of(attempt: Attempt) -> Branch | None:
    """The attempt's branch record; no query when the attempt was read with
    select_related("branch")."""
    try:
        return attempt.branch
    except Branch.DoesNotExist:
        return None


def branch_words(branch: Branch | None) -> str:
    if branch is None:
        return ""
    return words(branch.parent_id, branch.before_step)


def words(parent_id: int, before_step: int) -> str:
    return f"rewound from attempt {parent_id} before step {before_step}"
