"""Pages that said what to do without a way to do it (issue 8, item 11): the wrong password that
cleared the tick, the expired link with no way to ask again, and the type switch refused while
deactivated with no way to reactivate."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from accounts.models import AccountStatus
from lifecycle.models import InboxMessage
from lifecycle.services import (
    Actor,
    advance_clock,
    cancel_deletion,
    deactivate_account,
    deletion_token,
    lapse_deletion,
    request_deletion,
    send_lapse_notice,
)
from tests.rulebook import rule

from .jobs_helpers import PASSWORD, ready_for_deletion, small_account

pytestmark = pytest.mark.usefixtures("own_media")


@pytest.fixture
def account(trainee):
    return ready_for_deletion(small_account(trainee))


@pytest.fixture
def signed_in(client, trainee):
    client.force_login(trainee)
    return client


def close_url(account) -> str:
    return reverse("close_account", args=[account.sandbox_id])


# --- A wrong password keeps what was entered ------------------------------------------------


def test_a_wrong_password_keeps_the_tick_and_asks_only_for_the_password(signed_in, account):
    response = signed_in.post(
        reverse("request_deletion", args=[account.sandbox_id]),
        {"password": "not-my-password", "acknowledged": "on"},
    )
    assert response.status_code == 409
    assert "That password is not right" in response.content.decode()
    form = response.context["form"]
    assert form["acknowledged"].value() is True
    tick = re.search(r'<input[^>]+name="acknowledged"[^>]*>', response.content.decode()).group(0)
    assert "checked" in tick
    assert "not-my-password" not in response.content.decode()  # a password is never echoed
    account.refresh_from_db()
    assert account.status == AccountStatus.ACTIVE


def test_a_missing_tick_stays_unticked(signed_in, account):
    response = signed_in.post(
        reverse("request_deletion", args=[account.sandbox_id]), {"password": PASSWORD}
    )
    assert response.status_code == 409
    assert response.context["form"]["acknowledged"].value() is False


# --- The link that no longer works offers a new request --------------------------------------


def open_link(client, account, deletion):
    token = deletion_token(deletion)
    hop = client.get(reverse("confirm_deletion", args=[account.sandbox_id, token]))
    return client.get(hop["Location"])


def test_an_expired_link_offers_to_start_a_new_request(signed_in, account, as_trainee):
    deletion = request_deletion(
        actor=as_trainee, account=account, password=PASSWORD, acknowledged=True
    )
    by = rule("DELETION_LINK_VALID_FOR") + timedelta(minutes=1)
    advance_clock(actor=as_trainee, sandbox=account.sandbox, by=by)
    page = open_link(signed_in, account, deletion)
    assert page.status_code == 409 and b'data-code="token_expired"' in page.content
    link = re.search(r'<a[^>]+href="([^"]+)"[^>]*>\s*Start a new request', page.content.decode())
    assert link and link.group(1) == close_url(account)


def test_a_cancelled_request_s_link_offers_a_new_request_too(signed_in, account, as_trainee):
    deletion = request_deletion(
        actor=as_trainee, account=account, password=PASSWORD, acknowledged=True
    )
    cancel_deletion(actor=as_trainee, account=account)
    page = open_link(signed_in, account, deletion)
    assert b'data-code="request_closed"' in page.content
    assert f'href="{close_url(account)}"'.encode() in page.content


def test_a_used_link_offers_no_new_request(signed_in, account, as_trainee):
    deletion = request_deletion(
        actor=as_trainee, account=account, password=PASSWORD, acknowledged=True
    )
    page = open_link(signed_in, account, deletion)
    signed_in.post(page.request["PATH_INFO"])
    again = open_link(signed_in, account, deletion)
    assert b'data-code="token_used"' in again.content
    assert b"Start a new request" not in again.content


# --- A type switch refused while deactivated offers to reactivate -----------------------------


def test_the_account_type_page_of_a_deactivated_account_offers_to_reactivate(
    signed_in, trainee, as_trainee
):
    account = small_account(trainee)
    deactivate_account(actor=as_trainee, account=account)
    type_url = reverse("account_type", args=[account.sandbox_id])
    refused = signed_in.post(type_url, {"account_type": "creator", "category": "art"})
    assert refused.status_code == 409
    body = refused.content.decode()
    assert "the type can be switched only while it is active" in body
    form = re.search(
        rf'<form[^>]+action="{reverse("reactivate", args=[account.sandbox_id])}"(?:(?!</form>).)*',
        body,
        re.S,
    )
    assert form and f'name="next" value="{type_url}"' in form.group(0)
    back = signed_in.post(reverse("reactivate", args=[account.sandbox_id]), {"next": type_url})
    assert (back.status_code, back["Location"]) == (302, type_url)
    account.refresh_from_db()
    assert account.status == AccountStatus.ACTIVE
    assert b"Reactivate the account" not in signed_in.get(type_url).content


def test_reactivating_never_follows_a_next_to_another_site(signed_in, trainee, as_trainee):
    account = small_account(trainee)
    deactivate_account(actor=as_trainee, account=account)
    response = signed_in.post(
        reverse("reactivate", args=[account.sandbox_id]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("close_or_pause", args=[account.sandbox_id])


def test_the_lapse_notice_links_to_a_new_request(account, as_trainee):
    deletion = request_deletion(
        actor=as_trainee, account=account, password=PASSWORD, acknowledged=True
    )
    by = rule("DELETION_LINK_VALID_FOR") + timedelta(minutes=1)
    advance_clock(actor=as_trainee, sandbox=account.sandbox, by=by)
    sweep = Actor.job("sweep")
    lapse_deletion(actor=sweep, request=deletion)
    assert send_lapse_notice(actor=sweep, request=deletion)
    notice = InboxMessage.objects.get(sandbox=account.sandbox, subject__contains="expired")
    assert {"label": "Start a new request", "url": close_url(account)} in notice.links
