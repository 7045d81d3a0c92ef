"""Running what became due on a sandbox clock."""

from datetime import timedelta

from lifecycle.errors import Code, LifecycleError
from lifecycle.services import advance_clock, cancel_deletion
from lifecycle.services import due as due_module
from lifecycle.services.due import run_due_work
from tests.rulebook import rule

from .helpers import SCHEDULED, build_world, drive_to, past, request


def test_nothing_due_does_nothing(world):
    assert run_due_work(sandbox=world.sandbox.pk) == []


def test_due_work_of_one_sandbox_leaves_the_others_alone(world, trainee):
    other = build_world(trainee, name="Other")
    drive_to(other, SCHEDULED)
    drive_to(world, SCHEDULED)
    advance_clock(actor=world.actor, sandbox=world.sandbox, by=past(rule("DELETION_GRACE")))
    assert run_due_work(sandbox=world.sandbox) == [f"finalized account {world.account.pk}"]
    assert other.refresh().account.status == "deletion_scheduled"


def test_work_that_changed_since_it_was_listed_is_skipped(world, monkeypatch):
    """A sweep racing another sweep (or a cancel) finds the work refused and moves on."""
    deletion = request(world)
    advance_clock(
        actor=world.actor, sandbox=world.sandbox, by=past(rule("DELETION_LINK_VALID_FOR"))
    )

    def refuse(**kwargs):
        raise LifecycleError(Code.REQUEST_CLOSED, "Changed meanwhile.")

    monkeypatch.setattr(due_module, "lapse_deletion", refuse)
    monkeypatch.setattr(due_module, "finalize_deletion", refuse)
    assert run_due_work(sandbox=world.sandbox) == []
    deletion.refresh_from_db()
    assert deletion.status == "pending"


def test_a_finalization_refused_at_the_last_moment_is_skipped(world, monkeypatch):
    drive_to(world, SCHEDULED)
    advance_clock(actor=world.actor, sandbox=world.sandbox, by=past(rule("DELETION_GRACE")))

    def refuse(**kwargs):
        raise LifecycleError(Code.INVALID_STATE, "Changed meanwhile.")

    monkeypatch.setattr(due_module, "finalize_deletion", refuse)
    assert run_due_work(sandbox=world.sandbox) == []
    assert world.refresh().account.status == "deletion_scheduled"


def test_a_cancelled_request_is_not_lapsed(world):
    request(world)
    cancel_deletion(actor=world.actor, account=world.account)
    advance_clock(actor=world.actor, sandbox=world.sandbox, by=timedelta(days=2))
    assert run_due_work(sandbox=world.sandbox) == []
