"""Jobs by reference: services name a registered job; only an unreachable broker is forgiven."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from lifecycle import jobs, tasks
from lifecycle.jobs import Job
from lifecycle.models import ExportJob, ExportStatus
from lifecycle.services import request_export, sweep_sandbox

from .jobs_helpers import small_account
from .workers import broker_at

CLOSED_PORT = "redis://127.0.0.1:1/0"


def test_every_job_has_its_task_and_the_task_is_the_one_in_lifecycle_tasks():
    jobs.check_registry()  # start-up ran it too; it raises when a job has no task
    for job in Job:
        assert jobs.task_for(job) is getattr(tasks, job.value)


def test_start_up_fails_when_a_job_has_no_task(monkeypatch):
    monkeypatch.delitem(jobs._TASKS, Job.NOTIFY_CUSTOMERS)
    with pytest.raises(ImproperlyConfigured, match="notify_customers_task"):
        jobs.check_registry()


def test_a_second_task_for_the_same_job_is_refused():
    with pytest.raises(ImproperlyConfigured, match="Two tasks"):
        jobs.register(Job.SWEEP_SANDBOX)(object())


@pytest.mark.django_db
def test_an_unknown_job_fails_loudly_in_the_service_that_queues_it():
    with pytest.raises(LookupError, match="no_such_task"), transaction.atomic():
        jobs.enqueue("no_such_task", 1)


def test_an_error_that_is_not_the_broker_is_raised_not_swallowed(monkeypatch):
    def broken(*args, **kwargs):
        raise TypeError("a task called with the wrong arguments")

    monkeypatch.setattr(tasks.sweep_sandbox_task, "apply_async", broken)
    with pytest.raises(TypeError):
        jobs.send_now(Job.SWEEP_SANDBOX, 1)


def test_an_unreachable_broker_is_swallowed_the_row_stays_and_the_sweep_sends_again(
    trainee, as_trainee, own_media, monkeypatch, django_capture_on_commit_callbacks
):
    account = small_account(trainee)
    with broker_at(CLOSED_PORT), django_capture_on_commit_callbacks(execute=True):
        job = request_export(actor=as_trainee, account=account)
    assert job.dispatch.unavailable
    job = ExportJob.objects.get(pk=job.pk)
    assert (job.status, job.heartbeat) == (ExportStatus.QUEUED, None)

    queue = _fake_queue(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_sandbox(sandbox=account.sandbox) == [f"queued again export {job.pk}"]
    assert queue == [(Job.BUILD_EXPORT, (job.pk,))]


def _fake_queue(monkeypatch) -> list:
    sent: list = []

    def send(job, *args, **options) -> bool:
        sent.append((job, args))
        return True

    monkeypatch.setattr(jobs, "send_now", send)
    return sent
