"""The pages the emails link to: confirm a deletion, download an export."""

from datetime import timedelta

import pytest
from django.urls import reverse

from accounts.models import AccountStatus
from lifecycle.errors import LifecycleError
from lifecycle.exporting import build_export
from lifecycle.models import DeletionStatus, Outcome, TimelineEvent
from lifecycle.services import (
    advance_clock,
    confirm_deletion,
    deletion_token,
    request_deletion,
    request_export,
)
from lifecycle.transitions import Action
from tests.engine_guard import arranging
from tests.rulebook import days_of, rule

from .jobs_helpers import PASSWORD, ready_for_deletion, small_account

GRACE = f"Confirm: delete this account in {days_of('DELETION_GRACE')}".encode()

pytestmark = pytest.mark.usefixtures("own_media")  # files of this test only


@pytest.fixture
def account(trainee):
    return ready_for_deletion(small_account(trainee))


def confirm_url(account, token: str) -> str:
    return reverse("confirm_deletion", kwargs={"sandbox_id": account.sandbox_id, "token": token})


def page_url(account) -> str:
    return reverse("confirm_deletion_page", kwargs={"sandbox_id": account.sandbox_id})


def open_link(client, link: str):
    """Open the emailed link: it keeps the token in the session and redirects to the page."""
    hop = client.get(link)
    assert hop.status_code == 302
    assert "/close/confirm/" in hop["Location"] and link not in hop["Location"]
    return client.get(hop["Location"])


@pytest.fixture
def link(account, as_trainee) -> str:
    deletion = request_deletion(
        actor=as_trainee, account=account, password=PASSWORD, acknowledged=True
    )
    return confirm_url(account, deletion_token(deletion))


def test_the_link_moves_its_token_out_of_the_address(client, trainee, account, link):
    client.force_login(trainee)
    hop = client.get(link)
    assert hop.status_code == 302 and hop["Location"] == page_url(account)
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert token not in hop["Location"]
    page = client.get(hop["Location"])
    assert token not in page.content.decode()  # not in the form's action either
    assert GRACE in page.content


def test_get_explains_and_post_confirms(client, trainee, account, link):
    client.force_login(trainee)
    page = open_link(client, link)
    assert page.status_code == 200
    assert GRACE in page.content
    account.refresh_from_db()
    assert account.status == AccountStatus.DELETION_REQUESTED  # a GET changes nothing

    done = client.post(page_url(account))
    assert done.status_code == 200
    assert b"Deletion confirmed" in done.content
    account.refresh_from_db()
    assert account.status == AccountStatus.DELETION_SCHEDULED
    # The used token is forgotten; the form sent again shows the confirmation, and does nothing.
    events = TimelineEvent.objects.count()
    sent_again = client.post(page_url(account))
    assert sent_again.status_code == 200 and b"Deletion confirmed" in sent_again.content
    assert TimelineEvent.objects.count() == events
    reopened = open_link(client, link)  # the used link offers no button that could only fail
    assert reopened.status_code == 409
    assert b'data-code="token_used"' in reopened.content
    assert b"Confirm: delete this account" not in reopened.content
    again = client.post(page_url(account))
    assert again.status_code == 409
    assert b'data-code="token_used"' in again.content


def test_an_expired_link_is_refused_with_409(client, trainee, account, link, as_trainee):
    advance_clock(
        actor=as_trainee,
        sandbox=account.sandbox,
        by=rule("DELETION_LINK_VALID_FOR") + timedelta(minutes=1),
    )
    client.force_login(trainee)
    opened = open_link(client, link)
    assert opened.status_code == 409
    assert b'data-code="token_expired"' in opened.content
    assert b"Confirm: delete this account" not in opened.content
    response = client.post(page_url(account))
    assert response.status_code == 409
    assert b'data-code="token_expired"' in response.content
    assert account.deletion_requests.get().status == DeletionStatus.PENDING


