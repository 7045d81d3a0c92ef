"""The case page knows what the dashboard knows (issue 23, item 3): a stuck export says so, with
the workers' state and what the agent can do; the inbox shows the seller's own mail apart from
the copies of their announcement to customers, and links to the rest."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from lifecycle.models import ExportJob, ExportStatus, InboxMessage
from tests.engine_guard import arranging
from tests.test_page_text import visible_text
from tests.web import demo


def case_text(lead, account) -> str:
    response = lead.get(reverse("support:case", args=[account.pk]))
    assert response.status_code == 200
    return visible_text(response.content.decode())


def test_a_stuck_export_is_flagged_on_the_case_with_the_workers_state(lead, trainee):
    sandbox = demo(trainee, orders=0)
    long_ago = timezone.now() - timedelta(hours=1)
    ExportJob.objects.create(
        account=sandbox.account,
        status=ExportStatus.QUEUED,
        requested_at=sandbox.now(),
        heartbeat=long_ago,
    )
    text = case_text(lead, sandbox.account)
    assert "Stuck: its builder has been silent since" in text
    assert "no worker is beating" in text  # no heartbeat rows in the test database
    assert "can be retried for the seller here" in text


def test_a_fresh_export_is_not_flagged(lead, trainee):
    sandbox = demo(trainee, orders=0)
    with arranging():  # set-up: a build a live worker has under way
        ExportJob.objects.create(
            account=sandbox.account,
            status=ExportStatus.RUNNING,
            requested_at=sandbox.now(),
            heartbeat=timezone.now(),
        )
    assert "Stuck" not in case_text(lead, sandbox.account)


def test_the_inbox_keeps_the_seller_s_mail_apart_and_links_to_the_rest(lead, trainee):
    sandbox = demo(trainee, orders=0)
    InboxMessage.objects.filter(sandbox=sandbox).delete()
    now = sandbox.now()
    for n in range(12):
        InboxMessage.objects.create(
            sandbox=sandbox,
            kind="deletion_reminder",
            to="s@example.com",
            subject=f"Own {n}",
            dedupe_key=f"own-{n}",
            body="",
            sent_at=now - timedelta(hours=20 - n),
        )
    for n in range(15):  # newer than the seller's own mail
        InboxMessage.objects.create(
            sandbox=sandbox,
            kind="customer_announcement",
            to=f"c{n}@example.com",
            subject=f"Copy {n}",
            dedupe_key=f"copy-{n}",
            body="",
            sent_at=now,
        )
    text = case_text(lead, sandbox.account)
    assert "Own 11" in text and "Copy 1" not in text
    assert "The newest 10 of 12" in text and "the sandbox's whole inbox" in text
    assert "15 copies of the announcement to customers" in text
