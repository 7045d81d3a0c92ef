"""Rewinding an attempt: a new attempt from its sandbox as it was before one of the trainee's
steps (RULEBOOK §11), a branch of the old one.

The new attempt's sandbox is a copy of the step checkpoint taken just before that step
(`rewind.steps`), clock included; its timeline holds the world's build and the steps before,
so grading reads them as the branch's own. The scenario's `rewind` says whether the branch can
pass ("graded") or is practice.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from accounts.models import User
from lifecycle.core import Actor, record
from training.actions import OPEN, TrainingAction
from training.models import Attempt
from training.play import trainee_steps
from training.scenarios import get

from .models import Branch
from .services import copy_into_new_sandbox
from .steps import before


class CannotRewind(Exception):
    """The step has no record of the sandbox before it (a step older than this feature)."""


def steps_of(attempt: Attempt) -> list[dict]:
    """The trainee's steps that can be gone back to: a finished attempt's as graded."""
    if not attempt.is_open and (attempt.feedback or {}).get("steps") is not None:
        return list(attempt.feedback["steps"])
    return trainee_steps(attempt)


def step_number(attempt: Attempt, event_id: int) -> int:
    """The step's number (from 1) among the trainee's steps; 0 when it is none of them."""
    for number, step in enumerate(steps_of(attempt), start=1):
        if step["id"] == event_id and step["actor"] == "trainee":
            return number
    return 0


def can_rewind(attempt: Attempt, event_id: int) -> bool:
    return (
        attempt.sandbox_id is not None
        and step_number(attempt, event_id) > 0
        and before(attempt.sandbox_id, event_id) is not None
    )


@transaction.atomic
def rewind_attempt(*, trainee: User, attempt: Attempt, before_event: int) -> Attempt:
    """A new attempt of the same scenario from just before the step `before_event`."""
    attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
    if attempt.trainee_id != trainee.pk:
        raise PermissionDenied("This attempt is another trainee's.")
    number = step_number(attempt, before_event)
    checkpoint = before(attempt.sandbox_id, before_event) if attempt.sandbox_id else None
    if number == 0 or checkpoint is None:
        raise CannotRewind("There is no record of the sandbox before that step.")
    scenario = get(attempt.scenario_slug)
    sandbox, ids = copy_into_new_sandbox(
        checkpoint, name=f"{checkpoint.sandbox.name[:60]} · before step {number}"
    )
    practice = scenario.rewind == "practice" or bool((attempt.feedback or {}).get("practice"))
    branch = Attempt.objects.create(
        trainee=trainee,
        scenario_slug=attempt.scenario_slug,
        cohort=attempt.cohort,
        sandbox=sandbox,
        sandbox_started_at=attempt.sandbox_started_at,
        baseline_event_id=ids.new("lifecycle.timelineevent", attempt.baseline_event_id),
        hints_used=sandbox.events.filter(action=TrainingAction.TAKE_HINT).count(),
        feedback={"practice": True} if practice else {},
    )
    Branch.objects.create(
        attempt=branch, parent=attempt, before_step=number, before_event_id=before_event
    )
    record(
        actor=Actor.trainee(trainee),
        action=TrainingAction.REWIND_ATTEMPT,
        subject=branch,
        sandbox=sandbox,
        before="",
        after=OPEN,
        params={
            "attempt_id": branch.pk,
            "scenario": branch.scenario_slug,
            "rewound_from": attempt.pk,
            "before_step": number,
        },
    )
    return branch