def test_a_forged_or_foreign_link_is_refused_with_400(client, trainee, account, link):
    client.force_login(trainee)
    forged = open_link(client, confirm_url(account, "not-a-token"))
    assert forged.status_code == 400
    assert b'data-code="token_invalid"' in forged.content
    other = small_account(trainee, name="Second shop")
    token = link.rstrip("/").rsplit("/", 1)[1]
    client.get(confirm_url(other, token))
    foreign = client.post(page_url(other))
    assert foreign.status_code == 400
    account.refresh_from_db()
    assert account.status == AccountStatus.DELETION_REQUESTED


def test_the_page_without_a_link_opened_first_confirms_nothing(client, trainee, account, link):
    client.force_login(trainee)
    for response in (client.get(page_url(account)), client.post(page_url(account))):
        assert response.status_code == 400
        assert b'data-code="token_invalid"' in response.content
    account.refresh_from_db()
    assert account.status == AccountStatus.DELETION_REQUESTED


def test_an_overlong_token_is_not_kept(client, trainee, account):
    client.force_login(trainee)
    client.get(confirm_url(account, "x" * 10_000))
    assert all(len(str(v)) <= 512 for v in client.session.values())


@pytest.mark.parametrize("who", ["other_trainee", "staff_user"])
def test_only_the_owner_reaches_the_page(client, link, who, request, account):
    client.force_login(request.getfixturevalue(who))
    assert client.get(link, follow=True).status_code == 404
    assert client.post(page_url(account)).status_code == 404
    account.refresh_from_db()
    assert account.status == AccountStatus.DELETION_REQUESTED


def test_signed_out_visitors_sign_in_and_land_on_the_page(client, trainee, account, link):
    hop = client.get(link)
    assert hop["Location"] == page_url(account)
    response = client.get(hop["Location"])
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert link.rstrip("/").rsplit("/", 1)[1] not in response["Location"]
    signed = client.post(
        response["Location"], {"username": "trainee", "password": "correct-horse-9"}
    )
    assert signed["Location"] == page_url(account)
    page = client.get(page_url(account))  # the token survived signing in
    assert GRACE in page.content


# --- download ----------------------------------------------------------------------------------


@pytest.fixture
def ready(account, as_trainee):
    return build_export(request_export(actor=as_trainee, account=account).pk)


def download_url(export) -> str:
    return reverse(
        "download_export",
        kwargs={"sandbox_id": export.account.sandbox_id, "export_id": export.pk},
    )


def test_the_owner_downloads_the_file(client, trainee, ready):
    client.force_login(trainee)
    response = client.get(download_url(ready))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert f"seller-data-export-{ready.pk}.zip" in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    assert body[:2] == b"PK" and len(body) == ready.size_bytes
    ready.refresh_from_db()
    assert ready.downloaded_at is not None


