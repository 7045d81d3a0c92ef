"""The tasks through a real worker on Redis; idempotency of tasks and of concurrent sweeps."""

import threading
from datetime import timedelta
from urllib.parse import urlparse

import pytest
from django.db import connection
from django.urls import resolve

from accounts.models import AccountStatus, AppAuthorization, SellerAccount
from lifecycle import tasks
from lifecycle.demo import build_demo_sandbox
from lifecycle.models import (
    DeletionRequest,
    DeletionStatus,
    ExportJob,
    ExportStatus,
    InboxMessage,
    TimelineEvent,
)
from lifecycle.services import (
    advance_clock,
    confirm_deletion,
    deletion_token,
    queue_customer_notice,
    request_deletion,
    request_export,
    sweep_sandbox,
)
from lifecycle.services.deletion import DELETED_NAME, REDACTED
from lifecycle.transitions import Action
from shops.models import Campaign, Customer, Inquiry, Order, Product
from tests.engine_guard import arranging
from tests.rulebook import rule

from .jobs_helpers import PASSWORD, ready_for_deletion, small_account
from .workers import flush_broker, wait_for

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("own_media"),
]


def test_deletion_from_request_to_email_to_link_to_finalization(
    celery_worker, client, trainee, as_trainee
):
    account = ready_for_deletion(build_demo_sandbox(owner=trainee).account)
    sandbox = account.sandbox
    request_deletion(actor=as_trainee, account=account, password=PASSWORD, acknowledged=True)

    mail = wait_for(
        lambda: InboxMessage.objects.filter(account=account, kind="deletion_confirmation").first(),
        what="the confirmation email",
    )
    path = urlparse(mail.links[0]["url"]).path
    assert resolve(path).url_name == "confirm_deletion"
    client.force_login(trainee)
    hop = client.get(path)  # the link keeps its token in the session, then the page has none
    assert hop.status_code == 302
    assert client.get(hop["Location"]).status_code == 200
    response = client.post(hop["Location"])
    assert response.status_code == 200
    account.refresh_from_db()
    assert account.status == AccountStatus.DELETION_SCHEDULED

    # The clock move triggers a sweep at once: the reminder of the last day is due.
    almost = rule("DELETION_GRACE") - timedelta(hours=1)
    advance_clock(actor=as_trainee, sandbox=sandbox, by=almost)
    wait_for(
        lambda: InboxMessage.objects.filter(account=account, kind="deletion_reminder").exists(),
        what="the reminder",
    )
    advance_clock(actor=as_trainee, sandbox=sandbox, by=timedelta(hours=1))

    removed_kinds = (Order, Product, Customer, Inquiry, Campaign, ExportJob, InboxMessage)

    def purged():
        # The purge runs in batches after the finalization commits: wait for its last batch.
        account.refresh_from_db()
        return account.status == AccountStatus.DELETED and not any(
            model.objects.filter(account=account).exists() for model in removed_kinds
        )

    wait_for(purged, what="the account to be finalized and purged")
    assert (account.display_name, account.contact_email) == (DELETED_NAME, "")
    for model in (Product, Customer, Inquiry, Campaign, ExportJob, InboxMessage, AppAuthorization):
        assert not model.objects.filter(account=account).exists(), model
    assert not account.shop_links.filter(unlinked_at__isnull=True).exists()
    deletion = DeletionRequest.objects.get(account=account)
    assert deletion.status == DeletionStatus.FINALIZED
    assert all(
        e.scrubbed
        for e in TimelineEvent.objects.filter(account=account).exclude(
            action=Action.FINALIZE_DELETION
        )
    )
    sent = TimelineEvent.objects.filter(account=account, action=Action.SEND_EMAIL)
    assert [e.params["to"] for e in sent] == [REDACTED, REDACTED]
    flow = [
        Action.REQUEST_DELETION,
        Action.SEND_EMAIL,
        Action.CONFIRM_DELETION,
        Action.FINALIZE_DELETION,
    ]
    assert list(
        TimelineEvent.objects.filter(account=account, action__in=flow)
        .order_by("id")
        .values_list("action", flat=True)
    ) == [
        Action.REQUEST_DELETION,
        Action.SEND_EMAIL,  # the confirmation link
        Action.CONFIRM_DELETION,
        Action.SEND_EMAIL,  # the reminder
        Action.FINALIZE_DELETION,
    ]


