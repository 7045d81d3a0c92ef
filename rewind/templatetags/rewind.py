"""The training pages' words and buttons for rewinding (rewind.branches)."""

from typing import Any

from django import template
from django.urls import reverse

from accounts.models import Sandbox
from lifecycle.models import Outcome, TimelineEvent
from training.models import Attempt

from ..actions import RewindAction
from ..branches import branch_of, branch_words, steps_with_rewind, words
from ..models import Branch, Checkpoint

register = template.Library()
RESTORES = (RewindAction.RESTORE_CHECKPOINT, RewindAction.RESTORED_FROM)


@register.simple_tag
def branch_of_attempt(attempt: Attempt) -> str:
    """ "rewound from attempt 4 before step 3", or "" for an attempt started afresh."""
    return branch_words(branch_of(attempt))


@register.simple_tag
def rewind_marks(attempt: Attempt, steps: list[dict]) -> list[dict]:
    """The steps, each with its number and whether it can be gone back to (one query)."""
    return steps_with_rewind(attempt, steps)


@register.inclusion_tag("rewind/partials/case_checkpoints.html", takes_context=True)
def case_checkpoints(context: dict, sandbox: Sandbox) -> dict:
    """The case page's section: the sandbox's checkpoints, each restorable by staff with the
    right (a staff action: preview and reason first), and the restores on its record."""
    user = context["request"].user
    return {
        "sandbox": sandbox,
        "checkpoints": Checkpoint.objects.listed().filter(sandbox=sandbox).defer("rows", "files"),
        "restores": TimelineEvent.objects.filter(
            sandbox=sandbox, action__in=RESTORES, outcome=Outcome.DONE
        ).order_by("-id")[:20],
        "url": reverse("admin:rewind_checkpoint_changelist"),
        "here": context.get("here", ""),
        "may_restore": user.has_perm("rewind.restore_checkpoint"),
    }


@register.simple_tag
def cohort_branches(cohort: Any) -> dict[int, str]:
    """Each rewound attempt of the cohort, by id, in words (one query for the whole grid)."""
    found = Branch.objects.filter(attempt__cohort=cohort).values_list(
        "attempt_id", "parent_id", "before_step"
    )
    return {attempt: words(parent, step) for attempt, parent, step in found}


@register.filter
def words_for(branches: dict[int, str], attempt_id: int | None) -> str:
    return branches.get(attempt_id, "") if attempt_id is not None else ""
