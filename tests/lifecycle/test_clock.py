"""The sandbox clock (RULEBOOK §7): forward only, and to the next scheduled event."""

from datetime import timedelta

import pytest

from lifecycle.errors import Code, LifecycleError
from lifecycle.models import ExportJob, ExportStatus
from lifecycle.services import Actor, advance_clock, run_due_work, scheduled_events
from lifecycle.transitions import Action
from tests.engine_guard import arranging
from tests.rulebook import rule

from .helpers import SCHEDULED, assert_refused, drive_to, events, last_event, request, snapshot

HOUR = timedelta(hours=1)


def refused(world, code, **kwargs):
    before, count = snapshot(world), len(events(world.sandbox))
    with pytest.raises(LifecycleError) as err:
        advance_clock(actor=world.actor, sandbox=world.sandbox, **kwargs)
    assert_refused(err, code, world, before, action=Action.ADVANCE_CLOCK, count=count)


def test_advancing_moves_the_sandbox_time_and_records_from_where_to_where(world):
    offset, then = world.sandbox.clock_offset, world.sandbox.now()
    advance_clock(actor=world.actor, sandbox=world.sandbox.pk, by=timedelta(days=7))
    world.refresh()
    assert world.sandbox.clock_offset == offset + timedelta(days=7)
    assert world.sandbox.now() - then >= timedelta(days=7)
    event = last_event(world.sandbox)
    assert (event.before, event.after) == (str(offset), str(world.sandbox.clock_offset))
    assert event.params["by_seconds"] == 7 * 24 * 3600
    assert event.sandbox_time >= then + timedelta(days=7)


@pytest.mark.parametrize("by", [timedelta(0), -HOUR, None])
def test_the_clock_never_moves_back_or_stands_still(world, by):
    refused(world, Code.CLOCK_BACKWARDS, by=by)


def test_with_nothing_scheduled_there_is_no_next_event(world):
    assert scheduled_events(world.sandbox) == []
    refused(world, Code.NOTHING_SCHEDULED, to_next=True)


def test_to_next_jumps_just_past_the_deletion_links_expiry(world):
    deletion = request(world)
    advance_clock(actor=world.actor, sandbox=world.sandbox, to_next=True)
    world.refresh()
    assert deletion.link_expires_at < world.sandbox.now() < deletion.link_expires_at + HOUR
    assert run_due_work(sandbox=world.sandbox) == [f"lapsed deletion request {deletion.pk}"]


def test_scheduled_events_list_the_deletion_its_reminders_and_export_expiry(world):
    drive_to(world, SCHEDULED)
    deletion = world.latest_request()
    now = world.sandbox.now()
    with arranging():  # set-up: a ready export, without running the builder
        export = ExportJob.objects.create(
            account=world.account,
            status=ExportStatus.READY,
            requested_at=now,
            ready_at=now,
            expires_at=now + rule("EXPORT_LINK_VALID_FOR"),
        )
    upcoming = scheduled_events(world.sandbox)
    assert [when for when, _ in upcoming] == sorted(
        [
            deletion.scheduled_for,
            deletion.scheduled_for - timedelta(days=7),
            deletion.scheduled_for - timedelta(days=1),
            export.expires_at,
        ]
    )
    assert upcoming[0][1] == f"export #{export.number} expires"
    assert upcoming[-1][1] == "the account is deleted for good"
    # Passed events drop out.
    advance_clock(actor=world.actor, sandbox=world.sandbox, by=timedelta(days=24))
    assert len(scheduled_events(world.refresh().sandbox)) == 2


def test_staff_and_jobs_can_move_any_sandbox_clock(world, staff_user):
    advance_clock(
        actor=Actor.staff(staff_user, reason="A trainee asked"), sandbox=world.sandbox, by=HOUR
    )
    advance_clock(actor=Actor.job("demo"), sandbox=world.sandbox, by=HOUR)
    assert [e.actor_label for e in events(world.sandbox, action=Action.ADVANCE_CLOCK)][-2:] == [
        "agent",
        "job: demo",
    ]
