"""The export email's download link in a real browser (issue 8 item 3): the file is saved, the
page stays as it was, and the download is on the timeline once."""

import re
import zipfile

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from lifecycle.exporting import build_export
from lifecycle.models import ExportJob, Outcome, TimelineEvent
from lifecycle.services import Actor, advance_clock, request_export
from lifecycle.transitions import Action
from tests.rulebook import rule

from .conftest import act, axe, settle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def downloads(job: ExportJob) -> list[str]:
    events = TimelineEvent.objects.filter(
        action=Action.DOWNLOAD_EXPORT, subject_type="export", subject_id=job.pk
    )
    return list(events.order_by("id").values_list("outcome", flat=True))


@pytest.fixture
def ready(seller) -> ExportJob:
    """A finished export whose "ready" email waits in the inbox."""
    job = request_export(actor=Actor.trainee(seller.sandbox.owner), account=seller)
    return build_export(job.pk)


def open_the_email(page, seller) -> None:
    sandbox = seller.sandbox.pk
    nav = page.get_by_role("navigation", name="Seller Center")
    act(page, nav.get_by_role("link", name="Inbox"), path=reverse("inbox", args=[sandbox]))
    act(page, page.get_by_role("link", name=re.compile("Your data export is ready")))
    expect(page.get_by_role("heading", name="Your data export is ready")).to_be_visible()


def test_the_email_s_download_link_saves_the_file_and_leaves_the_page(signed_in, seller, ready):
    page = signed_in
    open_the_email(page, seller)
    address = page.url
    page.evaluate("() => { window.stillTheSamePage = true; }")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the export").click()
    assert download.value.suggested_filename == f"seller-data-export-{ready.pk}.zip"
    with zipfile.ZipFile(download.value.path()) as archive:
        assert {"orders.csv", "products.csv", "customers.csv", "manifest.json"} <= set(
            archive.namelist()
        )

    # The page is the email still: not replaced by the ZIP's bytes, not reloaded.
    assert page.url == address
    assert page.evaluate("() => window.stillTheSamePage === true"), "the page was replaced"
    expect(page.get_by_role("heading", name="Your data export is ready")).to_be_visible()
    expect(page.get_by_text("PK", exact=False)).to_have_count(0)
    axe(page)
    ready.refresh_from_db()
    assert ready.downloaded_at is not None
    assert downloads(ready) == [Outcome.DONE]

    # Downloading again saves the file again; the timeline holds one download.
    with page.expect_download() as again:
        page.get_by_role("link", name="Download the export").click()
    assert again.value.suggested_filename.endswith(".zip")
    assert downloads(ready) == [Outcome.DONE]


def test_a_boosted_link_to_the_file_still_saves_it(signed_in, seller, ready):
    """An old page whose link htmx does follow: the answer sends the browser to the address as a
    navigation (204 and HX-Redirect), which saves the file; the page stays."""
    page = signed_in
    open_the_email(page, seller)
    address = page.url
    page.evaluate("() => { window.stillTheSamePage = true; }")
    link = page.get_by_role("link", name="Download the export")
    # As the link was before the fix: no `download`, and boosted like every other link.
    link.evaluate("(a) => { a.removeAttribute('download'); a.removeAttribute('data-hx-boost'); }")
    page.evaluate("() => htmx.process(document.body)")

    hops = []
    page.on(
        "response",
        lambda r: hops.append(r.status) if r.request.headers.get("hx-request") else None,
    )
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == f"seller-data-export-{ready.pk}.zip"
    assert hops == [204]  # htmx asked, and was sent to a real navigation
    assert page.url == address
    assert page.evaluate("() => window.stillTheSamePage === true"), "the page was replaced"
    expect(page.get_by_role("heading", name="Your data export is ready")).to_be_visible()
    axe(page)
    assert downloads(ready) == [Outcome.DONE]  # the hop counted nothing, the file once


def test_an_expired_export_s_email_link_shows_why(signed_in, seller, ready):
    """After expiry the link leads to the page saying so, not to a download that fails."""
    advance_clock(
        actor=Actor.trainee(seller.sandbox.owner),
        sandbox=seller.sandbox,
        by=rule("EXPORT_LINK_VALID_FOR"),
    )
    page = signed_in
    open_the_email(page, seller)
    saved = []
    page.on("download", lambda download: saved.append(download))
    with page.expect_navigation(url=re.compile(r"/download/$")) as navigation:
        page.get_by_role("link", name="Download the export").click()
    assert navigation.value.status == 410
    settle(page)
    expect(page.get_by_role("alert")).to_contain_text("expired")
    axe(page)
    assert saved == []
    assert downloads(ready) == [Outcome.REFUSED]
