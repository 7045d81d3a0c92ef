"""What the pages say while a fault is being recovered from (issue 20, item 10): only what is
known. A build with no heartbeat for a while is not shown as running with a moving bar; a
message the broker lost is not told as a builder that stopped; a confirmation link past its
expiry (after a clock move, before the sweep) is shown as lapsing, not as still to confirm."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from lifecycle.conf import setting
from lifecycle.models import ExportJob
from lifecycle.services import (
    Actor,
    advance_clock,
    export_progress,
    request_deletion,
    request_export,
    resend_export,
    start_export,
)
from tests.rulebook import rule
from tests.web import url

from .jobs_helpers import SWEEP, ready_for_deletion, small_account

pytestmark = pytest.mark.usefixtures("own_media")
PASSWORD = "correct-horse-9"


@pytest.fixture
def account(trainee):
    return small_account(trainee)


def silent_for(job: ExportJob, seconds: int) -> None:
    ExportJob.objects.filter(pk=job.pk).update(
        heartbeat=timezone.now() - timedelta(seconds=seconds)
    )


def row(signed_in, account, job) -> str:
    page = signed_in.get(url("exports", account.sandbox)).content.decode()
    found = re.search(rf'<li[^>]*id="export-{job.pk}".*?</li>', page, re.S)
    assert found, page
    polled = signed_in.get(url("export_job", account.sandbox, job.pk)).content.decode()
    assert re.sub(r"\d+ s", "", found[0]) in re.sub(r"\d+ s", "", polled)  # the poll says the same
    return found[0]


def test_a_build_that_went_silent_says_so_without_a_moving_bar(signed_in, account, as_trainee):
    job = request_export(actor=as_trainee, account=account)
    start_export(export=job.pk)
    export_progress(export=job.pk, progress=40)
    shown = row(signed_in, account, job)
    assert "progress-bar-animated" in shown and ">Running<" in shown
    assert "No progress" not in shown

    silent_for(job, 30)
    shown = row(signed_in, account, job)
    assert "progress-bar-animated" not in shown and ">Running<" not in shown
    assert re.search(r"No progress for (3[0-9]) s: its worker may have stopped", shown), shown
    assert "If it stays silent, it will be sent again by itself." in shown
    assert "40%" in shown  # where it stopped, not moving


def test_a_queued_export_no_worker_took_says_it_waits(signed_in, account, as_trainee):
    job = request_export(actor=as_trainee, account=account)
    silent_for(job, 25)
    shown = row(signed_in, account, job)
    assert re.search(r"Waiting for a worker for 2[5-9] s\.", shown), shown
    assert "progress-bar-animated" not in shown


def test_a_resend_after_a_lost_message_does_not_say_the_builder_stopped(
    signed_in, account, as_trainee
):
    """After a broker restart no builder had started: it was the message that was lost."""
    job = request_export(actor=as_trainee, account=account)
    silent_for(job, int(setting("EXPORT_RECOVER_AFTER").total_seconds()) + 1)
    resend_export(actor=SWEEP, export=job.pk)
    shown = row(signed_in, account, job)
    assert "No worker took it up (the broker lost its message), so it was sent again" in shown
    assert "stopped" not in shown


def test_a_resend_after_a_worker_died_says_the_builder_stopped(signed_in, account, as_trainee):
    job = request_export(actor=as_trainee, account=account)
    start_export(export=job.pk)
    silent_for(job, int(setting("EXPORT_RECOVER_AFTER").total_seconds()) + 1)
    resend_export(actor=SWEEP, export=job.pk)
    shown = row(signed_in, account, job)
    assert "The background job building it stopped, so it was sent again (1 of 3)" in shown


def test_at_the_last_resend_the_page_says_it_fails_next_instead(signed_in, account, as_trainee):
    job = request_export(actor=as_trainee, account=account)
    start_export(export=job.pk)
    ExportJob.objects.filter(pk=job.pk).update(resends=setting("EXPORT_MAX_RESENDS"))
    silent_for(job, 30)
    shown = row(signed_in, account, job)
    assert "If it stays silent, it is marked failed by itself, with Retry." in shown


@pytest.mark.django_db(transaction=True)  # the confirmation email is queued after the commit
def test_a_link_past_its_expiry_shows_the_lapse_as_due(signed_in, trainee):
    account = ready_for_deletion(small_account(trainee))
    actor = Actor.trainee(trainee)
    deletion = request_deletion(actor=actor, account=account, password=PASSWORD, acknowledged=True)
    valid_for = rule("DELETION_LINK_VALID_FOR")
    dashboard = signed_in.get(url("dashboard", account.sandbox)).content.decode()
    assert "Confirm it with the link" in dashboard and "lapsing" not in dashboard

    advance_clock(actor=actor, sandbox=account.sandbox, by=valid_for + timedelta(days=29))
    deletion.refresh_from_db()
    assert deletion.status == "pending"  # the sweep has not run yet
    dashboard = signed_in.get(url("dashboard", account.sandbox)).content.decode()
    assert "Confirm it with the link" not in dashboard
    assert "Deletion request lapsing." in dashboard
    assert "so the request lapses at the next sweep and nothing is deleted" in dashboard
    requested = signed_in.get(url("close_requested", account.sandbox)).content.decode()
    assert "The confirmation link expired" in requested and "works once and until" not in requested
