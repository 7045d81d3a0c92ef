"""A data export in a real browser: the progress bar updates itself until the file is ready,
then the download is a ZIP of the seller's data; a stuck export the sweep gave up on fails with
its reason, and Retry builds it again."""

import json
import re
import zipfile
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from lifecycle.conf import setting
from lifecycle.models import ExportJob, ExportStatus, TimelineEvent
from lifecycle.services.exports import gave_up_reason, start_export
from lifecycle.transitions import Action
from tests.lifecycle.workers import flush_broker, inprocess_worker

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


def test_a_stuck_export_the_sweep_gives_up_on_fails_and_retry_builds_it(
    signed_in, seller, empty_broker
):
    page = signed_in
    sandbox = seller.sandbox.pk
    nav = page.get_by_role("navigation", name="Seller Center")
    act(page, nav.get_by_role("link", name="Data exports"), path=reverse("exports", args=[sandbox]))
    act(page, page.get_by_role("button", name=re.compile("export", re.I)))
    job = ExportJob.objects.get(account=seller)

    # A worker took the build and died: its message is consumed, its heartbeat went silent
    # longer ago than the sweep tolerates. It was sent again as often as the sweep does, and
    # each build died: this time the sweep gives up on it.
    flush_broker()
    assert start_export(export=job).status == ExportStatus.RUNNING
    silent_since = timezone.now() - setting("EXPORT_RECOVER_AFTER") - timedelta(minutes=1)
    resent = setting("EXPORT_MAX_RESENDS")
    ExportJob.objects.filter(pk=job.pk).update(heartbeat=silent_since, resends=resent)
    reason = gave_up_reason(ExportJob.objects.get(pk=job.pk))  # a running build that died
    row = page.locator(f"#export-{job.pk}")
    expect(row).to_have_attribute("data-status", "running")

    with inprocess_worker():
        # Moving the clock runs the sweep job at once, which gives up on the stuck export.
        act(
            page,
            page.get_by_role("button", name="+1 hour"),
            path=reverse("exports", args=[sandbox]),
        )
        expect(row).to_have_attribute("data-status", "failed", timeout=20_000)
        expect(row.get_by_text("Failed", exact=True)).to_be_visible()
        expect(row).to_contain_text(reason)
        axe(page)
        job.refresh_from_db()
        assert (job.status, job.failure_reason) == (ExportStatus.FAILED, reason)

        act(page, row.get_by_role("button", name="Retry"), path=reverse("exports", args=[sandbox]))
        expect(row).to_have_attribute("data-status", "ready", timeout=20_000)
    expect(row.get_by_role("link", name=re.compile("download", re.I))).to_be_visible()
    axe(page)
    job.refresh_from_db()
    assert (job.status, job.failure_reason, job.attempts) == (ExportStatus.READY, "", 2)
    steps = [Action.REQUEST_EXPORT, Action.EXPORT_FAILED, Action.RETRY_EXPORT, Action.EXPORT_READY]
    events = TimelineEvent.objects.filter(subject_id=job.pk, action__in=steps, outcome="done")
    assert list(events.order_by("id").values_list("action", flat=True)) == steps
