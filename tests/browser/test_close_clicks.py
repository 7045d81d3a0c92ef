"""Closing the demo sandbox's account "the right way", counting every click (issue 8, item 12).

On the data `seed_demo` builds (20 orders awaiting shipment, an active campaign), from Home to
the deleted-account page: ship every order, end the campaign, export and download the data,
tell the customers, request the deletion, confirm it from the emailed link, and let the grace
period pass. The clicks are counted in the page itself (every trusted click event, links,
buttons and checkboxes alike); typing the password is not a click. Target: at most 25.
"""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import Page, expect

from accounts.models import AccountStatus, User
from lifecycle.management.commands.seed_demo import DEMO_PASSWORD, DEMO_USERNAME
from lifecycle.models import ExportJob
from shops.models import Campaign, CampaignStatus, Order, OrderStatus

from .conftest import act, axe, log_in, settle, shoot, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
MOST_CLICKS = 25

COUNT_CLICKS = """
document.addEventListener('click', (e) => {
  if (!e.isTrusted) return;
  const el = e.target.closest('a, button, input, label, summary') || e.target;
  const label = el.labels && el.labels.length ? el.labels[0].textContent : '';
  const name = (el.getAttribute('aria-label') || label || el.textContent || el.tagName)
    .replace(/\\s+/g, ' ').trim().slice(0, 60);
  window.__countClick(`${location.pathname} :: ${name}`);
}, true);
"""


def count_clicks(page: Page) -> list[str]:
    clicks: list[str] = []

    def counted(click: str) -> None:
        clicks.append(click)

    page.context.expose_function("__countClick", counted)
    page.context.add_init_script(COUNT_CLICKS)
    return clicks


def test_closing_the_demo_account_takes_at_most_25_clicks(new_page, celery_worker, own_media):
    call_command("seed_demo", stdout=io.StringIO())
    demo = User.objects.get(username=DEMO_USERNAME).sandboxes.get(is_demo=True)
    account = demo.account
    assert account.orders.awaiting_shipment().count() == 20
    assert Campaign.objects.filter(account=account, status=CampaignStatus.ACTIVE).count() == 1

    page = new_page()
    log_in(page, DEMO_USERNAME, DEMO_PASSWORD)
    clicks = count_clicks(page)
    visit(page, reverse("dashboard", args=[demo.pk]))
    assert clicks == []  # counted from Home

    nav = page.get_by_role("navigation", name="Seller Center")
    act(page, nav.get_by_role("link", name="Account Settings"))
    act(page, page.get_by_role("link", name="Close or pause the account"))
    act(page, page.get_by_role("link", name=re.compile("^Start closing the account")))
    checklist = page.get_by_test_id("close-checklist")

    # Every order: select them all on the list, see what shipping does, ship them.
    act(page, checklist.get_by_role("link", name="Ship or cancel orders"))
    page.get_by_label("Select every order awaiting shipment on this page").check()
    act(page, page.get_by_role("button", name="Ship selected…"))
    expect(page.get_by_role("heading", name="Ship 20 orders?")).to_be_visible()
    act(page, page.get_by_role("button", name="Ship 20 orders"))
    expect(page.locator("#messages")).to_contain_text("20 orders shipped.")
    assert not account.orders.awaiting_shipment().exists()
    assert all(
        re.fullmatch(r"LS\d{9}GB", n)
        for n in Order.objects.filter(account=account, shipped_at__isnull=False)
        .filter(status=OrderStatus.SHIPPED)
        .exclude(tracking_number__startswith="TRK")
        .values_list("tracking_number", flat=True)
    )
    back = page.get_by_test_id("back-to-checklist").get_by_role("link")
    act(page, back, path=reverse("close_account", args=[demo.pk]))

    # The active campaign.
    act(page, checklist.get_by_role("link", name="End campaigns"))
    live = page.get_by_role("row").filter(has=page.get_by_text("Active", exact=True))
    act(page, live.get_by_role("link", name="End…"))
    act(page, page.get_by_role("button", name="End campaign"))
    act(page, back, path=reverse("close_account", args=[demo.pk]))

    # A backup: export, wait for the worker to build it, download it.
    act(page, checklist.get_by_role("link", name="Export your data"))
    act(page, page.get_by_role("button", name="Export my data"))
    job = ExportJob.objects.get(account=account)
    row = page.locator(f"#export-{job.pk}")
    expect(row).to_have_attribute("data-status", "ready", timeout=60_000)
    axe(page)
    with page.expect_download() as download:
        row.get_by_role("link", name=re.compile("download", re.I)).click()
    assert download.value.suggested_filename.endswith(".zip")
    act(page, back, path=reverse("close_account", args=[demo.pk]))

    # Tell the customers, then ask for the deletion.
    act(page, page.get_by_role("button", name="Notify customers"))
    for item in ("Every order shipped", "Every campaign ended", "Your data exported"):
        expect(checklist.get_by_role("listitem").filter(has_text=item)).to_contain_text("Done")
    page.get_by_label(re.compile("sign-in password")).fill(DEMO_PASSWORD)
    page.get_by_role("checkbox", name=re.compile("I understand")).check()
    act(
        page,
        page.get_by_role("button", name="Request deletion"),
        path=reverse("close_requested", args=[demo.pk]),
    )

    # The emailed link, sent by the worker.
    act(page, page.get_by_role("link", name="Open the inbox"))
    email = page.get_by_role("link", name=re.compile("confirm", re.I))
    while email.count() == 0:  # the worker sends it; reloading is not a click
        page.wait_for_timeout(250)
        page.reload()
        settle(page)
    axe(page)
    act(page, email.first)
    act(page, page.get_by_test_id("email-links").get_by_role("link").first)
    act(page, page.get_by_role("button", name=re.compile("^Confirm")))
    account.refresh_from_db()
    assert account.status == AccountStatus.DELETION_SCHEDULED

    # The grace period passes; the worker finalizes the deletion.
    act(page, page.get_by_role("button", name="+30 days"))
    deleted = reverse("account_deleted", args=[demo.pk])
    for _ in range(120):
        if page.url.endswith(deleted):
            break
        page.wait_for_timeout(250)
        page.reload()
        settle(page)
    axe(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("This seller account was deleted")
    shoot(page, "close-account-clicks-deleted")
    account.refresh_from_db()
    assert account.status == AccountStatus.DELETED

    report = "\n".join(f"{i:2}. {c}" for i, c in enumerate(clicks, 1))
    print(f"\nClicks from Home to the deleted-account page: {len(clicks)}\n{report}")
    assert len(clicks) <= MOST_CLICKS, report