def test_the_same_tasks_delivered_twice_change_nothing_twice(celery_worker, trainee, as_trainee):
    account = ready_for_deletion(small_account(trainee))
    deletion = request_deletion(
        actor=as_trainee, account=account, password=PASSWORD, acknowledged=True
    )
    export = request_export(actor=as_trainee, account=account)
    notice = queue_customer_notice(actor=as_trainee, account=account)
    for _ in range(2):
        tasks.notify_customers_task.delay(account.pk, notice.pk)
        tasks.send_deletion_confirmation_task.delay(deletion.pk)
        tasks.build_export_task.delay(export.pk)
        tasks.sweep_sandbox_task.delay(account.sandbox_id)
    wait_for(
        lambda: ExportJob.objects.filter(pk=export.pk, status=ExportStatus.READY).exists(),
        what="the export",
    )
    tasks.sweep_task.delay()
    wait_for(_queue_empty, what="the queue to drain")
    kinds = list(InboxMessage.objects.filter(account=account).values_list("kind", flat=True))
    customers = kinds.count("customer_announcement")
    assert customers == len(set(InboxMessage.objects.values_list("to", flat=True))) - 1 > 0
    assert sorted(set(kinds)) == ["customer_announcement", "deletion_confirmation", "export_ready"]
    assert len(kinds) == customers + 2
    assert TimelineEvent.objects.filter(action=Action.NOTIFY_CUSTOMERS).count() == 2
    assert ExportJob.objects.get(pk=export.pk).attempts == 1
    assert TimelineEvent.objects.filter(action=Action.EXPORT_READY).count() == 1


def _queue_empty() -> bool:
    import redis
    from django.conf import settings

    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    return client.llen("celery") == 0 and not client.hlen("unacked")


def test_two_sweeps_at_once_do_nothing_twice(trainee, as_trainee):
    """Four threads sweep one sandbox together on PostgreSQL: each item is done once."""
    flush_broker()
    sandbox = build_demo_sandbox(owner=trainee, name="Busy")
    first = ready_for_deletion(sandbox.account)
    second = ready_for_deletion(
        SellerAccount.objects.create(sandbox=sandbox, display_name="Second", contact_email="s@x.io")
    )
    third = SellerAccount.objects.create(sandbox=sandbox, display_name="Third")
    deletion = request_deletion(
        actor=as_trainee, account=first, password=PASSWORD, acknowledged=True
    )
    confirm_deletion(actor=as_trainee, token=deletion_token(deletion))
    request_deletion(actor=as_trainee, account=second, password=PASSWORD, acknowledged=True)
    export = request_export(actor=as_trainee, account=third)
    with arranging():  # set-up: an export ready and expiring now, without building it
        ExportJob.objects.filter(pk=export.pk).update(
            status=ExportStatus.READY, expires_at=sandbox.now()
        )
    # Due now: the first account's finalization, the second's lapse and notice, the export's
    # expiry; the reminders were overtaken by the finalization.
    advance_clock(actor=as_trainee, sandbox=sandbox, by=rule("DELETION_GRACE") + timedelta(1))
    last = TimelineEvent.objects.order_by("-id").first().pk

    barrier = threading.Barrier(4)
    results: list[list[str]] = []
    errors: list[BaseException] = []

    def sweep():
        try:
            barrier.wait()
            results.append(sweep_sandbox(sandbox=sandbox.pk))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    # Purging shares the rows between sweeps (SKIP LOCKED batches); every other item is one's.
    done = [item for result in results for item in result if not item.startswith("purged")]
    assert len(done) == len(set(done))
    assert not Order.objects.filter(account=first).exists()
    by_action = list(TimelineEvent.objects.filter(id__gt=last).values_list("action", flat=True))
    assert by_action.count(Action.FINALIZE_DELETION) == 1
    assert by_action.count(Action.LAPSE_DELETION) == 1
    assert by_action.count(Action.EXPIRE_EXPORT) == 1
    mails = list(InboxMessage.objects.filter(sandbox=sandbox).values_list("kind", flat=True))
    assert mails.count("deletion_lapsed") == 1
    assert sorted(set(done)) == sorted(
        [
            f"finalized account {first.pk}",
            f"lapsed deletion request {second.deletion_requests.get().pk}",
            f"sent the lapse notice of request {second.deletion_requests.get().pk}",
            f"expired export {export.pk}",
        ]
    )
    flush_broker()  # the clock move queued a sweep that no worker ran
