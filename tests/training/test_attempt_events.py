"""The training layer writes its own events on the attempt's sandbox (issue 19, item 4): started,
hint taken, finished and graded, restarted. They need no lifecycle migration (a registered
vocabulary) and grading never reads them."""

import pytest
from django.urls import reverse

from lifecycle.actions import is_known, label_of
from lifecycle.models import Outcome, TimelineEvent
from training import play
from training.actions import TrainingAction
from training.models import Attempt
from training.scenarios import get

pytestmark = pytest.mark.django_db

SLUG = "unlink-safely"


@pytest.fixture
def client_in(client, trainee):
    client.force_login(trainee)
    return client


def own_events(attempt):
    return list(
        TimelineEvent.objects.filter(
            sandbox_id=attempt.sandbox_id, action__in=TrainingAction.values
        )
        .order_by("id")
        .values_list("action", "subject_type", "subject_id", "before", "after", "actor_kind")
    )


def start(client) -> Attempt:
    client.post(reverse("scenario_start", args=[SLUG]))
    return Attempt.objects.order_by("-id").first()


def test_training_actions_are_registered_without_a_lifecycle_migration():
    for action in TrainingAction.values:
        assert is_known(action)
    assert label_of(TrainingAction.TAKE_HINT) == "Take a hint"


def test_start_hint_and_finish_each_write_an_event_on_the_attempts_sandbox(client_in):
    attempt = start(client_in)
    client_in.post(reverse("attempt_hint", args=[attempt.pk]))
    client_in.post(reverse("attempt_finish", args=[attempt.pk]))
    attempt.refresh_from_db()
    subject = ("attempt", attempt.pk)
    assert own_events(attempt) == [
        (TrainingAction.START_ATTEMPT, *subject, "", "open", "trainee"),
        (TrainingAction.TAKE_HINT, *subject, "open", "open", "trainee"),
        (TrainingAction.FINISH_ATTEMPT, *subject, "open", "finished", "trainee"),
    ]
    finished = TimelineEvent.objects.get(
        sandbox_id=attempt.sandbox_id, action=TrainingAction.FINISH_ATTEMPT
    )
    assert finished.outcome == Outcome.DONE
    assert finished.params == {
        "attempt_id": attempt.pk,
        "scenario": SLUG,
        "score": attempt.score,
        "passed": attempt.passed,
    }
    hint = TimelineEvent.objects.get(sandbox_id=attempt.sandbox_id, action=TrainingAction.TAKE_HINT)
    assert hint.params["hint"] == 1


def test_finishing_twice_and_a_hint_after_finishing_write_nothing_more(client_in):
    attempt = start(client_in)
    play.finish_attempt(attempt=attempt)
    count = len(own_events(attempt))
    play.finish_attempt(attempt=attempt)
    play.take_hint(attempt=attempt)
    assert len(own_events(attempt)) == count == 2


def test_a_restart_is_recorded_on_both_sandboxes(client_in):
    first = start(client_in)
    client_in.post(reverse("attempt_restart", args=[first.pk]))
    second = Attempt.objects.order_by("-id").first()
    assert second.pk != first.pk and second.sandbox_id != first.sandbox_id
    assert own_events(first)[-1] == (
        TrainingAction.RESTART_ATTEMPT,
        "attempt",
        first.pk,
        "open",
        "open",
        "trainee",
    )
    restarted = TimelineEvent.objects.filter(action=TrainingAction.RESTART_ATTEMPT).get()
    assert restarted.params["new_attempt_id"] == second.pk
    started = TimelineEvent.objects.get(
        sandbox_id=second.sandbox_id, action=TrainingAction.START_ATTEMPT
    )
    assert started.params["restarted_from"] == first.pk


def test_grading_does_not_read_the_attempts_own_events(client_in):
    attempt = start(client_in)
    play.take_hint(attempt=attempt)
    facts = play.observe.events_after(attempt.sandbox, attempt.baseline_event_id)
    assert not [f for f in facts if f.action in TrainingAction.values]
    assert play.trainee_steps(attempt) == []  # nothing done in the sandbox yet
    assert (
        play.current_grade(attempt).score
        == play.grade_sandbox(
            get(SLUG),
            attempt.sandbox,
            baseline_event_id=attempt.baseline_event_id,
            started=None,
            hints_used=attempt.hints_used,
        ).score
    )
