"""Closing the account in a real browser, with a real Celery worker sending the emails and
running what the clock makes due: request, email link, grace period, deletion; and a cancel."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from accounts.models import AccountStatus
from lifecycle.models import DeletionRequest, DeletionStatus, TimelineEvent
from lifecycle.services import Actor, confirm_deletion, deletion_token, request_deletion
from lifecycle.transitions import Action
from shops.models import Customer, Order, OrderStatus, Product
from tests.lifecycle.workers import wait_for
from tests.shops.factories import OrderFactory

from .conftest import PASSWORD, act, axe, log_in, shoot, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def reload_until(page: Page, ready, *, what: str, timeout: float = 20) -> None:
    """Reload (as a trainee would) until `ready()` holds: a job is doing the work meanwhile."""
    deadline = page.evaluate("() => performance.now()") + timeout * 1000
    while not ready():
        if page.evaluate("() => performance.now()") > deadline:
            pytest.fail(f"gave up waiting for {what}")
        page.wait_for_timeout(250)
        page.reload()
    axe(page)


def _done_actions(account) -> list[str]:
    events = TimelineEvent.objects.filter(account=account, outcome="done").order_by("id")
    return list(events.values_list("action", flat=True))


def _open_close_page(page: Page, sandbox: int) -> None:
    """Account Settings -> Close or pause the account -> Start closing the account."""
    nav = page.get_by_role("navigation", name="Seller Center")
    act(page, nav.get_by_role("link", name="Account Settings"))
    act(page, page.get_by_role("link", name="Close or pause the account"))
    act(
        page,
        page.get_by_role("link", name=re.compile("^Start closing the account")),
        path=reverse("close_account", args=[sandbox]),
    )


def test_close_account_from_settings_to_the_deleted_account_page(signed_in, seller, celery_worker):
    page = signed_in
    sandbox = seller.sandbox.pk
    shop = seller.shop_links.get(unlinked_at__isnull=True).shop
    waiting = OrderFactory(account=seller, shop=shop, status=OrderStatus.AWAITING_SHIPMENT)
    _open_close_page(page, sandbox)
    checklist = page.get_by_test_id("close-checklist")
    expect(checklist.get_by_role("listitem")).to_have_count(4)
    orders_item = checklist.get_by_role("listitem").filter(has_text="Every order shipped")
    expect(orders_item).to_contain_text("Blocks the request")
    expect(page.get_by_test_id("removed-preview")).to_contain_text("9 orders")
    shoot(page, "close-account-1-checklist", docs=True)

    # The checklist item links to what fixes it: ship the order, and the item is done.
    act(
        page,
        orders_item.get_by_role("link", name="Ship or cancel orders"),
        path=reverse("orders", args=[sandbox]),
    )
    page.get_by_label(f"Tracking number for order #{waiting.number}").fill("TRK-BROWSER-1")
    row = page.get_by_role("row", name=re.compile(f"#{waiting.number}"))
    act(page, row.get_by_role("button", name="Ship"))
    waiting.refresh_from_db()
    assert (waiting.status, waiting.tracking_number) == (OrderStatus.SHIPPED, "TRK-BROWSER-1")
    _open_close_page(page, sandbox)
    expect(orders_item).to_contain_text("Done")

    # A wrong password is refused with the rulebook's sentence, and nothing changes.
    page.get_by_label(re.compile("sign-in password")).fill("not-my-password")
    page.get_by_role("checkbox", name=re.compile("I understand")).check()
    act(page, page.get_by_role("button", name="Request deletion"))
    expect(page.locator("#messages")).to_contain_text("That password is not right")
    seller.refresh_from_db()
    assert seller.status == AccountStatus.ACTIVE

    page.get_by_label(re.compile("sign-in password")).fill(PASSWORD)
    page.get_by_role("checkbox", name=re.compile("I understand")).check()
    act(
        page,
        page.get_by_role("button", name="Request deletion"),
        path=reverse("close_requested", args=[sandbox]),
    )
    expect(page.get_by_test_id("deletion-banner")).to_contain_text("Deletion requested")
    shoot(page, "close-account-2-requested", docs=True)

    # The confirmation email is sent by the worker: it lands in the inbox.
    act(
        page, page.get_by_role("link", name="Open the inbox"), path=reverse("inbox", args=[sandbox])
    )
    email = page.get_by_role("link", name=re.compile("confirm", re.I))
    reload_until(page, lambda: email.count() > 0, what="the confirmation email")
    act(page, email.first)
    shoot(page, "close-account-3-email", docs=True)

    act(page, page.get_by_test_id("email-links").get_by_role("link").first)
    act(page, page.get_by_role("button", name=re.compile("^Confirm")))
    expect(page.get_by_role("status")).to_contain_text("Deletion confirmed")
    # The same answer's top bar says so too, beside the banner with the button it names.
    expect(page.get_by_test_id("status-badge")).to_have_text("Deletion scheduled")
    expect(page.get_by_role("status")).to_contain_text("button in the banner")
    expect(
        page.get_by_test_id("deletion-banner").get_by_role("button", name="Cancel the deletion")
    ).to_be_visible()
    seller.refresh_from_db()
    assert seller.status == AccountStatus.DELETION_SCHEDULED

    nav = page.get_by_role("navigation", name="Seller Center")
    act(page, nav.get_by_role("link", name="Home"), path=reverse("dashboard", args=[sandbox]))
    banner = page.get_by_test_id("deletion-banner")
    expect(banner).to_contain_text("will be deleted for good")
    expect(banner.get_by_role("button", name="Cancel the deletion")).to_be_visible()
    shoot(page, "close-account-4-grace-period", docs=True)

    # +30 days: the sweep job finalizes the deletion; the owner then sees the deleted page.
    act(page, page.get_by_role("button", name="+30 days"))
    deleted_page = reverse("account_deleted", args=[sandbox])
    reload_until(page, lambda: page.url.endswith(deleted_page), what="the deletion to become final")
    expect(page.get_by_role("heading", level=1)).to_have_text("This seller account was deleted")
    shoot(page, "close-account-5-deleted", docs=True)

    seller.refresh_from_db()
    assert seller.status == AccountStatus.DELETED
    # The bulk rows are purged in batches by the worker after the deletion is final.
    wait_for(
        lambda: (
            not any(m.objects.filter(account=seller).exists() for m in (Order, Product, Customer))
        ),
        what="the account's data to be purged",
    )
    actions = _done_actions(seller)
    assert actions.index(Action.REQUEST_DELETION) < actions.index(Action.CONFIRM_DELETION)
    # After the deletion's event, only the links it ended, each its own caused event (issue 19).
    final = actions.index(Action.FINALIZE_DELETION)
    assert set(actions[final + 1 :]) <= {Action.UNLINK_SHOP}


@pytest.mark.parametrize("confirmed", [False, True], ids=["requested", "scheduled"])
def test_cancel_the_deletion_from_the_banner(signed_in, seller, confirmed):
    actor = Actor.trainee(seller.sandbox.owner)
    request = request_deletion(actor=actor, account=seller, password=PASSWORD, acknowledged=True)
    if confirmed:
        confirm_deletion(actor=actor, token=deletion_token(request))
    page = signed_in
    page.reload()
    banner = page.get_by_test_id("deletion-banner")
    expect(banner).to_be_visible()
    axe(page)

    act(page, banner.get_by_role("button", name="Cancel the deletion"))
    expect(page.locator("#messages")).to_contain_text("Deletion cancelled")
    expect(page.get_by_test_id("deletion-banner")).to_have_count(0)
    seller.refresh_from_db()
    assert seller.status == AccountStatus.ACTIVE
    assert DeletionRequest.objects.get(pk=request.pk).status == DeletionStatus.CANCELLED
    assert _done_actions(seller)[-1] == Action.CANCEL_DELETION


def _sideways_overflow(page: Page) -> int:
    """How many CSS pixels the page is wider than the screen (0: no sideways scrolling)."""
    return page.evaluate(
        "() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
        " - document.documentElement.clientWidth"
    )


def _within_screen(page: Page, locator) -> None:
    box = locator.bounding_box()
    assert box is not None, f"{locator} is not rendered"
    width = page.viewport_size["width"]
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"{locator} overflows: {box}"


def test_close_refused_at_phone_width_shows_checklist_and_reason_without_sideways_scroll(
    phone_page, seller
):
    page = phone_page
    shop = seller.shop_links.get(unlinked_at__isnull=True).shop
    waiting = OrderFactory(account=seller, shop=shop, status=OrderStatus.AWAITING_SHIPMENT)
    log_in(page, seller.sandbox.owner.username)
    visit(page, reverse("close_account", args=[seller.sandbox.pk]))
    checklist = page.get_by_test_id("close-checklist")
    expect(
        checklist.get_by_role("listitem").filter(has_text="Every order shipped")
    ).to_contain_text("Blocks the request")
    assert _sideways_overflow(page) == 0

    # Blocked: the button is disabled and the refusal's sentence is beside it, before any click
    # (a post sent anyway is refused and recorded: tests/browser/test_disabled_controls.py).
    button = page.get_by_role("button", name="Request deletion")
    expect(button).to_be_disabled()
    refusal = page.locator(f"#{button.get_attribute('aria-describedby')}")
    expect(refusal).to_contain_text(f"#{waiting.number}")
    expect(refusal).to_contain_text("ship or cancel it first")
    refusal.scroll_into_view_if_needed()
    shoot(page, "close-account-refused")
    for shown in (refusal, checklist, button):
        expect(shown).to_be_visible()
        _within_screen(page, shown)
    assert _sideways_overflow(page) == 0
    seller.refresh_from_db()
    assert seller.status == AccountStatus.ACTIVE
