"""Data export services (RULEBOOK §6), each transition allowed and refused."""

import zipfile
from datetime import datetime, timedelta

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountStatus, SellerAccount
from lifecycle import exporting
from lifecycle.errors import Code, LifecycleError
from lifecycle.exporting import build_export
from lifecycle.models import ExportJob, ExportStatus, InboxMessage, Outcome, TimelineEvent
from lifecycle.services import (
    Actor,
    advance_clock,
    deletion_checklist,
    expire_export,
    fail_export,
    mark_export_ready,
    record_download,
    request_export,
    retry_export,
    sweep_sandbox,
)
from lifecycle.transitions import Action
from tests.engine_guard import arranging
from tests.rulebook import rule

from .jobs_helpers import SWEEP, actions, small_account

BUILDER = Actor.job("export")


pytestmark = pytest.mark.usefixtures("own_media")  # files of this test only


@pytest.fixture
def account(trainee) -> SellerAccount:
    return small_account(trainee)


def ready_export(account, actor) -> ExportJob:
    job = request_export(actor=actor, account=account)
    return build_export(job.pk)


def stored_exports(account) -> set[str]:
    folder = f"exports/{account.pk}"
    return set(default_storage.listdir(folder)[1]) if default_storage.exists(folder) else set()


def refused(code: Code, call) -> LifecycleError:
    with pytest.raises(LifecycleError) as err:
        call()
    assert err.value.code == code
    return err.value


def last_refusal(account) -> TimelineEvent:
    return TimelineEvent.objects.filter(account=account, outcome=Outcome.REFUSED).latest("id")


# --- request -----------------------------------------------------------------------------------


