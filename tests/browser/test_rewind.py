"""Rewind and checkpoints in a real browser: a trainee five steps into "close the account"
goes back to before step 3 and passes from there (a real Celery worker builds the export,
sends the emails and runs the due work); a free-play checkpoint saved and listed."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from accounts.models import User
from lifecycle.demo import build_demo_sandbox
from rewind.models import Branch
from training.models import Attempt

from .conftest import PASSWORD, act, axe, log_in, shoot
from .test_close_account import reload_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def player(transactional_db) -> User:
    return User.objects.create_user("rhea", "rhea@example.com", PASSWORD)


def _go(page: Page, name: str) -> None:
    nav = page.get_by_role("navigation", name="Seller Center")
    act(page, nav.get_by_role("link", name=name))


def _end_the_campaign(page: Page) -> None:
    _go(page, "Marketing")
    row = page.get_by_role("row", name=re.compile("Last orders"))
    act(page, row.get_by_role("link", name="End…"))
    act(page, page.get_by_role("button", name=re.compile("^End")))


def _export_and_download(page: Page) -> None:
    _go(page, "Data exports")
    act(page, page.get_by_role("button", name=re.compile("export", re.I)))
    download = page.get_by_role("link", name=re.compile("download", re.I))
    expect(download).to_be_visible(timeout=20_000)
    with page.expect_download():
        download.first.click()


def _close_and_wait(page: Page, sandbox_id: int) -> None:
    """Notify the customers, ask for the deletion, confirm it by email, let the grace run out."""
    _go(page, "Account Settings")
    act(page, page.get_by_role("link", name="Close or pause the account"))
    act(page, page.get_by_role("link", name=re.compile("^Start closing the account")))
    act(page, page.get_by_role("button", name="Notify customers"))
    reload_until(
        page, lambda: page.get_by_text("Customers were told on").count() > 0, what="the notice"
    )
    page.get_by_label(re.compile("sign-in password")).fill(PASSWORD)
    page.get_by_role("checkbox", name=re.compile("I understand")).check()
    act(page, page.get_by_role("button", name="Request deletion"))
    act(page, page.get_by_role("link", name="Open the inbox"))
    email = page.get_by_role("link", name=re.compile("confirm", re.I))
    reload_until(page, lambda: email.count() > 0, what="the confirmation email")
    act(page, email.first)
    act(page, page.get_by_test_id("email-links").get_by_role("link").first)
    act(page, page.get_by_role("button", name=re.compile("^Confirm")))
    _go(page, "Home")
    act(page, page.get_by_role("button", name="+30 days"))
    deleted = reverse("account_deleted", args=[sandbox_id])
    reload_until(page, lambda: page.url.endswith(deleted), what="the deletion to become final")


def test_a_trainee_at_step_5_rewinds_before_step_3_and_passes(page, player, celery_worker):
    log_in(page, player.username)
    act(page, page.get_by_role("link", name="Training"), path=reverse("training"))
    card = page.get_by_role("region", name="Close the account the right way")
    act(page, card.get_by_role("button", name=re.compile("^Start")))
    first = Attempt.objects.get(trainee=player)
    act(page, page.get_by_test_id("play"))
    _go(page, "Orders")
    for number in (1001, 1002):  # steps 1 and 2
        page.get_by_label(f"Tracking number for order #{number}").fill(f"TRK-{number}")
        row = page.get_by_role("row", name=re.compile(f"#{number}"))
        act(page, row.get_by_role("button", name="Ship"))
    _end_the_campaign(page)  # step 3
    _export_and_download(page)  # steps 4 and 5

    page.goto(reverse("attempt_steps", args=[first.pk]))
    axe(page)
    steps = page.get_by_test_id("attempt-steps").get_by_role("listitem")
    expect(steps).to_have_count(5)
    expect(steps.nth(2)).to_contain_text("End campaign")
    shoot(page, "rewind-steps", docs=True)
    act(page, page.get_by_test_id("rewind-3").get_by_role("button"))

    branch = Attempt.objects.exclude(pk=first.pk).get(trainee=player)
    assert Branch.objects.get(attempt=branch).before_step == 3
    expect(page.get_by_test_id("branch")).to_contain_text(
        f"rewound from attempt {first.pk} before step 3"
    )
    act(page, page.get_by_test_id("play"), path=reverse("dashboard", args=[branch.sandbox_id]))
    _go(page, "Orders")  # the two orders shipped before step 3 are still shipped
    expect(page.get_by_label("Tracking number for order #1001")).to_have_count(0)
    _end_the_campaign(page)
    _export_and_download(page)
    _close_and_wait(page, branch.sandbox_id)

    page.goto(reverse("attempt", args=[branch.pk]))
    axe(page)
    act(page, page.get_by_role("button", name="Finish and grade"))
    expect(page.get_by_test_id("verdict")).to_contain_text("Passed")
    expect(page.get_by_test_id("verdict")).to_contain_text("100 of 100")
    expect(page.get_by_test_id("branch")).to_contain_text("before step 3")
    branch.refresh_from_db()
    assert branch.passed and branch.score == 100


def test_a_free_play_checkpoint_is_saved_and_listed(page, player):
    sandbox = build_demo_sandbox(owner=player, name="My shop", is_demo=False)
    log_in(page, player.username)
    page.goto(reverse("checkpoints", args=[sandbox.pk]))
    axe(page)
    page.get_by_label("Name").fill("Before closing the account")
    act(page, page.get_by_role("button", name="Save a checkpoint"))
    expect(page.get_by_test_id("checkpoints")).to_contain_text("Before closing the account")
    shoot(page, "checkpoints", docs=True)
    act(page, page.get_by_role("link", name="Restore here…"))
    expect(page.get_by_role("button", name="Restore in place")).to_be_visible()
    act(page, page.get_by_role("button", name="Restore in place"))
    assert page.url.endswith(reverse("dashboard", args=[sandbox.pk]))
