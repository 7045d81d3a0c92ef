"""No password, confirmation token or personal detail in any log line or on a staff screen,
through the whole deletion flow: sign-in (with a wrong try), request (with a wrong password),
the emailed link, confirmation, and finalization after the grace period."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from accounts.models import User
from lifecycle.models import DeletionRequest, InboxMessage
from lifecycle.redaction import HIDDEN, RedactSecretsFilter, redact
from lifecycle.services import Actor, advance_clock, deletion_token, sweep_sandbox
from lifecycle.tasks import send_deletion_confirmation_task
from shops.models import Customer
from tests.lifecycle.jobs_helpers import ready_for_deletion, small_account

from .logcapture import every_log_line

PASSWORD = "Secret-Mira-Pass-77"
WRONG = "Wrong-Guess-Pass-13"


@pytest.fixture
def owner(db) -> User:
    return User.objects.create_user("mira-kowalski", "mira.kowalski@example.net", PASSWORD)


def test_redact_hides_tokens_and_nothing_else():
    path = "/s/4/close/confirm/eyJyIjo1LCJuIjoiYWJjIn0:1tX9:Qw-e_r/"
    assert (
        redact(f'"GET {path} HTTP/1.1" 302') == f'"GET /s/4/close/confirm/{HIDDEN}/ HTTP/1.1" 302'
    )
    assert redact("/s/4/close/confirm/") == "/s/4/close/confirm/"
    assert redact(redact(path)) == redact(path)
    assert redact("/s/4/close/request/") == "/s/4/close/request/"


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        ("/password/reset/MQ/cbxm5u-4f1d0e9c2b7a6d5e4f3a2b1c0d9e8f7a/", "/password/reset/MQ/"),
        ("/password/reset/MTI/set-password/", None),  # Django's token-less step: kept
        ("/password/reset/sent/", None),
        ("/password/reset/done/", None),
        ("/join/3qY8c-Zt_0rT9xLw2mN4bV6cX8zA1sD3/", "/join/"),
        ("/email/verify/MQ/cbxm5u-4f1d0e9c2b7a6d5e/", "/email/verify/MQ/"),
    ],
)
def test_every_token_bearing_path_is_hidden(path, shown):
    line = f'127.0.0.1 - - "GET {path}?next=/x/ HTTP/1.1" 302 0 "https://site{path}"'
    if shown is None:
        assert redact(line) == line
        return
    assert redact(line) == line.replace(path, f"{shown}{HIDDEN}/")
    assert redact(redact(line)) == redact(line)


def test_the_filter_rewrites_a_record_with_arguments():
    import logging

    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "Not Found: %s",
        ("/close/confirm/abc/",),
        None,
    )
    assert RedactSecretsFilter().filter(record) is True
    assert record.getMessage() == f"Not Found: /close/confirm/{HIDDEN}/"


def test_the_deletion_flow_logs_no_secret_and_no_personal_detail(owner, queue):
    account = ready_for_deletion(small_account(owner, name="Mira's workshop"))
    sandbox = account.sandbox
    personal = {owner.username, owner.email, account.display_name, account.contact_email}
    for name, email in Customer.objects.filter(account=account).values_list("name", "email"):
        personal |= {name, email}
    client = Client()
    with every_log_line() as lines:
        login = reverse("login")
        assert (
            client.post(login, {"username": owner.username, "password": WRONG}).status_code == 200
        )
        assert (
            client.post(login, {"username": owner.username, "password": PASSWORD}).status_code
            == 302
        )
        ask = reverse("request_deletion", args=[sandbox.pk])
        refused = client.post(ask, {"password": WRONG, "acknowledged": "on"})
        assert refused.status_code == 409
        assert client.post(ask, {"password": PASSWORD, "acknowledged": "on"}).status_code == 302

        deletion = DeletionRequest.objects.get(account=account)
        send_deletion_confirmation_task(deletion.pk)
        token = deletion_token(deletion)
        message = InboxMessage.objects.get(account=account, kind="deletion_confirmation")
        assert (
            client.get(reverse("inbox_message", args=[sandbox.pk, message.pk])).status_code == 200
        )
        link = reverse("confirm_deletion", args=[sandbox.pk, token])
        assert client.post(link).status_code == 405  # a warning that names the path
        assert client.get(link).status_code == 302
        page = reverse("confirm_deletion_page", args=[sandbox.pk])
        assert client.get(page).status_code == 200
        assert client.post(page).status_code == 200
        assert client.get(reverse("confirm_deletion", args=[999_999, token])).status_code == 302
        assert client.get(reverse("confirm_deletion_page", args=[999_999])).status_code == 404

        advance_clock(actor=Actor.trainee(owner), sandbox=sandbox, by=timedelta(days=31))
        sweep_sandbox(sandbox=sandbox)
    account.refresh_from_db()
    assert account.status == "deleted"

    text = "\n".join(lines)
    assert "Method Not Allowed" in text and f"/close/confirm/{HIDDEN}/" in text  # it did log
    secrets = {PASSWORD, WRONG, token, deletion.nonce, token.split(":")[0]}
    leaked = sorted(s for s in secrets | personal if s and s in text)
    assert not leaked, f"in the logs: {leaked}\n{text}"


def test_staff_read_the_inbox_with_the_token_hidden(owner, queue):
    account = ready_for_deletion(small_account(owner))
    client = Client()
    client.force_login(owner)
    client.post(
        reverse("request_deletion", args=[account.sandbox.pk]),
        {"password": PASSWORD, "acknowledged": "on"},
    )
    deletion = DeletionRequest.objects.get(account=account)
    send_deletion_confirmation_task(deletion.pk)
    token = deletion_token(deletion)
    message = InboxMessage.objects.get(account=account, kind="deletion_confirmation")
    assert token in str(message.links)  # the owner's own inbox has the working link

    agent = User.objects.create_user("agent", "agent@example.com", "agent-pass-9", is_staff=True)
    agent.user_permissions.add(Permission.objects.get(codename="view_inboxmessage"))
    staff = Client()
    staff.force_login(agent)
    pages = [
        reverse("admin:lifecycle_inboxmessage_changelist"),
        reverse("admin:lifecycle_inboxmessage_change", args=[message.pk]),
    ]
    for address in pages:
        response = staff.get(address)
        assert response.status_code == 200
        assert token not in response.content.decode(), address
    shown = staff.get(pages[1]).content.decode()
    assert f"/close/confirm/{HIDDEN}/" in shown and "Confirm the deletion" in shown
