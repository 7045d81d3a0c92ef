"""Grading in a real browser, on the two paths issue 21 found graded wrong: the listing sold out
by setting its stock to 0 (credited like "Mark sold out"), and the expired emailed link opened
(on the record, and shown on the panel as made)."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from shops.models import Product

from .conftest import PASSWORD, act, log_in, shoot, visit
from .test_close_account import reload_until
from .test_training import _nav, _objective, _start, player  # noqa: F401  (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_stock_0_instead_of_mark_sold_out_scores_100(page, player, celery_worker):  # noqa: F811
    log_in(page, player.username)
    attempt = _start(page, "Hit the unlink limit and recover")
    sandbox = attempt.sandbox_id
    tote = Product.objects.get(account__sandbox_id=sandbox, sku="POP-001")
    visit(page, reverse("edit_product", args=[sandbox, tote.pk]))
    page.get_by_role("spinbutton", name="Stock").fill("0")
    act(page, page.get_by_role("button", name="Save"), path=reverse("products", args=[sandbox]))
    paused = _objective(page, "sales-paused-first")
    expect(paused).to_have_attribute("data-state", "waiting")
    for _ in range(3):  # 21 days: the oldest unlink leaves the 180-day window after 20
        act(page, page.get_by_role("button", name="+7 days").first)
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
    expect(_objective(page, "sales-paused-first")).to_have_attribute("data-state", "met")
    act(page, page.get_by_role("button", name="Finish and grade"))
    expect(page.get_by_test_id("verdict")).to_contain_text("100 of 100")
    expect(page.get_by_test_id("verdict")).to_contain_text("Passed")


def test_opening_the_expired_link_is_on_the_record(page, player, celery_worker):  # noqa: F811
    log_in(page, player.username)
    attempt = _start(page, "The link expired: request again")
    act(
        page,
        page.get_by_role("navigation", name="Seller Center").get_by_role(
            "link", name="Account Settings"
        ),
    )
    act(page, page.get_by_role("link", name="Close or pause the account"))
    act(page, page.get_by_role("link", name=re.compile("^Start closing the account")))
    page.get_by_label(re.compile("sign-in password")).fill(PASSWORD)
    page.get_by_role("checkbox", name=re.compile("I understand")).check()
    act(page, page.get_by_role("button", name="Request deletion"))
    act(page, page.get_by_role("button", name="+1 day").first)
    act(page, page.get_by_role("button", name="+1 hour").first)
    expect(_objective(page, "request-lapsed")).to_have_attribute("data-met", "yes", timeout=15_000)
    expect(_objective(page, "expired-link-used")).to_contain_text("Avoided so far")

    _nav(page, "Inbox")
    email = page.get_by_role("link", name=re.compile("^Confirm the deletion"))
    reload_until(page, lambda: email.count() > 0, what="the confirmation email")
    act(page, email.first)
    act(page, page.get_by_test_id("email-links").get_by_role("link").first)
    expect(page.get_by_role("alert")).to_contain_text("no longer works")
    made = _objective(page, "expired-link-used")
    expect(made).to_have_attribute("data-met", "no")
    expect(made).to_contain_text("Made")
    shoot(page, "training-expired-link-made")
    act(page, page.get_by_role("button", name="Finish and grade"))
    result = page.get_by_test_id("result-expired-link-used")
    expect(result).to_contain_text("Made, though forbidden: Using the expired link")
    attempt.refresh_from_db()
    assert attempt.result["expired-link-used"]["met"] is False
