"""The support desk in a real browser: an agent finds a trainee by email, cancels the pending
deletion with an internal reason and "tell the seller" with a message, and the trainee sees the
email and the events with the message, never the reason.
The case page and the dashboard are photographed for the README and must fit a phone."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from .conftest import DESKTOP, PASSWORD, PHONE, act, log_in, shoot, visit
from .test_screenshots import OVERFLOW_JS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "The trainee wrote that they closed the account by mistake"
TOLD = "We have cancelled the deletion: your account stays open."


@pytest.fixture
def agent(transactional_db):
    from accounts.models import User
    from accounts.roles import ensure_support_group

    user = User.objects.create_user("desk-agent", "desk@example.com", PASSWORD, is_staff=True)
    user.groups.add(ensure_support_group())
    return user


@pytest.fixture
def pending_deletion(seller):
    from lifecycle.services import Actor, request_deletion, send_deletion_confirmation
    from tests.lifecycle.helpers import SWEEP

    request = request_deletion(
        actor=Actor.trainee(seller.sandbox.owner),
        account=seller,
        password=PASSWORD,
        acknowledged=True,
    )
    send_deletion_confirmation(actor=SWEEP, request=request)
    return request


def admin_log_in(page: Page, username: str) -> None:
    visit(page, reverse("admin:login"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    act(page, page.get_by_role("button", name="Log in"), path=reverse("admin:index"))


def test_an_agent_cancels_a_pending_deletion_and_the_trainee_is_told(
    new_page, agent, seller, pending_deletion
):
    page = new_page(DESKTOP)
    admin_log_in(page, agent.username)
    page.get_by_role("searchbox", name="Find a seller").fill(seller.sandbox.owner.email)
    case_url = reverse("support:case", args=[seller.pk])
    act(page, page.get_by_role("button", name="Find a seller"), path=case_url)
    expect(page.get_by_text("Waiting for email confirmation").first).to_be_visible()
    shoot(page, "support-case", docs=True)

    act(page, page.get_by_role("button", name="Cancel deletion…"))
    expect(page.get_by_text("the request waiting for its email is cancelled")).to_be_visible()
    page.get_by_label(re.compile("^Internal reason")).fill(REASON)
    page.get_by_label(re.compile("^Tell the seller")).check()
    page.get_by_label(re.compile("^Message to the seller")).fill(TOLD)
    act(page, page.get_by_role("button", name="Cancel deletion", exact=True), path=case_url)
    expect(page.get_by_text("The seller was told by email.")).to_be_visible()
    expect(page.get_by_text(f"Reason: {REASON}").first).to_be_visible()

    visit(page, reverse("support:dashboard"))
    shoot(page, "support-dashboard", docs=True)

    # The lead's view: every staff action, with its internal reason and what the seller was told.
    visit(page, reverse("support:audit"))
    row = page.locator("#audit-log tr", has_text="Cancel deletion").first
    expect(row).to_contain_text(f"Reason: {REASON}")
    told = page.locator("#audit-log tr", has_text="Send email").first
    expect(told).to_contain_text(f"Told the seller: “{TOLD}”")
    shoot(page, "support-audit", docs=True)

    trainee = new_page(DESKTOP)
    log_in(trainee, seller.sandbox.owner.username)
    visit(trainee, reverse("inbox", args=[seller.sandbox.pk]))
    email = trainee.get_by_text("Support cancelled the deletion of your seller account").first
    expect(email).to_be_visible()
    visit(trainee, reverse("timeline", args=[seller.sandbox.pk]))
    row = trainee.locator("#timeline-rows tr", has_text="Cancel deletion").first
    expect(row).to_contain_text(agent.username)
    expect(trainee.locator("#timeline-rows")).not_to_contain_text(REASON)
    told = trainee.locator("#timeline-rows tr", has_text="Send email").first
    expect(told).to_contain_text(f"Support's message: {TOLD}")


def test_the_case_page_and_the_dashboard_fit_a_phone(new_page, agent, seller, pending_deletion):
    page = new_page(PHONE)
    admin_log_in(page, agent.username)
    too_wide = {}
    for url in (reverse("support:case", args=[seller.pk]), reverse("support:dashboard")):
        visit(page, url)
        shoot(page, url.strip("/").replace("/", "-"))
        sticking_out = page.evaluate(OVERFLOW_JS)
        if sticking_out:
            too_wide[url] = sticking_out
    assert not too_wide, f"wider than a 375px screen: {too_wide}"
    # The timeline scrolls within itself rather than being clipped.
    timeline = page.locator("#case-timeline ~ .support-scroll")
    visit(page, reverse("support:case", args=[seller.pk]))
    assert timeline.evaluate("e => getComputedStyle(e).overflowX") == "auto"