def test_request_export_queues_a_job_and_sends_it_after_commit(
    account, as_trainee, queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = request_export(actor=as_trainee, account=account)
    assert (job.status, job.progress, job.attempts) == (ExportStatus.QUEUED, 0, 0)
    assert job.requested_at is not None and job.heartbeat is not None
    assert queue.sent == [("build_export_task", (job.pk,))]
    assert job.dispatch.sent is True and not job.dispatch.unavailable
    assert actions(account.sandbox)[-1] == Action.REQUEST_EXPORT


def test_broker_down_leaves_the_job_queued_for_the_sweep(
    account, as_trainee, queue, django_capture_on_commit_callbacks
):
    queue.up = False
    with django_capture_on_commit_callbacks(execute=True):
        job = request_export(actor=as_trainee, account=account)
    assert job.dispatch.unavailable
    job.refresh_from_db()
    assert (job.status, job.heartbeat) == (ExportStatus.QUEUED, None)

    queue.up = True
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_sandbox(sandbox=account.sandbox) == [f"queued again export {job.pk}"]
    assert queue.sent == [("build_export_task", (job.pk,))]
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_sandbox(sandbox=account.sandbox) == []  # sent recently: not again


def test_one_export_in_flight(account, as_trainee):
    job = request_export(actor=as_trainee, account=account)
    err = refused(Code.EXPORT_IN_FLIGHT, lambda: request_export(actor=as_trainee, account=account))
    assert f"Export #{job.number} " in err.message
    assert account.exports.count() == 1
    assert last_refusal(account).action == Action.REQUEST_EXPORT


def test_exports_are_numbered_in_their_sandbox(account, as_trainee, other_trainee):
    """A new sandbox's first export is "Export #1", whatever other sandboxes hold (issue 23,
    item 20); the next one in the same sandbox is #2, on its page, email and timeline alike."""
    elsewhere = small_account(other_trainee)
    first = ready_export(elsewhere, Actor.trainee(other_trainee))
    assert first.number == 1
    mine = ready_export(account, as_trainee)
    assert mine.number == 1 and mine.pk != first.pk
    advance_clock(actor=as_trainee, sandbox=account.sandbox, by=rule("EXPORT_COOLDOWN"))
    second = request_export(actor=as_trainee, account=account)
    assert second.number == 2
    assert str(second) == "Export #2 (queued)"
    email = InboxMessage.objects.get(sandbox=account.sandbox, kind="export_ready")
    assert email.body.startswith("Export #1 of ")
    labels = TimelineEvent.objects.filter(account=account, action=Action.REQUEST_EXPORT)
    assert sorted(labels.values_list("subject_label", flat=True)) == [
        "Data export #1",
        "Data export #2",
    ]


def test_one_new_export_per_24_sandbox_hours(account, as_trainee):
    ready_export(account, as_trainee)
    refused(Code.EXPORT_TOO_SOON, lambda: request_export(actor=as_trainee, account=account))
    assert account.exports.count() == 1
    advance_clock(actor=as_trainee, sandbox=account.sandbox, by=rule("EXPORT_COOLDOWN"))
    assert request_export(actor=as_trainee, account=account).status == ExportStatus.QUEUED


def test_a_failed_export_does_not_hold_back_a_new_one(account, as_trainee):
    job = request_export(actor=as_trainee, account=account)
    fail_export(actor=BUILDER, export=job, reason="Disk full.")
    assert request_export(actor=as_trainee, account=account).pk != job.pk


def test_request_export_refused_for_another_trainee_and_a_deleted_account(
    account, other_trainee, as_trainee
):
    refused(
        Code.NOT_YOUR_SANDBOX,
        lambda: request_export(actor=Actor.trainee(other_trainee), account=account),
    )
    with arranging():  # set-up: a state the services reach only slowly
        SellerAccount.objects.filter(pk=account.pk).update(status=AccountStatus.DELETED)
    refused(Code.ACCOUNT_DELETED, lambda: request_export(actor=as_trainee, account=account))
    assert not account.exports.exists()


# --- build -------------------------------------------------------------------------------------


def test_build_writes_a_zip_with_a_manifest_and_emails_the_link(account, as_trainee):
    job = ready_export(account, as_trainee)
    assert (job.status, job.progress, job.attempts) == (ExportStatus.READY, 100, 1)
    assert job.expires_at == job.ready_at + rule("EXPORT_LINK_VALID_FOR")
    with default_storage.open(job.file.name) as raw, zipfile.ZipFile(raw) as archive:
        names = archive.namelist()
        assert archive.testzip() is None
    assert names[-1] == "manifest.json"
    assert job.manifest["rows"]["orders.csv"] == account.orders.count()
    assert job.size_bytes == default_storage.size(job.file.name)
    mail = InboxMessage.objects.get(account=account, kind="export_ready")
    assert mail.links == [
        {
            "label": "Download the export",
            "url": reverse(
                "download_export",
                kwargs={"sandbox_id": account.sandbox_id, "export_id": job.pk},
            ),
        }
    ]
    assert actions(account.sandbox)[-3:] == [
        Action.REQUEST_EXPORT,
        Action.EXPORT_READY,
        Action.SEND_EMAIL,
    ]


def test_a_second_delivery_of_the_build_changes_nothing(account, as_trainee):
    job = ready_export(account, as_trainee)
    count = TimelineEvent.objects.count()
    assert build_export(job.pk) is None
    job.refresh_from_db()
    assert (job.status, job.attempts) == (ExportStatus.READY, 1)
    assert TimelineEvent.objects.count() == count
    assert InboxMessage.objects.filter(kind="export_ready").count() == 1


def test_an_error_while_writing_fails_the_export_with_a_reason(account, as_trainee, monkeypatch):
    job = request_export(actor=as_trainee, account=account)

    def broken(job, target):
        raise ValueError("boom")

    monkeypatch.setattr(exporting, "write_archive", broken)
    assert build_export(job.pk) is None
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED
    # The seller reads the reason: words to act on, no Python exception name (issue 23).
    assert "Error" not in job.failure_reason and "Try again" in job.failure_reason
    assert InboxMessage.objects.filter(account=account, kind="export_failed").count() == 1
    assert actions(account.sandbox, action=Action.EXPORT_FAILED) == [Action.EXPORT_FAILED]


def test_a_transient_database_error_puts_the_export_back_in_the_queue(
    account, as_trainee, monkeypatch
):
    from django.db import OperationalError

    job = request_export(actor=as_trainee, account=account)

    def broken(job, target):
        raise OperationalError("server closed the connection")

    monkeypatch.setattr(exporting, "write_archive", broken)
    with pytest.raises(OperationalError):
        build_export(job.pk)
    job.refresh_from_db()
    assert (job.status, job.progress) == (ExportStatus.QUEUED, 0)


def test_an_export_failed_while_building_is_never_offered(account, as_trainee, monkeypatch):
    """The sweep marked it failed mid-build: the builder stops and nothing is stored."""
    job = request_export(actor=as_trainee, account=account)
    real = exporting.export_progress

    def sweep_fails_it(*, export, progress):
        fail_export(actor=SWEEP, export=export.pk, reason="Stuck.")
        return real(export=export, progress=progress)

    monkeypatch.setattr(exporting, "export_progress", sweep_fails_it)
    before = stored_exports(account)
    assert build_export(job.pk) is None
    job.refresh_from_db()
    assert (job.status, job.file.name) == (ExportStatus.FAILED, "")
    assert stored_exports(account) == before


def test_mark_ready_of_an_export_no_longer_running_offers_nothing(account, as_trainee):
    job = request_export(actor=as_trainee, account=account)
    assert (
        mark_export_ready(actor=BUILDER, export=job, file_name="x.zip", size_bytes=1, manifest={})
        is None
    )
    job.refresh_from_db()
    assert (job.status, job.file.name) == (ExportStatus.QUEUED, "")


# --- fail and retry ----------------------------------------------------------------------------


def test_fail_then_retry(account, as_trainee):
    job = request_export(actor=as_trainee, account=account)
    fail_export(actor=BUILDER, export=job, reason="Disk full.")
    assert fail_export(actor=BUILDER, export=job, reason="Again.").failure_reason == "Disk full."
    job = retry_export(actor=as_trainee, export=job)
    assert (job.status, job.failure_reason) == (ExportStatus.QUEUED, "")
    count = TimelineEvent.objects.count()
    assert retry_export(actor=as_trainee, export=job).status == ExportStatus.QUEUED
    assert TimelineEvent.objects.count() == count  # the second click changed nothing
    assert actions(account.sandbox)[-4:] == [
        Action.REQUEST_EXPORT,
        Action.EXPORT_FAILED,
        Action.SEND_EMAIL,
        Action.RETRY_EXPORT,
    ]
    assert build_export(job.pk).status == ExportStatus.READY


def test_retry_refused_unless_failed_and_nothing_else_in_flight(account, as_trainee):
    job = ready_export(account, as_trainee)
    refused(Code.EXPORT_NOT_RETRYABLE, lambda: retry_export(actor=as_trainee, export=job))
    assert last_refusal(account).action == Action.RETRY_EXPORT
    with arranging():  # set-up: a state the services reach only slowly
        ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.FAILED)
    advance_clock(actor=as_trainee, sandbox=account.sandbox, by=timedelta(days=1))
    request_export(actor=as_trainee, account=account)
    refused(Code.EXPORT_IN_FLIGHT, lambda: retry_export(actor=as_trainee, export=job))
    assert ExportJob.objects.get(pk=job.pk).status == ExportStatus.FAILED


