"""What the trainee sees of the account's status after an action (issue 8, items 4, 5 and 6).

Every page's top bar carries the status badge and the deletion banner; an answer that changes the
status must show the new one in both, whether it arrives as a full page or as htmx's boosted swap.
"""

import re

import pytest
from django.urls import reverse

from accounts.models import AccountStatus
from lifecycle.services import (
    advance_clock,
    cancel_deletion,
    deletion_token,
    request_deletion,
    run_due_work,
)
from tests.rulebook import rule
from tests.web import clock_form

from .helpers import PASSWORD, SCHEDULED, build_world, drive_to
from .jobs_helpers import ready_for_deletion, small_account

BOOSTED = {"HTTP_HX_REQUEST": "true", "HTTP_HX_BOOSTED": "true"}


def badge(response) -> str:
    found = re.search(r'data-testid="status-badge">([^<]*)<', response.content.decode())
    assert found, "the page has no status badge"
    return found.group(1)


# --- Item 4: the confirmation's answer shows the scheduled status -------------------------------


@pytest.fixture
def opened_link(client, trainee, as_trainee):
    account = ready_for_deletion(small_account(trainee))
    deletion = request_deletion(
        actor=as_trainee, account=account, password=PASSWORD, acknowledged=True
    )
    client.force_login(trainee)
    link = reverse(
        "confirm_deletion",
        kwargs={"sandbox_id": account.sandbox_id, "token": deletion_token(deletion)},
    )
    client.get(link)
    return account


@pytest.mark.parametrize("headers", [{}, BOOSTED], ids=["plain", "boosted"])
def test_confirming_shows_the_scheduled_badge_with_the_banner(client, opened_link, headers):
    page_url = reverse("confirm_deletion_page", kwargs={"sandbox_id": opened_link.sandbox_id})
    assert badge(client.get(page_url)) == "Deletion requested"

    done = client.post(page_url, **headers)

    assert done.status_code == 200
    opened_link.refresh_from_db()
    assert opened_link.status == AccountStatus.DELETION_SCHEDULED
    assert badge(done) == "Deletion scheduled"  # the same answer as the banner's
    assert 'data-testid="deletion-banner"' in done.content.decode()
    assert b"will be deleted for good on" in done.content


def test_the_confirmation_points_at_the_cancel_button_it_shows(client, opened_link):
    page_url = reverse("confirm_deletion_page", kwargs={"sandbox_id": opened_link.sandbox_id})
    text = client.post(page_url).content.decode()
    assert "from Account Settings" not in text
    assert "Cancel the deletion" in text  # the banner's button, which the sentence names
    assert "button in the banner" in text


@pytest.mark.parametrize("method", ["get", "post"], ids=["reload", "sent-again"])
def test_the_confirmed_page_reloads_as_confirmed(client, opened_link, method):
    """A reload after confirming (a GET after the boosted post, or the form sent again) shows the
    confirmation, not "this link is not valid": the link was used, by this trainee, just now."""
    page_url = reverse("confirm_deletion_page", kwargs={"sandbox_id": opened_link.sandbox_id})
    assert client.post(page_url).status_code == 200
    again = getattr(client, method)(page_url)
    assert again.status_code == 200
    text = again.content.decode()
    assert "will be deleted for good on" in text
    assert "not valid" not in text
    assert badge(again) == "Deletion scheduled"


def test_the_confirmed_page_says_so_no_more_once_the_deletion_is_cancelled(
    client, opened_link, as_trainee
):
    page_url = reverse("confirm_deletion_page", kwargs={"sandbox_id": opened_link.sandbox_id})
    client.post(page_url)
    cancel_deletion(actor=as_trainee, account=opened_link)
    text = client.get(page_url).content.decode()
    assert "will be deleted for good on" not in text


# --- Item 5: the finalization seen from any page -------------------------------------------------


@pytest.fixture
def due(trainee):
    """A scheduled deletion whose finalization the clock's next move reaches."""
    return drive_to(build_world(trainee), SCHEDULED)


@pytest.mark.parametrize("name", ["inbox", "lifecycle_map", "dashboard"])
def test_moving_the_clock_to_the_finalization_lands_on_the_deleted_page(
    client, trainee, due, name, queue
):
    client.force_login(trainee)
    here = reverse(name, args=[due.sandbox.pk])
    moved = client.post(
        reverse("advance_clock", args=[due.sandbox.pk]), clock_form(due.sandbox, "30d", next=here)
    )
    assert moved.status_code == 302 and moved["Location"] == here
    run_due_work(sandbox=due.sandbox)  # what the queued sweep does, before the page loads
    due.refresh()
    assert due.account.status == AccountStatus.DELETED
    response = client.get(here, follow=True)
    text = response.content.decode()
    assert "This seller account was deleted" in text
    assert "No emails yet." not in text
    assert badge(response) == "Deleted"


@pytest.mark.parametrize("name", ["inbox", "timeline", "lifecycle_map", "dashboard"])
def test_every_page_of_a_deleted_account_says_it_was_deleted(client, trainee, due, name):
    advance_clock(actor=due.actor, sandbox=due.sandbox, by=rule("DELETION_GRACE"))
    run_due_work(sandbox=due.sandbox)
    client.force_login(trainee)
    response = client.get(reverse(name, args=[due.sandbox.pk]), follow=True)
    assert response.status_code == 200
    assert "This seller account was deleted" in response.content.decode()


@pytest.mark.parametrize("name", ["close_account", "exports", "dashboard"])
def test_a_polling_region_of_a_deleted_account_sends_the_browser_to_the_deleted_page(
    client, trainee, due, name
):
    """htmx would follow a plain redirect and swap the whole deleted page into the polled
    region (the close checklist, an export's row): it is told to navigate instead."""
    advance_clock(actor=due.actor, sandbox=due.sandbox, by=rule("DELETION_GRACE"))
    run_due_work(sandbox=due.sandbox)
    client.force_login(trainee)
    response = client.get(reverse(name, args=[due.sandbox.pk]), HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == reverse("account_deleted", args=[due.sandbox.pk])
    assert b"<html" not in response.content
