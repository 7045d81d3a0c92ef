"""The checkpoints page and the attempt's steps page, through the test client."""

from datetime import timedelta

import pytest
from django.urls import reverse

from accounts.models import Sandbox
from lifecycle.models import TimelineEvent
from lifecycle.services import advance_clock
from rewind.models import Checkpoint
from tests.lifecycle.helpers import build_world
from training.models import Attempt


@pytest.fixture
def world(trainee, client):
    client.force_login(trainee)
    return build_world(trainee)


def _text(response) -> str:
    return response.content.decode()


def test_a_checkpoint_is_saved_listed_and_restored_as_a_new_sandbox(world, client):
    url = reverse("checkpoints", args=[world.sandbox.pk])
    response = client.post(url, {"name": "Before anything"}, follow=True)
    assert "Checkpoint “Before anything” saved." in _text(response)
    checkpoint = Checkpoint.objects.get(sandbox=world.sandbox)
    page = _text(client.get(url))
    assert 'data-testid="checkpoint-' in page and "Before anything" in page

    response = client.post(reverse("restore_checkpoint", args=[world.sandbox.pk, checkpoint.pk]))
    restored = Sandbox.objects.exclude(pk=world.sandbox.pk).get(owner=world.owner)
    assert response.status_code == 302
    assert response.url == reverse("dashboard", args=[restored.pk])
    assert restored.name == "Practice · Before anything"


def test_a_nameless_checkpoint_is_refused_on_its_page(world, client):
    response = client.post(reverse("checkpoints", args=[world.sandbox.pk]), {"name": " "})
    assert response.status_code == 409
    assert "Give the checkpoint a name." in _text(response)


def test_restoring_in_place_asks_first_then_brings_the_sandbox_back(world, client):
    client.post(reverse("checkpoints", args=[world.sandbox.pk]), {"name": "Start"})
    checkpoint = Checkpoint.objects.get(sandbox=world.sandbox)
    advance_clock(actor=world.actor, sandbox=world.sandbox, by=timedelta(days=7))
    url = reverse("restore_checkpoint_in_place", args=[world.sandbox.pk, checkpoint.pk])
    page = _text(client.get(url))
    assert "Restore Practice to “Start”?" in page and "Restore in place" in page

    refused = client.post(url)
    assert refused.status_code == 409
    assert "Tick the box to confirm" in _text(refused)

    response = client.post(url, {"confirmed": "yes"})
    assert response.status_code == 302
    world.sandbox.refresh_from_db()
    assert world.sandbox.clock_offset == checkpoint.clock_offset
    assert TimelineEvent.objects.filter(
        sandbox=world.sandbox, action="restore_checkpoint", outcome="done"
    ).exists()


def test_another_trainees_checkpoint_is_not_found(world, client, other_trainee):
    client.post(reverse("checkpoints", args=[world.sandbox.pk]), {"name": "Mine"})
    checkpoint = Checkpoint.objects.get(sandbox=world.sandbox)
    client.force_login(other_trainee)
    url = reverse("restore_checkpoint", args=[world.sandbox.pk, checkpoint.pk])
    assert client.post(url).status_code == 404


def test_the_attempts_steps_offer_a_rewind_and_the_branch_says_where_it_came_from(
    trainee, client, django_capture_on_commit_callbacks
):
    client.force_login(trainee)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("scenario_start", args=["unlink-safely"]))
    attempt = Attempt.objects.get(trainee=trainee)
    account = attempt.sandbox.accounts.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("deactivate", args=[attempt.sandbox.pk]), {"confirmed": "yes"})
    step = TimelineEvent.objects.filter(sandbox=attempt.sandbox, actor_kind="trainee").exclude(
        action__in=["start_attempt"]
    )
    assert step.exists(), "the deactivation is a step"
    page = _text(client.get(reverse("attempt_steps", args=[attempt.pk])))
    assert "Try again from before this step" in page

    response = client.post(
        reverse("attempt_rewind", args=[attempt.pk]), {"before": step.first().pk}
    )
    branch = Attempt.objects.exclude(pk=attempt.pk).get(trainee=trainee)
    assert response.url == reverse("attempt", args=[branch.pk])
    page = _text(client.get(reverse("attempt", args=[branch.pk])))
    assert f"Attempt {branch.pk}, rewound from attempt {attempt.pk} before step 1." in page
    assert branch.sandbox.accounts.get().status == account.status  # before the step: active


def test_a_step_without_a_checkpoint_before_it_is_not_offered(trainee, client):
    client.force_login(trainee)
    client.post(reverse("scenario_start", args=["unlink-safely"]))  # no commit: no checkpoint
    attempt = Attempt.objects.get(trainee=trainee)
    response = client.post(reverse("attempt_rewind", args=[attempt.pk]), {"before": "1"})
    assert response.url == reverse("attempt_steps", args=[attempt.pk])
    assert Attempt.objects.filter(trainee=trainee).count() == 1


def test_a_finished_attempts_result_page_offers_a_rewind_that_works(
    trainee, client, django_capture_on_commit_callbacks
):
    client.force_login(trainee)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("scenario_start", args=["unlink-safely"]))
    attempt = Attempt.objects.get(trainee=trainee)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("deactivate", args=[attempt.sandbox.pk]), {"confirmed": "yes"})
    client.post(reverse("attempt_finish", args=[attempt.pk]))
    attempt.refresh_from_db()
    assert not attempt.is_open

    page = _text(client.get(reverse("attempt_result", args=[attempt.pk])))
    assert page.count("Try again from before this step") == 1  # the one step of the trainee's
    step = attempt.feedback["steps"][0]["id"]
    response = client.post(reverse("attempt_rewind", args=[attempt.pk]), {"before": step})
    branch = Attempt.objects.exclude(pk=attempt.pk).get(trainee=trainee)
    assert response.url == reverse("attempt", args=[branch.pk]) and branch.is_open
    assert branch.sandbox.accounts.get().status == "active"
