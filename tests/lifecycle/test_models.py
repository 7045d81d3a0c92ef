"""The timeline is append-only; job rows describe themselves."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import models as django_models
from django.utils import timezone

from accounts.models import AppAuthorization, ConnectedApp, Sandbox
from lifecycle.actions import _LABELS, UnknownAction, register
from lifecycle.core import record, subject_of
from lifecycle.models import (
    DeletionRequest,
    ExportJob,
    InboxMessage,
    TimelineEvent,
)
from lifecycle.services import Actor
from lifecycle.transitions import Action
from tests.shops.factories import OrderFactory

from .helpers import last_event, request


def test_events_cannot_be_edited_or_deleted(world):
    event = last_event(world.sandbox)
    assert str(event) == f"Grant app access Seller account #{world.account.pk} (done)"
    event.message = "rewritten"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        TimelineEvent.objects.filter(pk=event.pk).update(action="link_shop")
    # Only the scrub of finalization may touch an event, and only its parameters.
    TimelineEvent.objects.filter(pk=event.pk).update(params={}, scrubbed=True)
    event.refresh_from_db()
    assert event.scrubbed and event.message == ""


def test_event_subjects_never_carry_personal_details(world):
    grant = AppAuthorization.objects.get(
        account=world.account, app=ConnectedApp.TIKTOK_FOR_BUSINESS
    )
    order = OrderFactory(account=world.account, shop=world.shop)
    assert subject_of(world.account) == (
        "account",
        world.account.pk,
        f"Seller account #{world.account.pk}",
    )
    assert subject_of(world.account, "account_type")[0] == "account_type"
    assert subject_of(grant) == ("app", grant.pk, "TikTok for Business")
    assert subject_of(world.sandbox) == ("sandbox", world.sandbox.pk, "Sandbox Practice")
    assert subject_of(order) == ("order", order.pk, f"Order #{order.number}")


def test_record_stamps_sandbox_time_and_who_acted(world):
    event = record(
        actor=Actor.job("mailer"),
        action=Action.SEND_EMAIL,
        subject=world.sandbox,
        sandbox=world.sandbox,
        before="",
        after="",
    )
    assert event.actor is None and event.actor_label == "job: mailer"
    assert event.sandbox_time >= world.sandbox.now() - timezone.timedelta(seconds=5)


def test_rows_describe_themselves(world):
    deletion: DeletionRequest = request(world)
    assert str(deletion) == f"Deletion request #{deletion.pk} (pending)"
    export = ExportJob.objects.create(account=world.account, requested_at=world.sandbox.now())
    assert str(export) == f"Export #{export.number} (queued)"
    message = InboxMessage.objects.create(
        sandbox=world.sandbox,
        kind="note",
        to="x@example.com",
        subject="Hello",
        body="",
        sent_at=world.sandbox.now(),
        dedupe_key="hello",
    )
    assert str(message) == "Hello"


# --- Timeline actions come from a registry (issue 19, item 4) ----------------------------------


def test_an_unknown_action_is_refused_when_its_event_is_written(trainee):
    sandbox = Sandbox.objects.create(owner=trainee, name="Registry")
    assert TimelineEvent._meta.get_field("action").choices is None
    with pytest.raises(UnknownAction, match="'made_up' is not a timeline action"):
        record(
            actor=Actor.trainee(trainee),
            action="made_up",
            subject=sandbox,
            before="0",
            after="0",
            sandbox=sandbox,
        )
    event = TimelineEvent(sandbox=sandbox, sandbox_time=sandbox.now(), action="made_up")
    with pytest.raises(UnknownAction):
        TimelineEvent.objects.bulk_create([event])
    assert not TimelineEvent.objects.filter(sandbox=sandbox).exists()


def test_a_newly_registered_vocabulary_needs_no_migration(trainee):
    class Extra(django_models.TextChoices):
        WAVE = "wave_for_test", "Wave (a test's action)"

    sandbox = Sandbox.objects.create(owner=trainee, name="Registry")
    register(Extra)
    try:
        event = record(
            actor=Actor.trainee(trainee),
            action=Extra.WAVE,
            subject=sandbox,
            before="0",
            after="0",
            sandbox=sandbox,
        )
        assert event.get_action_display() == "Wave (a test's action)"

        class Clash(django_models.TextChoices):
            WAVE = "wave_for_test", "Another label"

        with pytest.raises(ImproperlyConfigured, match="registered twice"):
            register(Clash)
    finally:
        _LABELS.pop(Extra.WAVE)