def test_only_a_job_marks_an_export_failed(account, as_trainee):
    job = request_export(actor=as_trainee, account=account)
    refused(
        Code.NOT_ALLOWED_FOR_ACTOR,
        lambda: fail_export(actor=as_trainee, export=job, reason="no"),
    )
    assert ExportJob.objects.get(pk=job.pk).status == ExportStatus.QUEUED


# --- download and expiry -----------------------------------------------------------------------


def test_download_counts_as_data_exported(account, as_trainee):
    job = ready_export(account, as_trainee)
    assert deletion_checklist(account)["data_exported"] is False
    record_download(actor=as_trainee, export=job)
    assert deletion_checklist(account)["data_exported"] is True
    event = TimelineEvent.objects.get(action=Action.DOWNLOAD_EXPORT)
    assert (event.before, event.after, event.params) == ("ready", "ready", {})
    # Once per export: a second download is a repeat, with no event and no change.
    first = ExportJob.objects.get(pk=job.pk).downloaded_at
    advance_clock(actor=as_trainee, sandbox=account.sandbox, by=timedelta(hours=1))
    assert record_download(actor=as_trainee, export=job).downloaded_at == first
    assert TimelineEvent.objects.filter(action=Action.DOWNLOAD_EXPORT).count() == 1


def test_download_refused_for_staff_before_ready_and_after_expiry(account, as_trainee, as_staff):
    job = request_export(actor=as_trainee, account=account)
    refused(Code.EXPORT_NOT_READY, lambda: record_download(actor=as_trainee, export=job))
    job = build_export(job.pk)
    refused(Code.NOT_ALLOWED_FOR_ACTOR, lambda: record_download(actor=as_staff, export=job))
    advance_clock(actor=as_trainee, sandbox=account.sandbox, by=rule("EXPORT_LINK_VALID_FOR"))
    refused(Code.EXPORT_EXPIRED, lambda: record_download(actor=as_trainee, export=job))
    assert ExportJob.objects.get(pk=job.pk).downloaded_at is None


