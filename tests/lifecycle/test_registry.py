"""Each app registers its machines: a subject the simulator never had (a parcel, declared in the
throw-away app `tests/throwaway`) is applied, recorded, refused and protected by the core as it
is, with no edit to `lifecycle/core` nor to `lifecycle/transitions`."""

import pytest
from django.db import connection

from lifecycle import transitions as t
from lifecycle.core import Actor, apply, subject_of
from lifecycle.core.protection import ProtectedStateError
from lifecycle.errors import Code, LifecycleError
from lifecycle.models import Outcome, TimelineEvent
from lifecycle.transitions import PEOPLE, PREVIOUS, Rows, Transition, registry
from tests.throwaway import transitions as throwaway
from tests.throwaway.models import Parcel
from tests.throwaway.transitions import ParcelAction


@pytest.fixture
def parcel(world):
    with connection.schema_editor() as editor:  # rolled back with the test's transaction
        editor.create_model(Parcel)
    throwaway.register()
    try:
        yield Parcel.objects.create(account=world.account)
    finally:
        throwaway.unregister()
    assert "parcel" not in t.MACHINES and "send_parcel" not in t.BY_KEY


def _send(world, parcel: Parcel):
    rows = Rows(sandbox=world.sandbox, account=world.account, subject=parcel)
    return apply(throwaway.SEND_PARCEL, rows, actor=world.actor)


def test_a_machine_registered_by_another_app_is_part_of_the_declaration(world, parcel):
    assert t.MACHINES["parcel"] is throwaway.PARCEL
    assert t.BY_KEY["send_parcel"] is throwaway.SEND_PARCEL
    assert throwaway.SEND_PARCEL not in t.TRANSITIONS  # registered as offered elsewhere
    assert t.state_fields(Parcel) == ("state",)
    assert t.state_label("parcel", "sent") == "Sent"
    assert subject_of(parcel) == ("parcel", parcel.pk, f"Parcel #{parcel.pk}")


def test_the_core_applies_and_records_the_new_machine_with_its_own_kind_and_label(world, parcel):
    _send(world, parcel)

    parcel.refresh_from_db()
    assert parcel.state == throwaway.SENT
    event = TimelineEvent.objects.order_by("-id").first()
    assert (event.action, event.outcome, event.before, event.after) == (
        "send_parcel",
        Outcome.DONE,
        "packed",
        "sent",
    )
    assert (event.subject_type, event.subject_id, event.subject_label) == (
        "parcel",
        parcel.pk,
        f"Parcel #{parcel.pk}",
    )
    assert event.account == world.account and event.sandbox == world.sandbox


def test_a_refusal_of_the_new_machine_is_recorded_on_its_subject(world, parcel):
    _send(world, parcel)
    with pytest.raises(LifecycleError) as refused:
        _send(world, Parcel.objects.get(pk=parcel.pk))

    assert refused.value.code == Code.INVALID_STATE
    assert refused.value.message == "Send parcel is not possible from sent."
    event = TimelineEvent.objects.order_by("-id").first()
    assert (event.action, event.outcome, event.subject_type, event.subject_id) == (
        "send_parcel",
        Outcome.REFUSED,
        "parcel",
        parcel.pk,
    )


def test_the_new_machines_state_is_protected_once_registered(world, parcel):
    with pytest.raises(ProtectedStateError):
        Parcel.objects.filter(pk=parcel.pk).update(state=throwaway.SENT)


def test_a_trainee_of_another_sandbox_is_refused_by_the_same_core(world, parcel, other_trainee):
    rows = Rows(sandbox=world.sandbox, account=world.account, subject=parcel)
    with pytest.raises(LifecycleError) as refused:
        apply(throwaway.SEND_PARCEL, rows, actor=Actor.trainee(other_trainee))
    assert refused.value.code == Code.NOT_YOUR_SANDBOX


def test_a_transition_back_to_the_previous_state_must_say_how_to_read_it():
    back = Transition(ParcelAction.SEND_PARCEL, "parcel", (throwaway.SENT,), PREVIOUS, PEOPLE)
    with pytest.raises(ValueError, match="needs its target_of"):
        registry.register(other=(back,))
    assert "send_parcel" not in t.BY_KEY
