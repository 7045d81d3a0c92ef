"""Exports that stall recover by themselves (issue 13, item 4): the sweep sends a build again
whose worker went silent or whose message the broker lost, a limited number of times, then gives
up on it visibly (failed, with a reason, an email and Retry). A delivery that finds a live
builder does nothing; a builder whose export was taken over stops and offers nothing.

The real worker and broker faults are in test_recovery.py; these drive the same services with
the heartbeat moved back in time.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import SellerAccount
from lifecycle.conf import setting
from lifecycle.errors import Code, LifecycleError
from lifecycle.exporting import build_export
from lifecycle.models import ExportJob, ExportStatus, InboxMessage, Outcome, TimelineEvent
from lifecycle.narration import tell
from lifecycle.services import (
    Actor,
    export_progress,
    fail_export,
    give_up_export,
    mark_export_ready,
    request_export,
    resend_export,
    retry_export,
    start_export,
    sweep_sandbox,
)
from lifecycle.services.exports import gave_up_reason
from lifecycle.transitions import Action

from .jobs_helpers import SWEEP, small_account

BUILDER = Actor.job("export")
pytestmark = pytest.mark.usefixtures("own_media")


@pytest.fixture
def account(trainee) -> SellerAccount:
    return small_account(trainee)


def silence(job: ExportJob) -> None:
    """Its builder (or its message) gave no sign of life for longer than the sweep tolerates."""
    silent = timezone.now() - setting("EXPORT_RECOVER_AFTER") - timedelta(seconds=1)
    ExportJob.objects.filter(pk=job.pk).update(heartbeat=silent)


def export_events(account) -> list[tuple[str, str, str, str]]:
    events = TimelineEvent.objects.filter(account=account, subject_type="export").order_by("id")
    return list(events.values_list("action", "outcome", "before", "after"))


def refused(code: Code, call) -> LifecycleError:
    with pytest.raises(LifecycleError) as err:
        call()
    assert err.value.code == code, err.value.message
    return err.value


# --- a live builder is left alone; a silent one is taken over ----------------------------------


def test_a_second_delivery_leaves_a_live_builder_alone_and_takes_a_silent_one_over(
    account, as_trainee
):
    job = request_export(actor=as_trainee, account=account)
    assert start_export(export=job.pk).status == ExportStatus.RUNNING
    assert start_export(export=job.pk) is None  # a live worker has it: this delivery drops
    assert ExportJob.objects.get(pk=job.pk).attempts == 1
    silence(job)
    assert start_export(export=job.pk).attempts == 2  # its worker died: taken over
    assert start_export(export=0) is None  # gone (its account was deleted)


def test_the_build_task_finishes_at_once_when_a_live_builder_has_the_export(account, as_trainee):
    from lifecycle.tasks import build_export_task

    job = request_export(actor=as_trainee, account=account)
    start_export(export=job.pk)  # a builder is on it
    result = build_export_task.apply(args=[job.pk])  # no retries left to run out
    assert result.successful() and result.result is None
    job.refresh_from_db()
    assert (job.status, job.attempts) == (ExportStatus.RUNNING, 1)


def test_a_builder_whose_export_was_taken_over_stops_and_offers_nothing(account, as_trainee):
    job = request_export(actor=as_trainee, account=account)
    first = start_export(export=job.pk)
    silence(job)
    second = start_export(export=job.pk)  # the first builder was thought dead
    assert export_progress(export=first, progress=50) is False  # the first one stops
    assert export_progress(export=second, progress=50) is True
    offer = {"file_name": "x.zip", "size_bytes": 1, "manifest": {}}
    assert mark_export_ready(actor=BUILDER, export=first, **offer) is None
    assert fail_export(actor=BUILDER, export=first, reason="Disk full.").status == "running"
    job.refresh_from_db()
    assert (job.status, job.attempts, job.failure_reason) == (ExportStatus.RUNNING, 2, "")
    assert not InboxMessage.objects.filter(kind="export_failed").exists()


# --- the sweep sends a stalled export again, then gives up on it -------------------------------


def test_a_dead_build_is_sent_again_by_the_sweep_then_given_up_on_with_retry(
    account, as_trainee, queue, django_capture_on_commit_callbacks
):
    limit = setting("EXPORT_MAX_RESENDS")
    job = request_export(actor=as_trainee, account=account)
    start_export(export=job)
    assert sweep_sandbox(sandbox=account.sandbox) == []  # its heartbeat is fresh
    for resent in range(1, limit + 1):
        silence(job)  # its worker died
        with django_capture_on_commit_callbacks(execute=True):
            assert sweep_sandbox(sandbox=account.sandbox) == [f"queued again export {job.pk}"]
        job.refresh_from_db()
        assert (job.status, job.progress, job.resends) == (ExportStatus.QUEUED, 0, resent)
        assert start_export(export=job).attempts == resent + 1  # the new message arrived
    assert queue.names() == ["build_export_task"] * limit

    silence(job)  # and died again: the resends ran out
    assert sweep_sandbox(sandbox=account.sandbox) == [f"gave up on export {job.pk}"]
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED
    assert job.failure_reason == (
        f"Its build was started {limit + 1} times and each time its worker stopped."
    )
    assert InboxMessage.objects.filter(kind="export_failed").count() == 1
    resent = [Action.RESEND_EXPORT, Outcome.DONE, ExportStatus.RUNNING, ExportStatus.QUEUED]
    assert export_events(account) == [
        (Action.REQUEST_EXPORT, Outcome.DONE, "new", ExportStatus.QUEUED),
        *[tuple(resent)] * limit,
        (Action.EXPORT_FAILED, Outcome.DONE, ExportStatus.RUNNING, ExportStatus.FAILED),
        (Action.SEND_EMAIL, Outcome.DONE, "", "sent"),  # the failure notice, with Retry
    ]
    event = TimelineEvent.objects.filter(action=Action.RESEND_EXPORT).latest("id")
    assert event.params == {"resends": limit, "cause": "worker"}
    assert "its worker stopped" in event.message and event.actor_label == "job: sweep"
    # Its cause is a word, not a cascade's {action, event}: the timeline still tells it.
    assert not any(line.startswith("caused by") for line in tell(event).effects)

    retry_export(actor=as_trainee, export=job)  # what the failed export's Retry button does
    assert ExportJob.objects.get(pk=job.pk).resends == 0
    assert build_export(job.pk).status == ExportStatus.READY


def test_a_lost_message_is_sent_again_then_the_export_is_given_up_on(
    account, as_trainee, queue, django_capture_on_commit_callbacks
):
    limit = setting("EXPORT_MAX_RESENDS")
    job = request_export(actor=as_trainee, account=account)  # nothing takes it: lost
    assert sweep_sandbox(sandbox=account.sandbox) == []  # handed over just now: in line
    for resent in range(1, limit + 1):
        silence(job)
        with django_capture_on_commit_callbacks(execute=True):
            assert sweep_sandbox(sandbox=account.sandbox) == [f"queued again export {job.pk}"]
        assert ExportJob.objects.get(pk=job.pk).resends == resent
    event = TimelineEvent.objects.filter(action=Action.RESEND_EXPORT).latest("id")
    assert (event.before, event.after, event.params["cause"]) == ("queued", "queued", "message")
    assert "the broker lost its message" in event.message
    silence(job)
    assert sweep_sandbox(sandbox=account.sandbox) == [f"gave up on export {job.pk}"]
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED
    assert job.failure_reason == (
        f"It was sent to the background jobs {limit + 1} times and no worker took it up."
    )


def test_a_queued_export_still_waiting_in_the_broker_s_queue_is_left_in_line(
    account, as_trainee, monkeypatch
):
    from lifecycle.services import due

    job = request_export(actor=as_trainee, account=account)
    silence(job)  # long ago, but its message is still there, behind other jobs
    monkeypatch.setattr(due, "waiting_in_broker", lambda job_name: {repr((job.pk,))})
    assert sweep_sandbox(sandbox=account.sandbox) == []
    # A broker that cannot be looked into (not Redis): lost only after EXPORT_STUCK_AFTER.
    monkeypatch.setattr(due, "waiting_in_broker", lambda job_name: None)
    assert sweep_sandbox(sandbox=account.sandbox) == []
    stuck = timezone.now() - setting("EXPORT_STUCK_AFTER") - timedelta(seconds=1)
    ExportJob.objects.filter(pk=job.pk).update(heartbeat=stuck)
    assert sweep_sandbox(sandbox=account.sandbox) == [f"queued again export {job.pk}"]


def test_a_resend_the_broker_refuses_does_not_count(
    account, as_trainee, queue, django_capture_on_commit_callbacks
):
    job = request_export(actor=as_trainee, account=account)
    silence(job)
    queue.up = False
    with django_capture_on_commit_callbacks(execute=True):
        sweep_sandbox(sandbox=account.sandbox)
    job.refresh_from_db()
    assert (job.status, job.heartbeat, job.resends) == (ExportStatus.QUEUED, None, 0)
    queue.up = True  # back: the next sweep sends it, as a first send
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_sandbox(sandbox=account.sandbox) == [f"queued again export {job.pk}"]
    assert queue.names() == ["build_export_task"]
    assert ExportJob.objects.get(pk=job.pk).resends == 0


# --- the declared guards, refused with their messages ------------------------------------------


def test_resend_is_refused_while_the_builder_is_alive_and_once_the_resends_ran_out(
    account, as_trainee
):
    job = request_export(actor=as_trainee, account=account)
    start_export(export=job)
    err = refused(Code.NOT_DUE, lambda: resend_export(actor=SWEEP, export=job))
    seconds = int(setting("EXPORT_RECOVER_AFTER").total_seconds())
    assert err.message == (
        f"Export #{job.number} is being built less than {seconds} seconds ago: it is not stalled."
    )
    limit = setting("EXPORT_MAX_RESENDS")
    ExportJob.objects.filter(pk=job.pk).update(resends=limit)
    silence(job)
    err = refused(Code.EXPORT_RESENDS_USED_UP, lambda: resend_export(actor=SWEEP, export=job))
    assert err.message == (
        f"Export #{job.number} was sent again {limit} times already: it is given up on instead."
    )
    refused(Code.NOT_ALLOWED_FOR_ACTOR, lambda: resend_export(actor=as_trainee, export=job))
    assert ExportJob.objects.get(pk=job.pk).status == ExportStatus.RUNNING
    refusals = TimelineEvent.objects.filter(account=account, outcome=Outcome.REFUSED).order_by("id")
    assert list(refusals.values_list("action", "code")) == [
        (Action.RESEND_EXPORT, Code.NOT_DUE),
        (Action.RESEND_EXPORT, Code.EXPORT_RESENDS_USED_UP),
        (Action.RESEND_EXPORT, Code.NOT_ALLOWED_FOR_ACTOR),
    ]


def test_give_up_is_refused_while_resends_are_left_or_the_builder_is_alive(account, as_trainee):
    job = request_export(actor=as_trainee, account=account)
    start_export(export=job)
    limit = setting("EXPORT_MAX_RESENDS")
    ExportJob.objects.filter(pk=job.pk).update(resends=limit)
    refused(Code.NOT_DUE, lambda: give_up_export(actor=SWEEP, export=job))  # alive
    ExportJob.objects.filter(pk=job.pk).update(resends=limit - 1)
    silence(job)
    err = refused(Code.NOT_DUE, lambda: give_up_export(actor=SWEEP, export=job))
    assert err.message == (
        f"Export #{job.number} can still be sent again ({limit - 1} of {limit} resends used)."
    )
    ExportJob.objects.filter(pk=job.pk).update(resends=limit)
    given_up = give_up_export(actor=SWEEP, export=job)
    assert (given_up.status, given_up.failure_reason) == (
        ExportStatus.FAILED,
        gave_up_reason(ExportJob(status=ExportStatus.RUNNING)),
    )
    count = TimelineEvent.objects.count()
    assert give_up_export(actor=SWEEP, export=job).status == ExportStatus.FAILED  # once
    assert TimelineEvent.objects.count() == count


def test_the_broker_is_looked_into_only_for_an_export_handed_over_long_ago(
    account, as_trainee, monkeypatch
):
    from lifecycle.services import due

    looked = []
    monkeypatch.setattr(due, "waiting_in_broker", lambda job_name: looked.append(job_name))
    job = request_export(actor=as_trainee, account=account)
    assert sweep_sandbox(sandbox=account.sandbox) == [] and looked == []  # handed over just now
    silence(job)
    sweep_sandbox(sandbox=account.sandbox)
    assert looked == ["build_export_task"]
