"""Jobs that run late or leave files behind: a confirmation email after its link expired, the
export files of a demo sandbox that is reset, a build whose export was removed meanwhile."""

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage

from lifecycle import exporting
from lifecycle.demo import build_demo_sandbox
from lifecycle.exporting import build_export
from lifecycle.models import DeletionStatus, ExportJob, InboxMessage
from lifecycle.services import (
    Actor,
    advance_clock,
    request_export,
    reset_demo_sandbox,
    send_deletion_confirmation,
    sweep_sandbox,
)
from tests.rulebook import rule

from .helpers import build_world, past, request

pytestmark = pytest.mark.usefixtures("own_media")
MAILER = Actor.job("deletion email")


def test_a_confirmation_whose_job_runs_after_the_link_expired_is_not_sent(trainee, queue):
    world = build_world(trainee)
    deletion = request(world)  # the job is queued, and runs only after the clock moved on
    advance_clock(
        actor=world.actor, sandbox=world.sandbox, by=past(rule("DELETION_LINK_VALID_FOR"))
    )

    assert send_deletion_confirmation(actor=MAILER, request=deletion.pk) is False
    assert not InboxMessage.objects.filter(kind="deletion_confirmation").exists()
    deletion.refresh_from_db()
    assert deletion.confirmation_sent_at is None

    # What the owner gets instead: the lapse notice, which says how to ask again.
    sweep_sandbox(sandbox=world.sandbox)
    deletion.refresh_from_db()
    assert deletion.status == DeletionStatus.LAPSED
    [notice] = InboxMessage.objects.filter(account=world.account)
    assert notice.kind == "deletion_lapsed" and "make a new request" in notice.body


def test_a_confirmation_sent_in_time_carries_its_link(trainee, queue):
    world = build_world(trainee)
    deletion = request(world)
    advance_clock(actor=world.actor, sandbox=world.sandbox, by=timedelta(hours=23))
    assert send_deletion_confirmation(actor=MAILER, request=deletion.pk) is True
    [email] = InboxMessage.objects.filter(kind="deletion_confirmation")
    assert email.links and "/confirm" in email.links[0]["url"]


def files_of(account_id: int) -> list[str]:
    folder = f"exports/{account_id}"
    return default_storage.listdir(folder)[1] if default_storage.exists(folder) else []


def test_a_demo_reset_removes_the_export_files_as_finalization_does(trainee, as_trainee, queue):
    demo = build_demo_sandbox(owner=trainee)
    account_id = demo.account.pk
    job = build_export(request_export(actor=as_trainee, account=account_id).pk)
    assert files_of(account_id) == [job.file.name.rsplit("/", 1)[1]]

    reset_demo_sandbox(actor=as_trainee, sandbox=demo)
    assert files_of(account_id) == []
    assert not ExportJob.objects.filter(pk=job.pk).exists()


def test_a_build_whose_export_was_removed_meanwhile_leaves_no_file(
    trainee, as_trainee, queue, monkeypatch
):
    demo = build_demo_sandbox(owner=trainee)
    account_id = demo.account.pk
    job = request_export(actor=as_trainee, account=account_id)
    real = exporting.write_archive

    def then_reset(job, target):
        manifest = real(job, target)
        reset_demo_sandbox(actor=as_trainee, sandbox=demo.pk)  # while the file is being stored
        return manifest

    monkeypatch.setattr(exporting, "write_archive", then_reset)
    assert build_export(job.pk) is None
    assert files_of(account_id) == []