def test_the_sweep_expires_a_ready_export_and_removes_its_file(
    account, as_trainee, django_capture_on_commit_callbacks
):
    job = ready_export(account, as_trainee)
    path = job.file.name
    refused(Code.NOT_DUE, lambda: expire_export(actor=SWEEP, export=job))
    assert sweep_sandbox(sandbox=account.sandbox) == []
    advance_clock(actor=as_trainee, sandbox=account.sandbox, by=rule("EXPORT_LINK_VALID_FOR"))
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_sandbox(sandbox=account.sandbox) == [f"expired export {job.pk}"]
    job.refresh_from_db()
    assert (job.status, job.file.name) == (ExportStatus.EXPIRED, "")
    assert not default_storage.exists(path)
    assert expire_export(actor=SWEEP, export=job).status == ExportStatus.EXPIRED
    refused(Code.EXPORT_EXPIRED, lambda: record_download(actor=as_trainee, export=job))


def test_only_a_ready_export_expires(account, as_trainee):
    job = request_export(actor=as_trainee, account=account)
    refused(Code.INVALID_STATE, lambda: expire_export(actor=SWEEP, export=job))


def test_a_file_written_for_an_export_no_longer_ours_is_removed(account, as_trainee, monkeypatch):
    job = request_export(actor=as_trainee, account=account)
    monkeypatch.setattr(exporting, "mark_export_ready", lambda **kwargs: None)
    assert build_export(job.pk) is None
    assert stored_exports(account) == set()


def zip_stamp(moment) -> tuple[int, ...]:
    """A time as a ZIP entry stores it: local wall time, to the even second below."""
    local = timezone.localtime(moment)
    return (local.year, local.month, local.day, local.hour, local.minute, local.second // 2 * 2)


def test_zip_entries_carry_the_export_s_sandbox_time(account, as_trainee):
    advance_clock(actor=as_trainee, sandbox=account.sandbox, by=timedelta(days=400, hours=5))
    job = ready_export(account, as_trainee)
    generated = datetime.fromisoformat(job.manifest["generated_at"])
    assert generated - timezone.now() > timedelta(days=399)  # the sandbox's time, not the wall's
    with default_storage.open(job.file.name) as raw, zipfile.ZipFile(raw) as archive:
        stamps = {info.filename: info.date_time for info in archive.infolist()}
        modes = {info.external_attr >> 16 for info in archive.infolist()}
    assert set(stamps) == {*job.manifest["rows"], "manifest.json"}
    assert set(stamps.values()) == {zip_stamp(generated)}
    assert modes == {0o600}  # readable by the one who unpacks it, as before


def test_the_progress_bar_moves_by_rows_while_the_files_are_written(
    account, as_trainee, client, trainee, monkeypatch
):
    """What the exports page polls, read at each progress report of one build (no timing)."""
    client.force_login(trainee)
    job = request_export(actor=as_trainee, account=account)
    url = reverse("export_job", kwargs={"sandbox_id": account.sandbox_id, "export_id": job.pk})
    shown = []
    real = exporting.export_progress

    def page_after(*, export, progress):
        stored = real(export=export, progress=progress)
        html = client.get(url).content.decode()
        shown.append(int(html.split('data-progress="')[1].split('"')[0]))
        return stored

    monkeypatch.setattr(exporting, "export_progress", page_after)
    assert build_export(job.pk).status == ExportStatus.READY
    between = [value for value in shown if 0 < value < 99]
    assert shown == sorted(shown) and len(set(between)) >= 50, shown
    assert shown[-1] == 99  # 100 only once the file is stored and offered


def test_progress_is_stored_as_it_goes(account, as_trainee, settings, monkeypatch):
    settings.SIMULATOR = {**settings.SIMULATOR, "EXPORT_SLOWDOWN": 0.0001}
    seen = []
    real = exporting.export_progress

    def spy(*, export, progress):
        seen.append(progress)
        return real(export=export, progress=progress)

    monkeypatch.setattr(exporting, "export_progress", spy)
    job = build_export(request_export(actor=as_trainee, account=account).pk)
    assert job.progress == 100
    assert seen == sorted(seen) and len(seen) > 1
    assert max(seen) == 100  # asked for; stored as 99 until the file is ready
