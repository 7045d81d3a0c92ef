"""Scores sent back to the platform's grade book (AGS) by a background job, and retried."""

from datetime import timedelta

import pytest
from django.utils import timezone

from lifecycle.jobs import Job
from lifecycle.tasks import send_score_task, sweep_task
from lti.models import ScoreSend, SendState
from tests.lti import platform
from tests.lti.conftest import launch
from tests.lti.test_launch import learner, teacher
from training import moves
from training.models import Attempt
from training.play import finish_attempt, start_attempt
from training.scenarios import get
from training.script import Player, play

pytestmark = pytest.mark.django_db


@pytest.fixture
def playing(registered, client, scenario_slug) -> Attempt:
    """A learner came from the course's link and plays the scenario."""
    launch(client, teacher(scenario_slug))
    launch(client, learner(scenario_slug))
    return Attempt.objects.get()


def finish(attempt: Attempt, queue, capture) -> ScoreSend:
    with capture(execute=True):
        finish_attempt(attempt=attempt)
    return ScoreSend.objects.get(attempt=attempt)


def play_reference(attempt: Attempt) -> None:
    """The trainee plays the scenario's reference solution in the attempt's sandbox."""
    sandbox = attempt.sandbox
    player = Player(sandbox=sandbox, seller=moves.Actor.trainee(sandbox.owner), password="")
    play(player, get(attempt.scenario_slug).runs()["reference"])


def run_queued(queue) -> None:
    """What a worker would do with the messages the services queued."""
    for name, args in queue.sent:
        assert name == Job.SEND_SCORE
        send_score_task(*args)
    queue.sent.clear()


def test_a_graded_attempts_score_reaches_the_grade_book(
    playing, queue, django_capture_on_commit_callbacks
):
    send = finish(playing, queue, django_capture_on_commit_callbacks)
    assert (send.state, send.tries) == (SendState.QUEUED, 0)
    assert queue.sent == [(Job.SEND_SCORE, (send.pk,))]

    run_queued(queue)

    playing.refresh_from_db()
    score = platform.PLATFORM.grade_book["link-1"]["l-1"]
    assert score["scoreGiven"] == playing.score
    assert score["scoreMaximum"] == 100
    assert score["activityProgress"] == "Completed"
    assert score["gradingProgress"] == "FullyGraded"
    verdict = "Passed" if playing.passed else "Not passed"
    assert score["comment"].startswith(f"{verdict}: {playing.score}/100.")
    missed = [r["title"] for r in playing.result.values() if not r["met"]]
    assert missed and all(title in score["comment"] for title in missed)
    send.refresh_from_db()
    assert (send.state, send.tries) == (SendState.SENT, 1)
    assert send.sent_at is not None


def test_a_platform_down_keeps_the_score_until_the_sweep_sends_it_again(
    playing, queue, django_capture_on_commit_callbacks, monkeypatch
):
    platform.PLATFORM.knobs["down"] = True
    send = finish(playing, queue, django_capture_on_commit_callbacks)
    run_queued(queue)

    send.refresh_from_db()
    assert send.state == SendState.FAILED
    assert "503" in send.answer and "down for maintenance" in send.answer
    assert "l-1" not in platform.PLATFORM.grade_book.get("link-1", {})

    monkeypatch.setattr("lifecycle.tasks.sandboxes_with_due_work", lambda: [])
    with django_capture_on_commit_callbacks(execute=True):
        sweep_task()
    assert queue.sent == []  # its wait is not over yet

    platform.PLATFORM.knobs["down"] = False
    ScoreSend.objects.filter(pk=send.pk).update(last_try_at=timezone.now() - timedelta(minutes=2))
    with django_capture_on_commit_callbacks(execute=True):
        sweep_task()
    assert queue.sent == [(Job.SEND_SCORE, (send.pk,))]
    run_queued(queue)

    send.refresh_from_db()
    assert (send.state, send.tries) == (SendState.SENT, 2)
    assert platform.PLATFORM.grade_book["link-1"]["l-1"]["scoreGiven"] == send.score


def test_a_token_answer_without_its_token_is_a_failed_try_with_the_platforms_answer(
    playing, queue, django_capture_on_commit_callbacks, monkeypatch
):
    def no_token(self, scopes):
        raise KeyError("access_token")  # what pylti1p3 raises on a token answer without one

    monkeypatch.setattr("pylti1p3.service_connector.ServiceConnector.get_access_token", no_token)
    send = finish(playing, queue, django_capture_on_commit_callbacks)
    run_queued(queue)

    send.refresh_from_db()
    assert (send.state, send.tries) == (SendState.FAILED, 1)
    assert "access_token" in send.answer and send.last_try_at is not None


def test_a_better_later_attempt_replaces_the_score_and_a_worse_one_is_kept_back(
    playing, client, scenario_slug, queue, django_capture_on_commit_callbacks
):
    first = finish(playing, queue, django_capture_on_commit_callbacks)  # nothing done: low
    run_queued(queue)
    second_response = launch(client, learner(scenario_slug))
    second = Attempt.objects.get(pk=second_response["Location"].split("/")[-2])
    play_reference(second)

    better = finish(second, queue, django_capture_on_commit_callbacks)
    run_queued(queue)

    assert better.score > first.score
    assert platform.PLATFORM.grade_book["link-1"]["l-1"]["scoreGiven"] == better.score
    third = start_attempt(trainee=second.trainee, scenario=get(scenario_slug))  # a restart here
    worse = finish(third, queue, django_capture_on_commit_callbacks)
    assert worse.state == SendState.KEPT and queue.sent == []
    assert f"Attempt #{second.pk} scored {better.score}" in worse.answer
    assert platform.PLATFORM.grade_book["link-1"]["l-1"]["scoreGiven"] == better.score


def test_an_attempt_not_launched_from_a_course_sends_nothing(
    registered, queue, django_capture_on_commit_callbacks, django_user_model, scenario_slug
):
    person = django_user_model.objects.create_user("free-player", password="pw-free-123")
    attempt = start_attempt(trainee=person, scenario=get(scenario_slug))
    with django_capture_on_commit_callbacks(execute=True):
        finish_attempt(attempt=attempt)
    assert not ScoreSend.objects.exists() and queue.sent == []


def test_the_trainer_sees_each_send_with_its_state_and_the_platforms_answer(
    playing, client, scenario_slug, queue, django_capture_on_commit_callbacks
):
    platform.PLATFORM.knobs["down"] = True
    finish(playing, queue, django_capture_on_commit_callbacks)
    run_queued(queue)
    launch(client, teacher(scenario_slug))  # the instructor comes from the course
    cohort = playing.cohort

    cohort_page = client.get(f"/trainer/cohorts/{cohort.pk}/").content.decode()
    page = client.get(f"/trainer/cohorts/{cohort.pk}/course-grades/").content.decode()

    assert f"/trainer/cohorts/{cohort.pk}/course-grades/" in cohort_page
    assert "Lee Learner" in page
    assert "Failed (will be retried)" in page
    assert "down for maintenance" in page
