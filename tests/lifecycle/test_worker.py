"""Workers as real processes: killed mid-export, Redis down, the embedded broker; /healthz."""

import os
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from config.celery import app
from lifecycle import heartbeat
from lifecycle.demo import build_demo_sandbox
from lifecycle.heartbeat import EVERY, WORKER, HeartbeatScheduler
from lifecycle.models import ExportJob, ExportStatus, Heartbeat
from lifecycle.services import (
    request_deletion,
    request_export,
    sweep_sandbox,
)
from lifecycle.services.exports import queued_message

from .jobs_helpers import PASSWORD, ready_for_deletion, small_account
from .workers import (
    broker_at,
    confirmation_sent_through,
    flush_broker,
    inprocess_worker,
    wait_for,
    worker_env,
    worker_process,
)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
CLOSED_PORT = "redis://127.0.0.1:1/0"


@contextmanager
def no_ping() -> Iterator[None]:
    """Asking the workers over the broker fails: /healthz must not."""

    def refused(*args, **kwargs):
        raise AssertionError("/healthz pinged the workers")

    saved = app.control.ping
    app.control.ping = refused
    try:
        yield
    finally:
        app.control.ping = saved


def stored(account) -> list[str]:
    folder = f"exports/{account.pk}"
    return default_storage.listdir(folder)[1] if default_storage.exists(folder) else []


def export_state(pk: int) -> ExportJob:
    return ExportJob.objects.get(pk=pk)


def test_a_worker_killed_mid_export_leaves_nothing_half_written(trainee, as_trainee, own_media):
    """What a SIGKILL leaves: a running export with no file. The sweep leaves it alone while its
    heartbeat is fresh; test_recovery.py goes on to the export finishing by itself."""
    flush_broker()
    tmp_path = own_media
    account = build_demo_sandbox(owner=trainee).account
    env = worker_env(SIMULATOR_EXPORT_SLOWDOWN="0.05", SIMULATOR_VAR_DIR=str(tmp_path))
    with worker_process(env, tmp_path / "worker.log") as proc:
        job = request_export(actor=as_trainee, account=account)
        wait_for(
            lambda: export_state(job.pk).progress > 0,
            timeout=60,
            what="the worker process to start the export",
        )
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()

    job = export_state(job.pk)
    assert job.status == ExportStatus.RUNNING and 0 < job.progress < 100
    assert (job.file.name, stored(account)) == ("", [])  # nothing half-written is offered
    assert sweep_sandbox(sandbox=account.sandbox) == []  # its heartbeat is still fresh
    flush_broker()  # the killed worker's unacknowledged message


def test_with_redis_down_pages_render_and_nothing_is_lost(client, trainee, as_trainee):
    flush_broker()
    account = ready_for_deletion(small_account(trainee))
    client.force_login(trainee)
    with broker_at(CLOSED_PORT):
        job = request_export(actor=as_trainee, account=account)
        assert "Background jobs are unavailable" in queued_message(job)
        assert export_state(job.pk).status == ExportStatus.QUEUED
        deletion = request_deletion(
            actor=as_trainee, account=account, password=PASSWORD, acknowledged=True
        )  # the email it owes cannot be queued either: the request still stands
        health = client.get("/healthz")
        assert health.status_code == 503 and health.json()["broker"] == "down"
        assert health.json()["database"] == "ok"
        page = client.get(f"/s/{account.sandbox_id}/exports/{job.pk}/download/")
        assert page.status_code == 409  # a page, not an error

    with inprocess_worker():
        done = sweep_sandbox(sandbox=account.sandbox)
        assert f"queued again export {job.pk}" in done
        assert f"sent the confirmation email of request {deletion.pk}" in done
        wait_for(lambda: export_state(job.pk).status == ExportStatus.READY, what="the export")
    assert "an email with the download link follows" in queued_message(export_state(job.pk))
    flush_broker()


