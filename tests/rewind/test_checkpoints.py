"""Saving and restoring checkpoints: who may, what they must say, how many are kept."""

import pytest
from django.contrib.auth.models import Permission

from lifecycle.errors import Code, LifecycleError
from lifecycle.models import TimelineEvent
from lifecycle.services import Actor
from rewind.models import Checkpoint, CheckpointKind
from rewind.services import checkpoint_before, restore_checkpoint, save_checkpoint
from tests.lifecycle.helpers import build_world


@pytest.fixture
def world(trainee):
    return build_world(trainee)


def test_a_saved_checkpoint_has_its_name_and_sandbox_time_and_is_recorded(world):
    checkpoint = save_checkpoint(actor=world.actor, sandbox=world.sandbox, name=" Before ")
    world.sandbox.refresh_from_db()
    assert checkpoint.name == "Before" and checkpoint.kind == CheckpointKind.SAVED
    assert checkpoint.clock_offset == world.sandbox.clock_offset
    event = TimelineEvent.objects.filter(sandbox=world.sandbox).latest("id")
    assert (event.action, event.after, event.params["checkpoint_id"]) == (
        "save_checkpoint",
        "Before",
        checkpoint.pk,
    )
    assert checkpoint.last_event_id == event.pk - 1  # its own event came after it


def test_a_checkpoint_needs_a_name(world):
    with pytest.raises(LifecycleError) as err:
        save_checkpoint(actor=world.actor, sandbox=world.sandbox, name="  ")
    assert err.value.code == Code.INPUT_REQUIRED
    assert err.value.message == "Give the checkpoint a name."
    assert not Checkpoint.objects.exists()


def test_only_the_owner_saves_or_restores_a_checkpoint(world, other_trainee):
    stranger = Actor.trainee(other_trainee)
    with pytest.raises(LifecycleError) as err:
        save_checkpoint(actor=stranger, sandbox=world.sandbox, name="Mine")
    assert err.value.code == Code.NOT_YOUR_SANDBOX
    checkpoint = save_checkpoint(actor=world.actor, sandbox=world.sandbox, name="Theirs")
    with pytest.raises(LifecycleError) as err:
        restore_checkpoint(actor=stranger, checkpoint=checkpoint)
    assert err.value.code == Code.NOT_YOUR_SANDBOX


def test_a_restore_in_place_needs_its_confirmation(world):
    checkpoint = save_checkpoint(actor=world.actor, sandbox=world.sandbox, name="Start")
    with pytest.raises(LifecycleError) as err:
        restore_checkpoint(actor=world.actor, checkpoint=checkpoint, in_place=True)
    assert err.value.code == Code.CONFIRMATION_REQUIRED
    assert err.value.message == (
        "Tick the box to confirm: Practice goes back to Start and what happened since leaves it."
    )
    refused = TimelineEvent.objects.filter(sandbox=world.sandbox).latest("id")
    assert (refused.action, refused.outcome) == ("restore_checkpoint", "refused")


def test_support_restores_with_the_right_and_a_reason_on_the_record(world, staff_user):
    checkpoint = save_checkpoint(actor=world.actor, sandbox=world.sandbox, name="Start")
    with pytest.raises(LifecycleError) as err:
        restore_checkpoint(actor=Actor.staff(staff_user), checkpoint=checkpoint)
    assert err.value.code == Code.REASON_REQUIRED
    with pytest.raises(LifecycleError) as err:
        restore_checkpoint(actor=Actor.staff(staff_user, reason="Asked"), checkpoint=checkpoint)
    assert err.value.code == Code.MISSING_RIGHT
    staff_user.user_permissions.add(Permission.objects.get(codename="restore_checkpoint"))
    staff_user = type(staff_user).objects.get(pk=staff_user.pk)  # permissions cached
    restored = restore_checkpoint(
        actor=Actor.staff(staff_user, reason="Trainee asked by phone"), checkpoint=checkpoint
    )
    event = TimelineEvent.objects.filter(sandbox=world.sandbox).latest("id")
    assert (event.action, event.actor_kind, event.params["reason"]) == (
        "restore_checkpoint",
        "staff",
        "Trainee asked by phone",
    )
    assert event.params["into"] == restored.pk


def test_past_the_limit_the_oldest_automatic_checkpoint_goes_first(world, settings):
    settings.REWIND_MAX_CHECKPOINTS = 2
    first = save_checkpoint(actor=world.actor, sandbox=world.sandbox, name="First")
    automatic = checkpoint_before(world.sandbox, "something")
    third = save_checkpoint(actor=world.actor, sandbox=world.sandbox, name="Third")
    assert set(Checkpoint.objects.filter(sandbox=world.sandbox)) == {first, third}
    dropped = TimelineEvent.objects.get(sandbox=world.sandbox, action="drop_checkpoint")
    assert dropped.params["checkpoint_id"] == automatic.pk
    save_checkpoint(actor=world.actor, sandbox=world.sandbox, name="Fourth")
    assert [c.name for c in Checkpoint.objects.filter(sandbox=world.sandbox)] == [
        "Fourth",
        "Third",
    ]
