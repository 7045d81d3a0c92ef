"""Every platform email lands in the inbox once; real delivery only when settings say so."""

import pytest
from django.core import mail

from lifecycle.mail import send_platform_email
from lifecycle.models import InboxMessage
from lifecycle.services import request_deletion, send_deletion_confirmation

from .jobs_helpers import PASSWORD, SWEEP, ready_for_deletion, small_account

pytestmark = pytest.mark.usefixtures("own_media")  # files of this test only


@pytest.fixture
def account(trainee):
    return small_account(trainee)


def send(account, key: str = "hello-1"):
    return send_platform_email(
        sandbox=account.sandbox,
        account=account,
        kind="hello",
        to="seller@example.com",
        subject="Hello",
        body="Body.",
        links=[{"label": "Open", "url": "/somewhere/"}],
        dedupe_key=key,
    )


def test_a_message_is_stored_once_per_dedupe_key(account, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first, sent = send(account)
        again, sent_again = send(account)
    assert (sent, sent_again, again.pk) == (True, False, first.pk)
    assert InboxMessage.objects.filter(sandbox=account.sandbox).count() == 1
    assert mail.outbox == []  # stored only: DELIVER_EMAIL is off by default


def test_delivery_through_the_email_backend_when_enabled(
    account, settings, django_capture_on_commit_callbacks
):
    site = "https://simulator.example.org"
    settings.SIMULATOR = {**settings.SIMULATOR, "DELIVER_EMAIL": True, "SITE_URL": site}
    with django_capture_on_commit_callbacks(execute=True):
        send(account)
        send(account)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["seller@example.com"]
    # A real mailbox gets the whole address; the sandbox inbox keeps the path.
    assert f"Open: {site}/somewhere/" in mail.outbox[0].body


def test_a_rolled_back_job_mails_nobody(account, settings, django_capture_on_commit_callbacks):
    settings.SIMULATOR = {**settings.SIMULATOR, "DELIVER_EMAIL": True}
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        send(account)
    assert mail.outbox == [] and len(callbacks) == 1  # waits for the commit


def test_the_inbox_stops_a_second_copy_even_if_the_row_forgot_it_was_sent(account, as_trainee):
    ready_for_deletion(account)
    deletion = request_deletion(
        actor=as_trainee, account=account, password=PASSWORD, acknowledged=True
    )
    send_deletion_confirmation(actor=SWEEP, request=deletion.pk)
    type(deletion).objects.filter(pk=deletion.pk).update(confirmation_sent_at=None)
    assert send_deletion_confirmation(actor=SWEEP, request=deletion.pk) is True
    assert InboxMessage.objects.filter(kind="deletion_confirmation").count() == 1
