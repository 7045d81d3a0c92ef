"""A data export in a real browser: the progress bar updates itself until the file is ready,
then the download is a ZIP of the seller's data."""

import json
import re
import zipfile

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from lifecycle.models import ExportJob, ExportStatus
from tests.lifecycle.workers import inprocess_worker

from .conftest import act, axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_export_progress_reaches_ready_without_a_reload_and_downloads(
    signed_in, seller, empty_broker
):
    page = signed_in
    nav = page.get_by_role("navigation", name="Seller Center")
    act(
        page,
        nav.get_by_role("link", name="Data exports"),
        path=reverse("exports", args=[seller.sandbox.pk]),
    )

    # No worker yet: the job waits in the queue, and the page shows its progress bar.
    act(page, page.get_by_role("button", name=re.compile("export", re.I)))
    job = ExportJob.objects.get(account=seller)
    row = page.locator(f"#export-{job.pk}")
    expect(row.get_by_role("progressbar")).to_be_visible()
    axe(page)
    page.evaluate("() => { window.stillTheSamePage = true; }")

    with inprocess_worker():
        expect(row).to_have_attribute("data-status", "ready", timeout=20_000)
    expect(row.get_by_text("Ready", exact=True)).to_be_visible()
    assert page.evaluate("() => window.stillTheSamePage === true"), "the page was reloaded"
    expect(row.get_by_role("progressbar")).to_have_count(0)
    axe(page)

    with page.expect_download() as download:
        row.get_by_role("link", name=re.compile("download", re.I)).click()
    assert download.value.suggested_filename.endswith(".zip")
    with zipfile.ZipFile(download.value.path()) as archive:
        names = set(archive.namelist())
        assert {"orders.csv", "products.csv", "customers.csv", "manifest.json"} <= names
        orders = archive.read("orders.csv").decode().strip().splitlines()
        assert len(orders) == 1 + 8  # header and the seller's eight orders
        assert json.loads(archive.read("manifest.json"))
    job.refresh_from_db()
    assert job.status == ExportStatus.READY and job.downloaded_at is not None
