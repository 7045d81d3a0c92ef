"""Playing a scenario: start an attempt in a fresh sandbox, take hints, grade it, finish it.

These are the training layer's writes. They change attempts, and each writes its own event on
the attempt's sandbox (started, hint taken, finished and graded, restarted: `TrainingAction`);
the sandbox itself changes through the lifecycle services, called by the trainee's own clicks.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accounts.models import Sandbox, User
from editions import registry as editions
from lifecycle.core import Actor, lock_sandbox, record

from . import grading, hooks, moves, observe
from .actions import FINISHED, OPEN, TrainingAction
from .build import Built, build_world
from .cohorts.models import Cohort
from .cohorts.progress import cohort_assigning
from .facts import Fact, FinalState
from .models import Attempt
from .scenarios import Scenario, get
from .scenarios.steps import Step
from .script import Player, play


def _state(attempt: Attempt) -> str:
    return OPEN if attempt.is_open else FINISHED


def _record(attempt: Attempt, action: str, before: str, after: str, **params) -> None:
    """The attempt's own event on its sandbox's timeline (none once the sandbox is gone)."""
    if attempt.sandbox_id is None:
        return
    record(
        actor=Actor.trainee(attempt.trainee),
        action=action,
        subject=attempt,
        before=before,
        after=after,
        sandbox=lock_sandbox(attempt.sandbox_id),  # the clock as it stands, behind any move
        params={"attempt_id": attempt.pk, "scenario": attempt.scenario_slug, **params},
    )


def start_attempt(
    *, trainee: User, scenario: Scenario, restarted_from: Attempt | None = None
) -> Attempt:
    """A new attempt in a sandbox built from the scenario's world; earlier attempts are kept.

    It is made for the cohort that assigns the scenario (`cohort_assigning`), if any. A restart
    (`restarted_from`, an attempt of the same trainee) is recorded on both sandboxes: the old
    attempt's says it was restarted, the new one's that it started from it."""
    if scenario.audience == "support" and not trainee.is_staff:
        raise PermissionDenied("This scenario is for support staff.")
    cohort = cohort_assigning(trainee, scenario.slug)
    with transaction.atomic():
        built = build_world(scenario, trainee=trainee, edition=edition_to_play(scenario, cohort))
        attempt = Attempt.objects.create(
            trainee=trainee,
            scenario_slug=scenario.slug,
            cohort=cohort,
            sandbox=built.sandbox,
            sandbox_started_at=built.sandbox.now(),
            baseline_event_id=built.baseline_event_id,
        )
        more = {"restarted_from": restarted_from.pk} if restarted_from else {}
        _record(attempt, TrainingAction.START_ATTEMPT, "", OPEN, **more)
        if restarted_from is not None:
            old = _locked(restarted_from)
            state = _state(old)
            _record(old, TrainingAction.RESTART_ATTEMPT, state, state, new_attempt_id=attempt.pk)
        return attempt


def edition_to_play(scenario: Scenario, cohort: Cohort | None) -> str:
    """The edition an attempt is played under: its cohort's; in free play the default one, or
    the scenario's first when it is not written for the default. A scenario runs only under the
    editions it names: a cohort under another cannot start it (assigning it was refused)."""
    if cohort is not None:
        if cohort.edition not in scenario.editions:
            raise PermissionDenied(
                f"{scenario.title} is not written for the rules {cohort.name} plays under."
            )
        return cohort.edition
    default = editions.default_key()
    return default if default in scenario.editions else scenario.editions[0]


def grade_sandbox(
    scenario: Scenario,
    sandbox: Sandbox,
    *,
    baseline_event_id: int,
    started: datetime | None,
    hints_used: int = 0,
    final: bool = True,
) -> grading.Grade:
    state = observe.final_state(sandbox)
    name = scenario.world.display_name
    events = observe.events_after(sandbox, baseline_event_id, account_name=name)
    took = state.now - started if started else None
    return grading.grade(scenario, events, state, hints_used=hints_used, took=took, final=final)


def current_grade(attempt: Attempt, *, final: bool = False) -> grading.Grade | None:
    """The attempt's grade now: under way (the live panel: what can still be met is "not yet"),
    or `final` as finishing would keep it. None without its sandbox."""
    sandbox = attempt.sandbox
    if sandbox is None:
        return None
    return grade_sandbox(
        get(attempt.scenario_slug),
        sandbox,
        baseline_event_id=attempt.baseline_event_id,
        started=attempt.sandbox_started_at,
        hints_used=attempt.hints_used,
        final=final,
    )


def _locked(attempt: Attempt) -> Attempt:
    return Attempt.objects.select_for_update().get(pk=attempt.pk)


@transaction.atomic
def take_hint(*, attempt: Attempt) -> Attempt:
    """Reveal the next hint (it costs its points); a finished attempt takes no more."""
    attempt = _locked(attempt)
    scenario = get(attempt.scenario_slug)
    if attempt.is_open and attempt.hints_used < len(scenario.hints):
        attempt.hints_used += 1
        attempt.save(update_fields=["hints_used"])
        _record(attempt, TrainingAction.TAKE_HINT, OPEN, OPEN, hint=attempt.hints_used)
    return attempt


@transaction.atomic
def show_solution(*, attempt: Attempt) -> Attempt:
    """Show the reference solution: the attempt becomes practice (it is finished with its score,
    but never passes). A finished attempt is left as it was."""
    attempt = _locked(attempt)
    if attempt.is_open and not (attempt.feedback or {}).get("practice"):
        attempt.feedback = {**(attempt.feedback or {}), "practice": True}
        attempt.save(update_fields=["feedback"])
    return attempt


def _rows(facts: list[Fact]) -> list[dict]:
    return [
        {
            "id": e.id,
            "at": e.at.isoformat(timespec="minutes"),
            "actor": e.actor_kind,
            "text": e.describe(),
            "refused": e.outcome == "refused",
        }
        for e in facts
        if e.actor_kind != "job" or e.outcome == "refused"
    ]


def trainee_steps(attempt: Attempt) -> list[dict]:
    """What the trainee did, in order, as the result page shows it beside the reference."""
    sandbox = attempt.sandbox
    if sandbox is None:
        return []
    name = get(attempt.scenario_slug).world.display_name
    return _rows(observe.events_after(sandbox, attempt.baseline_event_id, account_name=name))


def setup_steps(attempt: Attempt) -> list[dict]:
    """How the scenario built the world before the attempt began: its steps, each by the
    scenario's set-up as its event records (the build's own job, the email, shows as a job)."""
    sandbox = attempt.sandbox
    if sandbox is None:
        return []
    name = get(attempt.scenario_slug).world.display_name
    built = observe.events_after(sandbox, 0, upto=attempt.baseline_event_id, account_name=name)
    return _rows(built)


@transaction.atomic
def finish_attempt(*, attempt: Attempt) -> Attempt:
    """Grade the attempt and keep the grade; finishing twice changes nothing."""
    attempt = _locked(attempt)
    if not attempt.is_open:
        return attempt
    sandbox_id = attempt.sandbox_id
    grade = current_grade(attempt, final=True)
    if grade is None or sandbox_id is None:
        raise PermissionDenied("This attempt's sandbox is gone: start the scenario again.")
    practice = bool((attempt.feedback or {}).get("practice"))
    attempt.finished_at = timezone.now()
    attempt.sandbox_finished_at = Sandbox.objects.get(pk=sandbox_id).now()
    attempt.score = grade.score
    attempt.passed = grade.passed and not practice
    attempt.result = {line.id: line.as_json() for line in grade.lines}
    attempt.feedback = {
        "earned": grade.earned,
        "hint_cost": grade.hint_cost,
        "penalty": grade.penalty,
        "over_budget": grade.over_budget,
        "took_seconds": int(grade.took.total_seconds()) if grade.took else None,
        "notes": list(grade.notes),
        "failed_because": list(grade.failed_because)
        + (["The solution was shown: this attempt was practice."] if practice else []),
        "practice": practice,
        "steps": trainee_steps(attempt),
        "setup": setup_steps(attempt),
    }
    attempt.save()
    _record(
        attempt,
        TrainingAction.FINISH_ATTEMPT,
        OPEN,
        FINISHED,
        score=grade.score,
        passed=grade.passed,
    )
    hooks.attempt_finished(attempt)
    return attempt


@dataclass
class Rehearsal:
    built: Built
    player: Player
    grade: grading.Grade
    events: list[Fact]
    state: FinalState


def rehearse(scenario: Scenario, steps: list[Step]) -> Rehearsal:
    """Build the world for a throw-away trainee and play `steps` on it: how the tests and
    `manage.py scenarios check` run a reference solution or a careless run. The caller decides
    whether to keep what it made (the check command rolls it back)."""
    password = secrets.token_urlsafe(12)
    name = f"rehearsal-{secrets.token_hex(4)}"
    trainee = User.objects.create_user(
        name, f"{name}@example.com", password, is_staff=scenario.audience == "support"
    )
    built = build_world(scenario, trainee=trainee)
    started = built.sandbox.now()
    player = Player(
        sandbox=built.sandbox,
        seller=moves.Actor.trainee(built.owner),
        password=built.password or password,
        staff=moves.Actor.staff(trainee) if trainee.is_staff else None,
    )
    play(player, steps)
    state = observe.final_state(built.sandbox)
    events = observe.events_after(
        built.sandbox, built.baseline_event_id, account_name=scenario.world.display_name
    )
    grade = grading.grade(scenario, events, state, took=state.now - started)
    return Rehearsal(built, player, grade, events, state)
