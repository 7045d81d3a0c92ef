"""A restore holds exactly what the sandbox held at its checkpoint, table by table, and shares
nothing with the original: not a row, not a file, not a link."""

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.urls import resolve

from accounts.models import Sandbox
from lifecycle.demo import build_demo_sandbox
from lifecycle.models import DeletionRequest, ExportJob, InboxMessage, TimelineEvent
from lifecycle.services import Actor, advance_clock, cancel_deletion, run_due_work
from lifecycle.services.deletion.confirmation import _load_token
from rewind.actions import RewindAction
from rewind.owned import held_labels
from rewind.requeue import owed
from rewind.services import restore_checkpoint, save_checkpoint
from shops.models import Order, OrderStatus
from shops.services import ship_order

from .helpers import assert_same_tables, tables


def _without_restore_event(dump: dict, action: str) -> dict:
    events = dump["lifecycle.timelineevent"]
    assert [e["action"] for e in events].count(action) == 1
    return {**dump, "lifecycle.timelineevent": [e for e in events if e["action"] != action]}


@pytest.fixture
def demo(trainee) -> Sandbox:
    return build_demo_sandbox(owner=trainee, name="Demo copy")  # the demo's own sizes


def test_the_demo_restored_into_a_new_sandbox_equals_it_at_the_checkpoint(demo, trainee):
    actor = Actor.trainee(trainee)
    at_checkpoint = tables(demo.pk)
    checkpoint = save_checkpoint(actor=actor, sandbox=demo, name="Before shipping")
    # The original goes on after the checkpoint.
    order = Order.objects.filter(account__sandbox=demo, status=OrderStatus.AWAITING_SHIPMENT)[0]
    ship_order(actor=actor, order=order, tracking_number="TRACK-1")
    advance_clock(actor=actor, sandbox=demo, by=timedelta(days=3))

    restored = restore_checkpoint(actor=actor, checkpoint=checkpoint)

    assert restored.pk != demo.pk and restored.owner == trainee
    assert restored.clock_offset == checkpoint.clock_offset == timedelta(0)
    after = _without_restore_event(tables(restored.pk), RewindAction.RESTORED_FROM)
    assert_same_tables(at_checkpoint, after)
    for label in ("shops.order", "shops.orderline", "shops.campaign", "lifecycle.timelineevent"):
        assert at_checkpoint[label], label  # the demo's tables are not empty ones
    # Nothing of the demo's is among the restored rows.
    for label, held in held_labels().items():
        ids = set(held.rows_of(restored.pk).values_list("pk", flat=True))
        assert not ids & set(held.rows_of(demo.pk).values_list("pk", flat=True)), label


def _grace_checks(world, restored: Sandbox) -> None:
    """The restored sandbox's links, files and events name its own rows."""
    export = ExportJob.objects.get(account__sandbox=restored)
    original_export = ExportJob.objects.get(account=world.account)
    assert export.file.name != original_export.file.name
    with export.file.open() as copy, default_storage.open(original_export.file.name) as first:
        assert copy.read() == first.read()
    ready = InboxMessage.objects.get(sandbox=restored, kind="export_ready")
    found = resolve(ready.links[0]["url"])
    assert found.kwargs == {"sandbox_id": restored.pk, "export_id": export.pk}
    assert ready.dedupe_key == f"export-{export.pk}-ready"
    request = DeletionRequest.objects.get(account__sandbox=restored)
    confirmation = InboxMessage.objects.get(sandbox=restored, kind="deletion_confirmation")
    token = resolve(confirmation.links[0]["url"]).kwargs["token"]
    assert _load_token(token) == (request.pk, request.nonce)
    restored_ids = {
        "account": set(restored.accounts.values_list("pk", flat=True)),
        "export": {export.pk},
        "shop": set(restored.shops.values_list("pk", flat=True)),
    }
    for event in TimelineEvent.objects.filter(sandbox=restored, subject_type__in=restored_ids):
        assert event.subject_id in restored_ids[event.subject_type], event
    for event in TimelineEvent.objects.filter(sandbox=restored, params__has_key="request_id"):
        assert event.params["request_id"] == request.pk


