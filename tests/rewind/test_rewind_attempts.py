"""Rewinding an attempt to before any of the trainee's steps, then finishing with the rest of
the reference solution, earns the reference's grade; the branch is recorded."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import Max

from lifecycle.models import TimelineEvent
from lifecycle.services import Actor
from rewind.attempts import CannotRewind, rewind_attempt, step_number
from rewind.models import Branch
from training.models import Attempt
from training.play import finish_attempt, start_attempt
from training.scenarios import get
from training.script import Player, play

PASSWORD = "correct-horse-9"  # the trainee fixture's


def _last_event(sandbox) -> int:
    return TimelineEvent.objects.filter(sandbox=sandbox).aggregate(m=Max("id"))["m"] or 0


def _played(trainee, slug, capture):
    """An attempt played along the reference, committing after each script step (a checkpoint
    follows each); returns it with, per script step, the first trainee event it wrote."""
    scenario = get(slug)
    with capture(execute=True):
        attempt = start_attempt(trainee=trainee, scenario=scenario)
    player = Player(sandbox=attempt.sandbox, seller=Actor.trainee(trainee), password=PASSWORD)
    firsts = []
    for index, step in enumerate(scenario.solution):
        last = _last_event(attempt.sandbox)
        with capture(execute=True):
            play(player, [step])
        mine = TimelineEvent.objects.filter(
            sandbox=attempt.sandbox, id__gt=last, actor_kind="trainee"
        ).order_by("id")
        if mine.exists():
            firsts.append((index, mine[0].pk))
    return scenario, attempt, firsts


@pytest.mark.parametrize("slug", ["close-account", "unlink-safely", "back-to-personal"])
def test_rewinding_before_each_step_and_finishing_the_reference_scores_100(
    trainee, slug, django_capture_on_commit_callbacks
):
    scenario, attempt, firsts = _played(trainee, slug, django_capture_on_commit_callbacks)
    assert len(firsts) >= 3, firsts  # a branch before each of several steps
    for index, event_id in firsts:
        number = step_number(attempt, event_id)
        branch = rewind_attempt(trainee=trainee, attempt=attempt, before_event=event_id)
        player = Player(sandbox=branch.sandbox, seller=Actor.trainee(trainee), password=PASSWORD)
        play(player, scenario.solution[index:])
        graded = finish_attempt(attempt=branch)
        assert (graded.score, graded.passed) == (100, True), (slug, index, graded.feedback)
        recorded = Branch.objects.get(attempt=branch)
        assert (recorded.parent, recorded.before_step, recorded.before_event_id) == (
            attempt,
            number,
            event_id,
        )
        event = TimelineEvent.objects.get(sandbox=branch.sandbox, action="rewind_attempt")
        assert event.params["rewound_from"] == attempt.pk
    # The rewound attempt is untouched, and open.
    attempt.refresh_from_db()
    assert attempt.is_open and attempt.sandbox.attempts.get() == attempt


def test_a_practice_scenario_makes_its_rewound_attempts_practice(
    trainee, django_capture_on_commit_callbacks, monkeypatch
):
    scenario, attempt, firsts = _played(
        trainee, "unlink-safely", django_capture_on_commit_callbacks
    )
    practiced = scenario.model_copy(update={"rewind": "practice"})
    monkeypatch.setattr("rewind.attempts.get", lambda slug: practiced)
    index, event_id = firsts[0]
    branch = rewind_attempt(trainee=trainee, attempt=attempt, before_event=event_id)
    play(
        Player(sandbox=branch.sandbox, seller=Actor.trainee(trainee), password=PASSWORD),
        scenario.solution[index:],
    )
    graded = finish_attempt(attempt=branch)
    assert graded.score == 100 and graded.passed is False


def test_only_the_trainee_rewinds_and_only_to_before_their_own_steps(
    trainee, other_trainee, django_capture_on_commit_callbacks
):
    _scenario, attempt, firsts = _played(
        trainee, "unlink-safely", django_capture_on_commit_callbacks
    )
    with pytest.raises(PermissionDenied):
        rewind_attempt(trainee=other_trainee, attempt=attempt, before_event=firsts[0][1])
    start = TimelineEvent.objects.get(sandbox=attempt.sandbox, action="start_attempt")
    with pytest.raises(CannotRewind):
        rewind_attempt(trainee=trainee, attempt=attempt, before_event=start.pk)
    assert Attempt.objects.filter(trainee=trainee).count() == 1
