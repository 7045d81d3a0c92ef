"""RULEBOOK §11: a staff action's internal reason stays on the record; only a message the agent
chose to send ("Tell the seller") reaches the seller, in the inbox and on the timeline; refused
staff attempts are not shown to the seller.

The seller's pages are walked after every staff action (each with an internal reason), and no
staff-only text may appear on any of them, nor in any email of the sandbox's inbox.
"""

import pytest
from django.urls import reverse

from accounts.models import AccountStatus
from lifecycle.models import ExportStatus, InboxMessage, Outcome, TimelineEvent
from lifecycle.transitions import Action
from shops.models import Shop
from tests.accounts.factories import UserFactory
from tests.support_admin import client_for, post_action, reported
from tests.test_html_validity import Page, seller_center
from tests.test_page_text import visible_text
from tests.web import demo, url

INTERNAL = "approved by team lead (ticket 1234)"
TOLD = "We have cancelled this at your request."
SANDBOX = "accounts.sandbox"
ACCOUNT = "accounts.selleraccount"
SHOP = "shops.shop"
EXPORT = "lifecycle.exportjob"
AFTER_RESET = ("dashboard", "timeline", "inbox", "exports", "close_account", "orders")


@pytest.fixture(autouse=True)
def _no_real_queue(queue):
    """Exports are requested without a broker."""


@pytest.fixture
def lead(db):
    return UserFactory(username="lead", is_staff=True, is_superuser=True)


@pytest.fixture
def sandbox(trainee):
    return demo(trainee)


def deactivate(desk, account, **data):
    """The confirmed "Deactivate" form, with the internal reason unless given."""
    data = {"confirm": "yes", "reason": INTERNAL, **data}
    return post_action(desk, ACCOUNT, "deactivate", [account], **data)


def staff_only_text_on_seller_pages(client, pages, sandbox) -> list[str]:
    """Where the internal reason shows to the seller: a page's text or HTML, or an email."""
    leaks = []
    for page in pages:
        response = client.get(page.address)
        html = response.content.decode()
        if INTERNAL in html or INTERNAL in visible_text(html):
            leaks.append(page.name)
    for message in InboxMessage.objects.filter(sandbox=sandbox):
        if INTERNAL in message.body or INTERNAL in message.subject:
            leaks.append(f"email {message.subject}")
        response = client.get(reverse("inbox_message", args=[sandbox.pk, message.pk]))
        if INTERNAL in response.content.decode():
            leaks.append(f"email page {message.subject}")
    return leaks


def test_no_internal_reason_reaches_any_seller_page_after_any_staff_action(client, trainee, lead):
    client.force_login(trainee)
    pages = seller_center(client, trainee)
    desk = client_for(lead)
    sandbox = trainee.sandboxes.get()
    account = sandbox.account
    shop = Shop.objects.filter(links__account=account, links__unlinked_at=None).first()
    failed = account.exports.get(status=ExportStatus.FAILED)
    confirm = {"confirm": "yes", "reason": INTERNAL}
    told = {**confirm, "tell_seller": "on", "message": TOLD}
    steps = [
        (ACCOUNT, "deactivate", [account], told),
        (ACCOUNT, "deactivate", [account], confirm),  # a repeat: changes nothing
        (ACCOUNT, "reactivate", [account], confirm),
        (ACCOUNT, "cancel_deletion", [account], told),  # refused: no deletion to cancel
        (ACCOUNT, "resend_confirmation", [account], confirm),  # refused: no request
        (EXPORT, "retry_for_seller", [failed], confirm),
        (SHOP, "unlink", [shop], told),
        (SHOP, "unlink_override", [shop], confirm),  # refused: not linked any more
        (SANDBOX, "advance_one_day", [sandbox], confirm),
        (SANDBOX, "run_due_work_now", [sandbox], confirm),
        (SANDBOX, "reset_demo", [sandbox], confirm),
    ]
    walked = []
    for model, action, objects, data in steps:
        response = post_action(desk, model, action, objects, **data)
        assert response.status_code == 302, (action, response.status_code)
        if action == "reset_demo":  # the pages now belong to the fresh sandbox
            sandbox = trainee.sandboxes.get()
            pages = [Page(name, client, url(name, sandbox)) for name in AFTER_RESET]
        leaks = staff_only_text_on_seller_pages(client, pages, sandbox)
        assert not leaks, f"after {action}: the internal reason shows on {leaks}"
        walked.append(action)
    # Every staff action carried the reason onto the record, refusals included.
    events = TimelineEvent.objects.filter(actor=lead)
    assert events.filter(outcome=Outcome.REFUSED).count() >= 3
    assert all(e.params.get("reason") == INTERNAL for e in events)
    assert len(walked) == len(steps)


