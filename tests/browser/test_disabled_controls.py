"""Controls that can only be refused, in a browser (issue 8, item 10).

Unlink during the 24-hour cool-down, "Export my data" while one is being prepared, "Request
deletion" while orders await shipment: each is a disabled button whose accessible description is
the refusal's sentence, shown beside it (at 1280 px and at 375 px), and axe-core passes. Sent
anyway, the action is refused and the refusal is on the timeline.
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from lifecycle.models import ExportJob, TimelineEvent
from lifecycle.selectors import deletion_offer, export_offer, unlink_offer
from lifecycle.transitions import Action
from shops.models import OrderStatus, Shop
from tests.engine_guard import arranging
from tests.lifecycle.workers import inprocess_worker
from tests.rulebook import hours_of
from tests.shops.factories import OrderFactory

from .conftest import act, axe, log_in, shoot, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _described(page, button, reason: str) -> None:
    """Disabled, visible, and described by the visible sentence beside it."""
    expect(button).to_be_visible()
    expect(button).to_be_disabled()
    expect(button).to_have_accessible_description(re.compile(re.escape(reason)))
    reason_id = button.get_attribute("aria-describedby")
    expect(page.locator(f"#{reason_id}")).to_be_visible()
    expect(page.locator(f"#{reason_id}")).to_contain_text(reason)


def _csrf_token(page) -> str:
    return next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")


def test_unlink_during_the_cooldown_is_disabled_with_its_reason(signed_in, seller):
    page = signed_in
    sandbox = seller.sandbox.pk
    linked = seller.shop_links.get(unlinked_at__isnull=True).shop
    spare = Shop.objects.filter(sandbox_id=sandbox).exclude(pk=linked.pk).first()
    visit(page, reverse("linked_accounts", args=[sandbox]))
    row = page.get_by_role("row", name=re.compile(re.escape(spare.name)))
    act(page, row.get_by_role("button", name=re.compile("^(Link|Relink)")))

    row = page.get_by_role("row", name=re.compile(re.escape(spare.name)))
    expect(row).to_contain_text("Linked since")
    reason = unlink_offer(seller, spare, spare.live_link()).reason
    cooldown = f"A shop can be unlinked only {hours_of('UNLINK_COOLDOWN')} after it was linked"
    assert reason.startswith(cooldown)
    _described(page, row.get_by_role("button", name="Unlink…"), reason)
    expect(row).to_contain_text("Possible again in 1 day.")
    shoot(page, "disabled-unlink", docs=True)

    # The shop linked long ago still goes to the confirmation step.
    other = page.get_by_role("row", name=re.compile(re.escape(linked.name)))
    expect(other.get_by_role("link", name="Unlink…")).to_be_visible()


def test_export_my_data_is_disabled_while_an_export_is_prepared(signed_in, seller, empty_broker):
    page = signed_in
    sandbox = seller.sandbox.pk
    nav = page.get_by_role("navigation", name="Seller Center")
    act(page, nav.get_by_role("link", name="Data exports"), path=reverse("exports", args=[sandbox]))
    act(page, page.get_by_role("button", name="Export my data"))
    reason = export_offer(seller).reason
    assert "is still being prepared" in reason
    _described(page, page.get_by_role("button", name="Export my data"), reason)

    # Once the export is ready the control says why not yet, without a reload: the finished
    # row brings it along (an out-of-band swap).
    page.evaluate("() => { window.stillTheSamePage = true; }")
    job = ExportJob.objects.get(account=seller)
    with inprocess_worker():
        expect(page.locator(f"#export-{job.pk}")).to_have_attribute(
            "data-status", "ready", timeout=20_000
        )
    cooldown = export_offer(seller).reason
    assert cooldown.startswith(f"One new export is possible every {hours_of('EXPORT_COOLDOWN')}")
    _described(page, page.get_by_role("button", name="Export my data"), cooldown)
    assert page.evaluate("() => window.stillTheSamePage === true"), "the page was reloaded"
    axe(page)


def test_request_deletion_is_disabled_while_orders_await_shipment(new_page, seller):
    from tests.browser.conftest import PHONE

    with arranging():  # set-up: a customer's order waits to be shipped
        order = OrderFactory(
            account=seller,
            shop=seller.shop_links.get(unlinked_at__isnull=True).shop,
            status=OrderStatus.AWAITING_SHIPMENT,
        )
    reason = deletion_offer(seller).reason
    assert f"#{order.number}" in reason
    close = reverse("close_account", args=[seller.sandbox.pk])
    page = new_page(PHONE)
    log_in(page, seller.sandbox.owner.username)
    visit(page, close)
    button = page.get_by_role("button", name="Request deletion")
    button.scroll_into_view_if_needed()
    _described(page, button, reason)
    shoot(page, "disabled-request-deletion")
    box = button.bounding_box()
    assert box is not None and box["x"] + box["width"] <= PHONE["width"]  # on screen at 375 px

    # Sent anyway (a stale tab, a script): refused, and the refusal is on the timeline.
    refused_before = TimelineEvent.objects.filter(
        action=Action.REQUEST_DELETION, outcome="refused"
    ).count()
    answer = page.request.post(
        reverse("request_deletion", args=[seller.sandbox.pk]),
        form={"password": "browser-pass-9", "acknowledged": "on"},
        headers={"X-CSRFToken": _csrf_token(page)},
    )
    assert answer.status == 409
    assert (
        TimelineEvent.objects.filter(action=Action.REQUEST_DELETION, outcome="refused").count()
        == refused_before + 1
    )
