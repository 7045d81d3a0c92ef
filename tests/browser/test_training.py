"""Playing scenarios in a real browser: close the account the right way to a passing score (a
real Celery worker builds the export, sends the emails and runs the clock's due work), and fail
"unlink safely" to see the lesson and the reference steps."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from accounts.models import User
from training.models import Attempt

from .conftest import PASSWORD, act, axe, log_in, shoot
from .test_close_account import reload_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def player(transactional_db) -> User:
    return User.objects.create_user("mira", "mira@example.com", PASSWORD)


def _start(page: Page, title: str) -> Attempt:
    act(page, page.get_by_role("link", name="Training"), path=reverse("training"))
    card = page.get_by_role("region", name=title)
    act(page, card.get_by_role("button", name=re.compile("^Start")))
    attempt = Attempt.objects.order_by("-id").first()
    expect(page.get_by_test_id("brief")).to_be_visible()
    act(page, page.get_by_test_id("play"), path=reverse("dashboard", args=[attempt.sandbox_id]))
    return attempt


def _objective(page: Page, objective_id: str):
    return page.get_by_test_id(f"objective-{objective_id}")


def _nav(page: Page, name: str) -> None:
    act(page, page.get_by_role("navigation", name="Seller Center").get_by_role("link", name=name))


def test_close_the_account_the_right_way_to_a_passing_score(page, player, celery_worker):
    log_in(page, player.username)
    attempt = _start(page, "Close the account the right way")
    sandbox = attempt.sandbox_id
    expect(_objective(page, "account-deleted")).to_have_attribute("data-met", "no")

    _nav(page, "Orders")
    for number in (1001, 1002):
        page.get_by_label(f"Tracking number for order #{number}").fill(f"TRK-{number}")
        row = page.get_by_role("row", name=re.compile(f"#{number}"))
        act(page, row.get_by_role("button", name="Ship"))

    _nav(page, "Marketing")
    act(
        page,
        page.get_by_role("row", name=re.compile("Last orders")).get_by_role("link", name="End…"),
    )
    act(page, page.get_by_role("button", name=re.compile("^End")))

    _nav(page, "Data exports")
    act(page, page.get_by_role("button", name=re.compile("export", re.I)))
    download = page.get_by_role("link", name=re.compile("download", re.I))
    expect(download).to_be_visible(timeout=20_000)
    with page.expect_download():
        download.first.click()
    # No page is loaded by the download: the panel follows it by polling its own address, and
    # says the download is done and counts once the deletion is asked for.
    done = _objective(page, "export-before-request")
    expect(done).to_have_attribute("data-state", "waiting", timeout=15_000)
    expect(done).to_contain_text("Done, counts when you ask for the deletion")
    expect(page.get_by_test_id("panel-clock")).to_contain_text("of 35 days allowed")
    shoot(page, "training-panel", docs=True)

    act(
        page,
        page.get_by_role("navigation", name="Seller Center").get_by_role(
            "link", name="Account Settings"
        ),
    )
    act(page, page.get_by_role("link", name="Close or pause the account"))
    act(page, page.get_by_role("link", name=re.compile("^Start closing the account")))
    act(page, page.get_by_role("button", name="Notify customers"))
    reload_until(
        page,
        lambda: page.get_by_text("Customers were told on").count() > 0,
        what="the announcement to be sent",
    )
    expect(_objective(page, "customers-notified")).to_have_attribute("data-met", "no")
    page.get_by_label(re.compile("sign-in password")).fill(PASSWORD)
    page.get_by_role("checkbox", name=re.compile("I understand")).check()
    act(page, page.get_by_role("button", name="Request deletion"))
    expect(_objective(page, "export-before-request")).to_have_attribute("data-met", "yes")
    expect(_objective(page, "customers-notified")).to_have_attribute("data-met", "yes")

    act(page, page.get_by_role("link", name="Open the inbox"))
    email = page.get_by_role("link", name=re.compile("confirm", re.I))
    reload_until(page, lambda: email.count() > 0, what="the confirmation email")
    act(page, email.first)
    act(page, page.get_by_test_id("email-links").get_by_role("link").first)
    act(page, page.get_by_role("button", name=re.compile("^Confirm")))
    expect(_objective(page, "confirmed-by-email")).to_have_attribute("data-met", "yes")

    _nav(page, "Home")
    act(page, page.get_by_role("button", name="+30 days"))
    deleted = reverse("account_deleted", args=[sandbox])
    reload_until(page, lambda: page.url.endswith(deleted), what="the deletion to become final")
    expect(_objective(page, "account-deleted")).to_have_attribute("data-met", "yes")
    shoot(page, "training-close-account-checklist")

    act(page, page.get_by_role("button", name="Finish and grade"))
    expect(page.get_by_test_id("verdict")).to_contain_text("Passed")
    expect(page.get_by_test_id("verdict")).to_contain_text("100 of 100")
    expect(page.get_by_test_id("reference-steps")).to_have_count(0)
    shoot(page, "training-close-account-result")
    attempt.refresh_from_db()
    assert attempt.passed and attempt.score == 100 and attempt.sandbox_duration.days == 30


def test_unlink_safely_failed_shows_the_lesson_and_the_reference_steps(page, player):
    log_in(page, player.username)
    attempt = _start(page, "Unlink a shop safely")
    act(
        page,
        page.get_by_role("navigation", name="Seller Center").get_by_role(
            "link", name="Account Settings"
        ),
    )
    act(page, page.get_by_role("link", name="Linked accounts"))
    row = page.get_by_role("row", name=re.compile("Juniper Pop-up"))
    act(page, row.get_by_role("link", name=re.compile("^Unlink")))
    act(page, page.get_by_role("button", name="Unlink shop"))
    expect(_objective(page, "popup-unlinked")).to_have_attribute("data-met", "yes")
    expect(_objective(page, "export-before-unlink")).to_have_attribute("data-met", "no")

    act(page, page.get_by_role("button", name="Finish and grade"))
    path = reverse("attempt_result", args=[attempt.pk])
    assert page.url.endswith(path)
    expect(page.get_by_test_id("verdict")).to_contain_text("Not passed")
    missed = page.get_by_test_id("result-export-before-unlink")
    expect(missed).to_contain_text("Missed")
    expect(missed.get_by_test_id("lesson")).to_contain_text("Download an export before unlinking")
    reference = page.get_by_test_id("reference-steps").get_by_role("listitem")
    expect(reference).to_have_count(3)
    expect(reference.nth(0)).to_contain_text("ask for an export")
    expect(reference.nth(2)).to_contain_text("unlink Juniper Pop-up")
    expect(page.get_by_test_id("your-steps")).to_contain_text("Unlink shop: Juniper Pop-up")
    shoot(page, "training-unlink-safely-failed", docs=True)
    axe(page)
