"""Exports recover by themselves (issue 13, item 4): a worker SIGKILLed mid-export, a broker
restarted empty. The trainee asks once and does nothing more; the export ends up ready.

Real processes: a `celery worker` that is killed and started again, the one `celery beat` that
runs the sweep, and a redis-server of this test's own that is restarted (the shared Redis is
never touched). The recovery deadlines (seconds of silence before a resend, the sweep's period)
are settings these tests lower to seconds; bench/recovery.py measures the same two faults with
the defaults, and the README gives its figures.
"""

import os
import signal
import time
import zipfile
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from lifecycle.demo import build_demo_sandbox
from lifecycle.models import ExportJob, ExportStatus, TimelineEvent
from lifecycle.services import request_export, sweep_sandbox
from lifecycle.transitions import Action

from .jobs_helpers import small_account
from .workers import beat_process, pool_children, wait_for, worker_env, worker_process

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
QUICK = {
    "SIMULATOR_EXPORT_RECOVER_AFTER": "3",  # seconds of silence before a resend (default 60)
    "SIMULATOR_SWEEP_EVERY": "1",  # seconds between the scheduler's sweeps (default 60)
}
# The export's timeline after a recovery: the trainee asked once and did nothing more.
RECOVERED = [
    ("trainee", Action.REQUEST_EXPORT),
    ("job", Action.RESEND_EXPORT),
    ("job", Action.EXPORT_READY),
    ("job", Action.SEND_EMAIL),  # the download link
]


def export_state(pk: int) -> ExportJob:
    return ExportJob.objects.get(pk=pk)


def assert_complete(job: ExportJob) -> None:
    assert (job.status, job.progress) == (ExportStatus.READY, 100)
    with default_storage.open(job.file.name) as raw, zipfile.ZipFile(raw) as archive:
        assert archive.testzip() is None
        assert "manifest.json" in archive.namelist()


def export_actions(job: ExportJob) -> list[tuple[str, str]]:
    events = TimelineEvent.objects.filter(subject_type="export", subject_id=job.pk).order_by("id")
    return list(events.values_list("actor_kind", "action"))


def test_an_export_whose_worker_was_killed_finishes_after_a_restart(
    trainee, as_trainee, own_media, private_redis
):
    account = build_demo_sandbox(owner=trainee).account
    env = worker_env(
        REDIS_URL=private_redis.url,
        SIMULATOR_VAR_DIR=str(own_media),
        SIMULATOR_EXPORT_SLOWDOWN="0.05",  # about 6 s per build: time to kill it halfway
        **QUICK,
    )
    log = own_media / "worker.log"
    with beat_process(env, own_media / "beat.log"):
        with worker_process(env, log) as proc:
            job = request_export(actor=as_trainee, account=account)
            wait_for(lambda: export_state(job.pk).progress > 0, what="the build to start")
            os.kill(proc.pid, signal.SIGKILL)  # the whole worker, mid-export
            proc.wait()
        killed_at = time.monotonic()
        stopped = export_state(job.pk)
        assert stopped.status == ExportStatus.RUNNING and 0 < stopped.progress < 100
        assert stopped.file.name == ""  # nothing half-written is offered

        with worker_process(env, log, name="restarted"):
            wait_for(
                lambda: export_state(job.pk).status == ExportStatus.READY,
                timeout=45,
                what="the export to finish after the restart",
            )
        took = time.monotonic() - killed_at

    job = export_state(job.pk)
    assert_complete(job)
    assert (job.attempts, job.resends) == (2, 1)  # sent again once, by the sweep
    assert export_actions(job) == RECOVERED
    print(f"ready {took:.1f} s after the kill")


def test_an_export_whose_pool_child_was_killed_finishes_without_retries_running_out(
    trainee, as_trainee, own_media, private_redis
):
    """Only the pool child is killed: the worker hands its message out again at once, to the
    new child. That delivery finds the builder's heartbeat still fresh and does nothing (before,
    it was retried 8 times at random intervals, which could run out); once the build has been
    silent long enough, the sweep sends it again and it is built."""
    account = build_demo_sandbox(owner=trainee).account
    env = worker_env(
        REDIS_URL=private_redis.url,
        SIMULATOR_VAR_DIR=str(own_media),
        SIMULATOR_EXPORT_SLOWDOWN="0.05",
        # Silence counts after 12 s: longer than a new pool child takes to get the message.
        **{**QUICK, "SIMULATOR_EXPORT_RECOVER_AFTER": "12"},
    )
    worker = worker_process(env, own_media / "worker.log", pool="prefork")
    with beat_process(env, own_media / "beat.log"), worker as proc:
        job = request_export(actor=as_trainee, account=account)
        wait_for(lambda: export_state(job.pk).progress > 0, what="the build to start")
        (child,) = pool_children(proc)
        os.kill(child, signal.SIGKILL)  # the child building it; the worker lives on
        wait_for(
            lambda: export_state(job.pk).status == ExportStatus.READY,
            timeout=45,
            what="the export to finish after its pool child was killed",
        )
    job = export_state(job.pk)
    assert_complete(job)
    assert (job.attempts, job.resends) == (2, 1)  # one build killed, one sent again
    assert export_actions(job) == RECOVERED
    log = (own_media / "worker.log").read_text()
    assert "signal 9 (SIGKILL)" in log  # the child died mid-build; the worker did not
    assert f"export {job.pk}: nothing for this delivery to build" in log  # the redelivery


def test_an_export_whose_message_a_broker_restart_lost_finishes(
    trainee, as_trainee, own_media, private_redis
):
    account = small_account(trainee)
    env = worker_env(REDIS_URL=private_redis.url, SIMULATOR_VAR_DIR=str(own_media), **QUICK)
    job = request_export(actor=as_trainee, account=account)  # no worker is running yet
    assert private_redis.queued() == 1
    private_redis.restart()
    assert private_redis.queued() == 0  # the message is gone with the broker's memory
    restarted_at = time.monotonic()

    with beat_process(env, own_media / "beat.log"), worker_process(env, own_media / "w.log"):
        wait_for(
            lambda: export_state(job.pk).status == ExportStatus.READY,
            timeout=45,
            what="the lost export to be sent again and built",
        )
    took = time.monotonic() - restarted_at
    job = export_state(job.pk)
    assert_complete(job)
    assert (job.attempts, job.resends) == (1, 1)
    assert export_actions(job) == RECOVERED
    print(f"ready {took:.1f} s after the broker restart")


def test_a_queued_export_waiting_in_line_is_not_sent_twice(trainee, as_trainee, private_redis):
    """Silent for longer than the threshold, but its message is still in the broker's queue
    (behind other jobs): it is waiting, not lost. Once the broker lost it, it is sent again."""
    account = small_account(trainee)
    job = request_export(actor=as_trainee, account=account)
    silent = timezone.now() - timedelta(minutes=5)
    ExportJob.objects.filter(pk=job.pk).update(heartbeat=silent)
    assert sweep_sandbox(sandbox=account.sandbox) == []
    assert (private_redis.queued(), export_state(job.pk).resends) == (1, 0)

    private_redis.restart()
    assert sweep_sandbox(sandbox=account.sandbox) == [f"queued again export {job.pk}"]
    assert (private_redis.queued(), export_state(job.pk).resends) == (1, 1)