@pytest.mark.parametrize("who", ["other_trainee", "staff_user"])
def test_nobody_else_downloads(client, ready, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(download_url(ready)).status_code == 404
    ready.refresh_from_db()
    assert ready.downloaded_at is None


def test_an_expired_export_is_gone(client, trainee, ready, as_trainee):
    advance_clock(actor=as_trainee, sandbox=ready.account.sandbox, by=rule("EXPORT_LINK_VALID_FOR"))
    client.force_login(trainee)
    response = client.get(download_url(ready))
    assert response.status_code == 410
    assert b'data-code="export_expired"' in response.content
    refusal = TimelineEvent.objects.filter(outcome=Outcome.REFUSED).latest("id")
    assert refusal.action == Action.DOWNLOAD_EXPORT


def test_a_ready_export_whose_file_is_gone_is_not_counted_as_downloaded(client, trainee, ready):
    ready.file.storage.delete(ready.file.name)
    client.force_login(trainee)
    response = client.get(download_url(ready))
    assert response.status_code == 410
    assert b'data-code="export_file_missing"' in response.content
    ready.refresh_from_db()
    assert ready.downloaded_at is None  # no file, no backup for the deletion checklist


def test_an_export_not_ready_yet_says_so(client, trainee, account, as_trainee):
    export = request_export(actor=as_trainee, account=account)
    client.force_login(trainee)
    response = client.get(download_url(export))
    assert response.status_code == 409
    assert b"once it is ready" in response.content


def test_a_deleted_account_has_no_download(client, trainee, ready):
    with arranging():  # set-up: a state the services reach only slowly
        type(ready.account).objects.filter(pk=ready.account_id).update(status=AccountStatus.DELETED)
    client.force_login(trainee)
    assert client.get(download_url(ready)).status_code == 404


def test_healthz_says_when_the_database_is_down(client, monkeypatch):
    from lifecycle import email_views

    class Down:
        def cursor(self):
            raise email_views.connection.Database.OperationalError("down")

    monkeypatch.setattr(email_views, "connection", Down())
    monkeypatch.setattr(email_views, "broker_ok", lambda: True)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "down"
    # Without the database the heartbeats cannot be read: unknown, not guessed.
    assert (body["worker"], body["scheduler"]) == ("unknown", "unknown")
    assert "workers" not in body  # names are for staff and a monitor with the token


# --- What each refused link leaves on the timeline (issue 19) -----------------------------------


def latest_events(sandbox, since):
    return list(
        TimelineEvent.objects.filter(sandbox=sandbox, pk__gt=since)
        .order_by("id")
        .values_list("action", "outcome", "code", "subject_type", "subject_id", "before")
    )


def newest_id():
    return TimelineEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def test_opening_an_expired_link_writes_its_refusal_on_the_account(
    client, trainee, account, link, as_trainee
):
    advance_clock(
        actor=as_trainee,
        sandbox=account.sandbox,
        by=rule("DELETION_LINK_VALID_FOR") + timedelta(minutes=1),
    )
    client.force_login(trainee)
    since = newest_id()
    assert open_link(client, link).status_code == 409  # opened only: nothing pressed
    assert latest_events(account.sandbox, since) == [
        (
            Action.CONFIRM_DELETION,
            Outcome.REFUSED,
            "token_expired",
            "account",
            account.pk,
            AccountStatus.DELETION_REQUESTED,
        )
    ]
    refused = TimelineEvent.objects.get(pk__gt=since)
    assert refused.params == {"request_id": account.deletion_requests.get().pk, "opened": True}


def test_opening_a_used_link_writes_its_refusal_on_the_account(client, trainee, account, link):
    client.force_login(trainee)
    open_link(client, link)
    assert client.post(page_url(account)).status_code == 200  # confirmed
    since = newest_id()
    assert open_link(client, link).status_code == 409
    assert latest_events(account.sandbox, since) == [
        (
            Action.CONFIRM_DELETION,
            Outcome.REFUSED,
            "token_used",
            "account",
            account.pk,
            AccountStatus.DELETION_SCHEDULED,
        )
    ]


def test_a_forged_link_writes_its_refusal_on_the_sandbox_it_names(client, trainee, account, link):
    client.force_login(trainee)
    since = newest_id()
    assert open_link(client, confirm_url(account, "not-a-token")).status_code == 400
    sandbox = account.sandbox
    sandbox.refresh_from_db()
    assert latest_events(sandbox, since) == [
        (
            Action.CONFIRM_DELETION,
            Outcome.REFUSED,
            "token_invalid",
            "sandbox",
            sandbox.pk,
            str(sandbox.clock_offset),
        )
    ]
    # Another sandbox's real link, opened in this one, is no link of this one: refused here.
    other = small_account(trainee, name="Second shop")
    token = link.rstrip("/").rsplit("/", 1)[1]
    since = newest_id()
    assert open_link(client, confirm_url(other, token)).status_code == 400
    assert [e[2:4] for e in latest_events(other.sandbox, since)] == [("token_invalid", "sandbox")]
    assert latest_events(sandbox, since) == []


def test_a_forged_link_naming_no_sandbox_is_only_logged(as_trainee, account, caplog):
    since = newest_id()
    with pytest.raises(LifecycleError) as err:
        confirm_deletion(actor=as_trainee, token="forged")
    assert err.value.code == "token_invalid"
    assert not TimelineEvent.objects.filter(pk__gt=since).exists()
    assert "Refused confirm_deletion (token_invalid), on no timeline" in caplog.text


def test_opening_a_usable_link_writes_nothing(client, trainee, account, link):
    client.force_login(trainee)
    since = newest_id()
    assert open_link(client, link).status_code == 200
    assert latest_events(account.sandbox, since) == []