def test_healthz_answers_ok_with_a_worker_and_503_without(
    client, transactional_db, tmp_path, settings
):
    """A real worker writes its heartbeat while it consumes and marks it stopped on shutdown;
    /healthz reads that row (no ping: a ping now fails the test)."""
    settings.HEALTHZ_TOKEN = "monitor"  # the workers' names are for a monitor (or staff)
    client.defaults["HTTP_AUTHORIZATION"] = "Bearer monitor"
    flush_broker()
    scheduler = HeartbeatScheduler(app=app, schedule_filename=str(tmp_path / "schedule"))
    scheduler.tick()  # the scheduler's heartbeat, from beat's own loop code
    with inprocess_worker():
        row = Heartbeat.objects.get(kind=WORKER)
        assert row.stopped_at is None
        with no_ping():
            response = client.get("/healthz")
        assert response.status_code == 200, response.content
        body = response.json()
        assert (body["status"], body["database"], body["broker"]) == ("ok", "ok", "ok")
        assert (body["worker"], body["scheduler"]) == ("ok", "ok")
        assert body["workers"] == [row.name]
        wait_for(
            lambda: Heartbeat.objects.get(pk=row.pk).beat_at > row.beat_at,
            timeout=3 * EVERY.total_seconds(),
            what="the worker's next heartbeat",
        )
    assert Heartbeat.objects.get(pk=row.pk).stopped_at is not None
    with no_ping():
        response = client.get("/healthz")
    assert response.status_code == 503
    assert (response.json()["worker"], response.json()["scheduler"]) == ("down", "ok")
    scheduler.close()
    flush_broker()


NAPPING = threading.Event()  # set by the task, which runs in this process's worker thread


@app.task(name="tests.nap")
def nap(seconds: float) -> None:
    NAPPING.set()
    time.sleep(seconds)


def test_a_worker_busy_with_a_long_task_keeps_beating(transactional_db, monkeypatch):
    """One task at a time (the solo pool of make run and of these tests) must not silence the
    heartbeat: an export longer than the stale limit is not a worker down."""
    flush_broker()
    monkeypatch.setattr(heartbeat, "EVERY", timedelta(seconds=0.2))
    with inprocess_worker():
        NAPPING.clear()
        nap.delay(4)
        wait_for(lambda: Heartbeat.objects.filter(kind=WORKER).exists(), what="the first beat")
        wait_for(NAPPING.is_set, timeout=10, what="the nap to begin")
        busy_since = timezone.now()
        wait_for(
            lambda: Heartbeat.objects.get(kind=WORKER).beat_at > busy_since + timedelta(seconds=1),
            timeout=2.5,
            what="a heartbeat while the task runs",
        )
    flush_broker()


def test_healthz_says_when_no_worker_ever_beat(client, transactional_db):
    flush_broker()
    with no_ping():
        response = client.get("/healthz")
    assert response.status_code == 503
    assert (response.json()["broker"], response.json()["worker"]) == ("ok", "down")


def test_the_embedded_broker_runs_a_delayed_task_end_to_end(trainee, as_trainee, tmp_path):
    """`make run` without REDIS_URL: the filesystem transport under var/, a real worker."""
    account = ready_for_deletion(small_account(trainee))
    env = worker_env(DJANGO_SETTINGS_MODULE="config.settings.dev", SIMULATOR_VAR_DIR=str(tmp_path))
    env.pop("REDIS_URL")
    with broker_at(CLOSED_PORT):  # nothing of this test goes through Redis
        deletion = request_deletion(
            actor=as_trainee, account=account, password=PASSWORD, acknowledged=True
        )
    with worker_process(env, tmp_path / "worker.log", name="embedded"):
        confirmation_sent_through(env, deletion.pk, countdown=1)
    log = (tmp_path / "worker.log").read_text()
    assert "transport:   config.broker:Transport://" in log  # the filesystem one
    assert "send_deletion_confirmation_task" in log and "succeeded" in log