def test_a_sandbox_in_its_deletion_grace_with_an_export_ready_restores_in_place(grace, trainee):
    actor = Actor.trainee(trainee)
    at_checkpoint = tables(grace.sandbox.pk)
    checkpoint = save_checkpoint(actor=actor, sandbox=grace.sandbox, name="In the grace period")
    advance_clock(actor=actor, sandbox=grace.sandbox, by=timedelta(days=31))
    run_due_work(sandbox=grace.sandbox)  # the deletion is finalized: the point of no return
    grace.account.refresh_from_db()
    assert grace.account.is_deleted

    restored = restore_checkpoint(
        actor=actor, checkpoint=checkpoint.pk, in_place=True, confirmed=True
    )

    assert restored.pk == grace.sandbox.pk
    assert restored.clock_offset == checkpoint.clock_offset
    after = _without_restore_event(tables(restored.pk), RewindAction.RESTORE_CHECKPOINT)
    assert_same_tables(at_checkpoint, after)
    # What the sandbox held until the restore is kept, with its timeline, out of sight.
    moved = Sandbox.objects.get(pk=after_restore_event(restored).params["moved_to"])
    assert moved.removed_at is not None and moved.owner == trainee
    assert moved.accounts.get().is_deleted
    assert moved.events.filter(action="finalize_deletion").exists()
    # The deleted account's export file went with its finalization; the restored one has its own.
    export = ExportJob.objects.get(account__sandbox=restored)
    assert export.status == "ready" and default_storage.exists(export.file.name)
    restored_account = restored.accounts.get()
    assert restored_account.status == "deletion_scheduled"


def after_restore_event(sandbox: Sandbox) -> TimelineEvent:
    return TimelineEvent.objects.filter(
        sandbox=sandbox, action=RewindAction.RESTORE_CHECKPOINT
    ).latest("id")


def test_a_new_sandbox_restored_from_the_grace_period_names_only_its_own_rows(grace, trainee):
    checkpoint = save_checkpoint(actor=grace.actor, sandbox=grace.sandbox, name="Grace")
    restored = restore_checkpoint(actor=grace.actor, checkpoint=checkpoint)
    _grace_checks(grace, restored)


def test_actions_in_the_restored_sandbox_leave_the_original_alone_and_the_reverse(grace, trainee):
    checkpoint = save_checkpoint(actor=grace.actor, sandbox=grace.sandbox, name="Grace")
    restored = restore_checkpoint(actor=grace.actor, checkpoint=checkpoint)
    original_now, restored_now = tables(grace.sandbox.pk), tables(restored.pk)

    cancel_deletion(actor=grace.actor, account=restored.accounts.get())
    advance_clock(actor=grace.actor, sandbox=restored, by=timedelta(days=2))
    assert_same_tables(original_now, tables(grace.sandbox.pk))
    grace.sandbox.refresh_from_db()
    assert grace.sandbox.clock_offset == checkpoint.clock_offset

    restored_now = tables(restored.pk)
    advance_clock(actor=grace.actor, sandbox=grace.sandbox, by=timedelta(days=31))
    run_due_work(sandbox=grace.sandbox)
    assert_same_tables(restored_now, tables(restored.pk))
    assert restored.accounts.get().status == "active"


def test_jobs_owed_at_the_checkpoint_are_queued_again(trainee, monkeypatch):
    from lifecycle.services import request_export
    from tests.lifecycle.helpers import REQUESTED, build_world, drive_to

    world = drive_to(build_world(trainee), REQUESTED)
    export = request_export(actor=world.actor, account=world.account)  # queued, never built
    DeletionRequest.objects.filter(account=world.account).update(confirmation_sent_at=None)
    checkpoint = save_checkpoint(actor=world.actor, sandbox=world.sandbox, name="Queued")
    sent = []
    monkeypatch.setattr("rewind.requeue.dispatch_export", lambda pk: sent.append(("export", pk)))
    monkeypatch.setattr("rewind.requeue.enqueue", lambda job, *args: sent.append((job, args)))

    restored = restore_checkpoint(actor=world.actor, checkpoint=checkpoint)

    copy = ExportJob.objects.get(account__sandbox=restored)
    request = DeletionRequest.objects.get(account__sandbox=restored)
    assert copy.pk != export.pk and copy.status == "queued"
    assert ("export", copy.pk) in sent
    assert ("send_deletion_confirmation_task", (request.pk,)) in sent
    assert len(owed(restored)) == len(owed(world.sandbox)) == 2


def test_a_finalization_takes_an_automatic_checkpoint_first(grace):
    from rewind.models import Checkpoint, CheckpointKind

    advance_clock(actor=grace.actor, sandbox=grace.sandbox, by=timedelta(days=31))
    run_due_work(sandbox=grace.sandbox)
    automatic = Checkpoint.objects.get(sandbox=grace.sandbox, kind=CheckpointKind.AUTOMATIC)
    assert automatic.name == "Before Mira Pottery is deleted for good"
    restored = restore_checkpoint(actor=grace.actor, checkpoint=automatic)
    account = restored.accounts.get()
    assert account.status == "deletion_scheduled" and account.display_name == "Mira Pottery"
    assert restored.shops.get(name=grace.shop.name).products.exists()