def test_the_message_to_the_seller_is_what_they_read_in_the_inbox_and_on_the_timeline(
    client, trainee, lead, sandbox
):
    response = deactivate(client_for(lead), sandbox.account, tell_seller="on", message=TOLD)
    assert "The seller was told by email." in reported(response)[0][1]
    email = InboxMessage.objects.get(kind="support_deactivate")
    assert TOLD in email.body and INTERNAL not in email.body
    client.force_login(trainee)
    timeline = client.get(reverse("timeline", args=[sandbox.pk])).content.decode()
    assert f"Support's message: {TOLD}" in visible_text(timeline)
    assert INTERNAL not in timeline
    # The record keeps both: the reason on every event, the message on the email's.
    sent = TimelineEvent.objects.get(action=Action.SEND_EMAIL, actor=lead)
    assert (sent.params["reason"], sent.params["seller_message"]) == (INTERNAL, TOLD)


def test_tell_the_seller_needs_a_message(lead, sandbox):
    response = deactivate(client_for(lead), sandbox.account, tell_seller="on")
    assert response.status_code == 200  # the preview again, with the form's error
    assert "Write the message the seller gets" in response.content.decode()
    sandbox.account.refresh_from_db()
    assert sandbox.account.status == AccountStatus.ACTIVE


def test_the_form_says_the_reason_is_internal(lead, sandbox):
    html = post_action(client_for(lead), ACCOUNT, "deactivate", [sandbox.account]).content
    html = html.decode()
    assert "Internal reason" in html and "the seller never sees it" in html
    assert 'name="message"' in html
    # An action the seller is not told about offers no message and does not mention telling.
    html = post_action(client_for(lead), SANDBOX, "advance_one_day", [sandbox]).content.decode()
    assert 'name="message"' not in html and "tell" not in visible_text(html).lower()


def test_refused_staff_attempts_are_not_on_the_seller_s_pages(client, trainee, lead, sandbox):
    post_action(
        client_for(lead),
        ACCOUNT,
        "cancel_deletion",
        [sandbox.account],
        confirm="yes",
        reason=INTERNAL,
    )
    refusal = TimelineEvent.objects.get(actor=lead, outcome=Outcome.REFUSED)
    client.force_login(trainee)
    for query in ("", "?outcome=refused", "?actor=staff"):
        html = client.get(reverse("timeline", args=[sandbox.pk]) + query).content.decode()
        assert refusal.message not in html, query
    dashboard = client.get(reverse("dashboard", args=[sandbox.pk])).content.decode()
    assert refusal.message not in dashboard
    # The seller's own refusals stay on their timeline.
    assert TimelineEvent.objects.filter(sandbox=sandbox).count() > 1


def test_the_case_page_shows_staff_the_reason_once_stopped_and_what_the_seller_was_told(
    lead, sandbox
):
    desk = client_for(lead)
    deactivate(
        desk, sandbox.account, reason="Seller asked by phone.", tell_seller="on", message=TOLD
    )
    html = visible_text(
        desk.get(reverse("support:case", args=[sandbox.account.pk])).content.decode()
    )
    assert "Reason: Seller asked by phone." in html and ".." not in html
    assert f"Told the seller: “{TOLD}”" in html
