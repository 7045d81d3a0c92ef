"""In a real browser, every page follows background work without a reload (issue 23, item 18):
a deletion finalized by a real job takes Home to the deleted account's page, an export built by
a real worker shows its email in the open Inbox, and a page with a form being filled in offers
the changes instead of throwing away what was typed."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from lifecycle.models import ExportJob, ExportStatus
from tests.lifecycle.workers import flush_broker, inprocess_worker

from .conftest import PASSWORD, act, axe, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WAIT = 30_000  # a poll every 5 s, plus the job's own time on a shared machine


def _request_export(page, sandbox: int) -> ExportJob:
    """Ask for an export while no worker runs: it waits in the queue."""
    visit(page, reverse("exports", args=[sandbox]))
    act(page, page.get_by_role("button", name=re.compile("export", re.I)))
    job = ExportJob.objects.get(account__sandbox_id=sandbox)
    assert job.status == ExportStatus.QUEUED
    return job


def _mark_page(page) -> None:
    page.evaluate("() => { window.stillTheSamePage = true; }")


def _same_page(page) -> bool:
    return page.evaluate("() => window.stillTheSamePage === true")


def test_home_follows_a_finalization_by_the_job(signed_in, seller, empty_broker):
    from tests.lifecycle.test_support_finalizing import finalizes_within_a_day

    finalizes_within_a_day(seller, PASSWORD)
    flush_broker()  # the set-up's emails: only the clock move's job is left to run
    page = signed_in
    home = reverse("dashboard", args=[seller.sandbox.pk])
    visit(page, home)
    banner = page.get_by_test_id("deletion-banner")
    expect(banner).to_be_visible()

    # The trainee moves the clock to the finalization: the move is made, its job waits.
    act(page, page.get_by_role("button", name="Next event").first, path=home)
    expect(banner).to_be_visible()  # the job has not run: the account is not deleted yet
    assert seller.__class__.objects.get(pk=seller.pk).status != "deleted"

    with inprocess_worker():
        expect(page).to_have_url(
            re.compile(re.escape(reverse("account_deleted", args=[seller.sandbox.pk])) + "$"),
            timeout=WAIT,
        )
    expect(page.get_by_role("heading", name="This seller account was deleted")).to_be_visible()
    expect(page.get_by_test_id("deletion-banner")).to_have_count(0)
    axe(page)


def test_the_open_inbox_shows_the_export_s_email_without_a_reload(signed_in, seller, empty_broker):
    page = signed_in
    sandbox = seller.sandbox.pk
    _request_export(page, sandbox)
    nav = page.get_by_role("navigation", name="Seller Center")
    act(page, nav.get_by_role("link", name="Inbox"), path=reverse("inbox", args=[sandbox]))
    ready = page.get_by_text("Your data export is ready")
    expect(ready).to_have_count(0)
    _mark_page(page)

    with inprocess_worker():
        expect(ready).to_be_visible(timeout=WAIT)
    assert _same_page(page), "the page was reloaded"
    assert page.url.endswith(reverse("inbox", args=[sandbox]))
    axe(page)


def test_a_form_being_filled_in_is_kept_and_the_changes_offered(signed_in, seller, empty_broker):
    page = signed_in
    sandbox = seller.sandbox.pk
    _request_export(page, sandbox)
    visit(page, reverse("close_account", args=[sandbox]))
    password = page.get_by_label("Your sign-in password")
    password.fill("typed-before-the-job")
    notice = page.get_by_test_id("sandbox-changed")
    expect(notice).to_be_hidden()
    _mark_page(page)

    with inprocess_worker():
        expect(notice).to_be_visible(timeout=WAIT)
    expect(password).to_have_value("typed-before-the-job")
    axe(page)

    notice.get_by_role("button", name="Show the changes").click()
    expect(page.get_by_test_id("sandbox-changed")).to_be_hidden()
    expect(page.get_by_label("Your sign-in password")).to_have_value("")
    assert _same_page(page), "the page was reloaded"
    axe(page)
