"""The jobs a restored sandbox was waiting for, queued again: their rows say what is owed."""

from datetime import timedelta

from accounts.models import Sandbox
from lifecycle.jobs import Job, enqueue
from lifecycle.models import DeletionRequest, DeletionStatus, ExportJob
from lifecycle.services.announcements import stale_announcements
from lifecycle.services.exports import dispatch_export


def owed(sandbox: Sandbox) -> list[tuple[Job, tuple]]:
    """The jobs the sandbox's rows are waiting for: exports in flight, unsent confirmation
    emails, announcements queued and not sent."""
    jobs: list[tuple[Job, tuple]] = []
    exports = ExportJob.objects.filter(account__sandbox=sandbox).in_flight().order_by("pk")
    jobs += [(Job.BUILD_EXPORT, (pk,)) for pk in exports.values_list("pk", flat=True)]
    confirmations = DeletionRequest.objects.filter(
        account__sandbox=sandbox, status=DeletionStatus.PENDING, confirmation_sent_at=None
    ).order_by("pk")
    jobs += [
        (Job.SEND_DELETION_CONFIRMATION, (pk,)) for pk in confirmations.values_list("pk", flat=True)
    ]
    announcements = stale_announcements(sandbox_ids=[sandbox.pk], older_than=timedelta(0))
    jobs += [(Job.NOTIFY_CUSTOMERS, (event.account_id, event.pk)) for event in announcements]
    return jobs


def queue_again(sandbox: Sandbox) -> list[tuple[Job, tuple]]:
    jobs = owed(sandbox)
    for job, args in jobs:
        if job is Job.BUILD_EXPORT:
            dispatch_export(*args)
        else:
            enqueue(job, *args)
    return jobs
