"""Downloading an export (issue 8 item 3, issue 13 item 6): a link to a file is never followed by
htmx, and a download is on the timeline once per export, when the file was actually sent."""

import re
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import get_template
from django.urls import reverse

from accounts.roles import ensure_support_group
from lifecycle.exporting import build_export
from lifecycle.mail import send_platform_email
from lifecycle.models import ExportJob, InboxMessage, Outcome, TimelineEvent
from lifecycle.services import Actor, advance_clock, request_export
from lifecycle.transitions import Action
from tests.rulebook import rule

from .jobs_helpers import ready_for_deletion, small_account

pytestmark = pytest.mark.usefixtures("own_media")  # files of this test only

HTMX_CLICK = {"HTTP_HX_REQUEST": "true", "HTTP_HX_BOOSTED": "true"}


@pytest.fixture
def account(trainee):
    return ready_for_deletion(small_account(trainee))


@pytest.fixture
def ready(account, as_trainee) -> ExportJob:
    return build_export(request_export(actor=as_trainee, account=account).pk)


def download_url(export: ExportJob) -> str:
    return reverse(
        "download_export",
        kwargs={"sandbox_id": export.account.sandbox_id, "export_id": export.pk},
    )


def downloads(export: ExportJob, outcome: str = Outcome.DONE) -> list[TimelineEvent]:
    return list(
        TimelineEvent.objects.filter(
            action=Action.DOWNLOAD_EXPORT,
            subject_type="export",
            subject_id=export.pk,
            outcome=outcome,
        ).order_by("id")
    )


def fetch(client, export: ExportJob, **headers) -> tuple[int, bytes]:
    """GET the download as a browser would, reading the whole body (the file is then sent)."""
    response = client.get(download_url(export), **headers)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, body


# --- Recorded once, when a file was sent ------------------------------------------------------


def test_a_download_is_recorded_once_per_export(client, trainee, ready, as_trainee):
    client.force_login(trainee)
    first_status, first = fetch(client, ready)
    ready.refresh_from_db()
    first_at = ready.downloaded_at
    advance_clock(actor=as_trainee, sandbox=ready.account.sandbox, by=timedelta(hours=1))
    answers = [fetch(client, ready) for _ in range(7)]  # a second tab, a page that polls...

    assert first_status == 200 and first[:2] == b"PK"
    assert all(status == 200 and body == first for status, body in answers)  # always the file
    (event,) = downloads(ready)
    assert (event.before, event.after) == ("ready", "ready")
    ready.refresh_from_db()
    assert ready.downloaded_at == first_at  # the backup counts from the first download


def test_an_htmx_request_is_sent_to_a_real_navigation_and_counts_nothing(client, trainee, ready):
    """A boosted click would put the ZIP's bytes in place of the page and save nothing: the
    answer sends the browser to the same address as a navigation, which saves the file."""
    client.force_login(trainee)
    response = client.get(download_url(ready), **HTMX_CLICK)
    assert response.status_code == 204 and response.content == b""
    assert response["HX-Redirect"] == download_url(ready)
    assert "Content-Disposition" not in response
    assert downloads(ready) == []
    ready.refresh_from_db()
    assert ready.downloaded_at is None  # not backed up: no file was sent

    status, body = fetch(client, ready)  # the navigation htmx then makes
    assert status == 200 and body[:2] == b"PK"
    assert len(downloads(ready)) == 1


def test_an_htmx_request_of_another_trainee_gets_nothing(client, other_trainee, ready):
    """The hop says nothing about the export (it is the same for any address); the navigation
    it leads to is the 404 anyone but the owner gets."""
    client.force_login(other_trainee)
    hop = client.get(download_url(ready), **HTMX_CLICK)
    assert hop.status_code == 204 and hop.content == b""
    assert client.get(hop["HX-Redirect"]).status_code == 404
    assert downloads(ready) == [] and downloads(ready, Outcome.REFUSED) == []


# --- Refusals: on the timeline once, not once per request --------------------------------------


def test_a_refused_download_is_recorded_once_however_often_it_is_asked(
    client, trainee, account, as_trainee
):
    export = request_export(actor=as_trainee, account=account)  # queued, not ready
    client.force_login(trainee)
    answers = [fetch(client, export)[0] for _ in range(8)]
    assert answers == [409] * 8
    (refusal,) = downloads(export, Outcome.REFUSED)
    assert refusal.code == "export_not_ready" and refusal.before == "queued"
    assert downloads(export) == []


def test_each_new_reason_of_a_refusal_is_recorded(client, trainee, ready, as_trainee):
    """The first refusal of each kind is on the timeline (RULEBOOK §8), repeats are not."""
    client.force_login(trainee)
    assert fetch(client, ready)[0] == 200
    advance_clock(actor=as_trainee, sandbox=ready.account.sandbox, by=rule("EXPORT_LINK_VALID_FOR"))
    assert [fetch(client, ready)[0] for _ in range(4)] == [410] * 4
    refusals = downloads(ready, Outcome.REFUSED)
    assert [e.code for e in refusals] == ["export_expired"]
    assert len(downloads(ready)) == 1


def test_a_missing_file_refused_twice_is_recorded_once_and_counts_nothing(client, trainee, ready):
    ready.file.storage.delete(ready.file.name)
    client.force_login(trainee)
    assert [fetch(client, ready)[0] for _ in range(3)] == [410] * 3
    assert [e.code for e in downloads(ready, Outcome.REFUSED)] == ["export_file_missing"]
    ready.refresh_from_db()
    assert ready.downloaded_at is None


# --- Links to a file --------------------------------------------------------------------------


def email_link(html: str, label: str) -> str:
    (tag,) = re.findall(rf"<a [^>]*>{re.escape(label)}</a>", html)
    return tag


def test_the_export_email_s_download_link_is_not_boosted_and_carries_download(
    client, trainee, ready
):
    message = InboxMessage.objects.get(kind="export_ready", account=ready.account)
    client.force_login(trainee)
    page = client.get(reverse("inbox_message", args=[ready.account.sandbox_id, message.pk]))
    tag = email_link(page.content.decode(), "Download the export")
    assert f'href="{download_url(ready)}"' in tag
    assert 'data-hx-boost="false"' in tag and re.search(r"\sdownload[\s>]", tag)


def test_once_the_export_expired_the_email_links_to_the_page_saying_so(
    client, trainee, ready, as_trainee
):
    """A `download` link to a refusal would only fail to save (the browser keeps no 410 page):
    once the file cannot be sent, the email's link is an ordinary one, to the page saying why."""
    message = InboxMessage.objects.get(kind="export_ready", account=ready.account)
    inbox_page = reverse("inbox_message", args=[ready.account.sandbox_id, message.pk])
    advance_clock(actor=as_trainee, sandbox=ready.account.sandbox, by=rule("EXPORT_LINK_VALID_FOR"))
    client.force_login(trainee)
    tag = email_link(client.get(inbox_page).content.decode(), "Download the export")
    assert f'href="{download_url(ready)}"' in tag
    assert "data-hx-boost" not in tag and not re.search(r"\sdownload[\s>]", tag)
    gone = client.get(download_url(ready))
    assert gone.status_code == 410 and b"expired" in gone.content


def test_an_email_link_to_a_page_stays_boosted(client, trainee, account):
    """Only links to files leave htmx; a link to a page (the confirmation's) is an ordinary one."""
    sandbox = account.sandbox
    page_link = reverse("close_account", args=[sandbox.pk])
    message, _sent = send_platform_email(
        sandbox=sandbox,
        account=account,
        kind="notice",
        to=account.contact_email,
        subject="A notice",
        body="Hello.",
        links=[{"label": "Open the page", "url": page_link}],
        dedupe_key="page-link",
    )
    client.force_login(trainee)
    page = client.get(reverse("inbox_message", args=[sandbox.pk, message.pk]))
    tag = email_link(page.content.decode(), "Open the page")
    assert f'href="{page_link}"' in tag
    assert "data-hx-boost" not in tag and not re.search(r"\sdownload[\s>]", tag)


# Every template that links to a view answering with a file (sends_file in lifecycle.web).
FILE_LINK_TEMPLATES = [
    "lifecycle/partials/export_job.html",
    "training/trainer/partials/progress_grid.html",
]


def file_url_names() -> set[str]:
    from tests.test_url_auth import ROUTES

    return {r.name for r in ROUTES if getattr(r.callback, "sends_file", False)}


def test_every_template_link_to_a_file_is_not_boosted_and_carries_download():
    from pathlib import Path

    from django.conf import settings

    names = file_url_names()
    assert names == {"download_export", "trainer_progress_csv"}
    found = []
    for folder in settings.TEMPLATES[0]["DIRS"]:
        for path in Path(folder).rglob("*.html"):
            text = path.read_text()
            for name in names:
                for tag in re.findall(rf"<a [^>]*{{% url '{name}'[^>]*>", text):
                    found.append((str(path.relative_to(folder)), tag))
    assert sorted({where for where, _ in found}) == sorted(FILE_LINK_TEMPLATES)
    wrong = [
        f"{where}: {tag}"
        for where, tag in found
        if 'data-hx-boost="false"' not in tag or not re.search(r"\sdownload[\s>]", tag)
    ]
    assert not wrong, "links to a file that htmx would follow:\n" + "\n".join(wrong)
    for name in FILE_LINK_TEMPLATES:
        get_template(name)  # still a template of the project


def test_every_view_that_answers_with_a_file_is_marked_as_sending_one(trainee, own_media):
    """Walk every page a trainee or a trainer reaches: the ones that answer with an attachment
    are exactly the views marked `sends_file` (so their links and htmx answers are checked)."""
    from django.test import Client

    from tests.test_url_auth import COHORT, OWNED, SAMPLES, SIGNED_IN, SITE, address, world_of

    world = world_of(trainee, "Files")
    stored = default_storage.save("exports/probe.zip", ContentFile(b"PK\x05\x06" + b"\0" * 18))
    ExportJob.objects.filter(pk=world.export.pk).update(file=stored)
    clients = {OWNED: Client(), SIGNED_IN: Client(), COHORT: Client()}
    clients[OWNED].force_login(world.owner)
    clients[SIGNED_IN].force_login(world.owner)
    clients[COHORT].force_login(world.trainer)
    attachments = set()
    for route in SITE:
        kind, fill = SAMPLES[route.name]
        if kind not in clients:
            continue
        response = clients[kind].get(address(route, fill(world)))
        if "attachment" in response.get("Content-Disposition", ""):
            attachments.add(route.name)
    assert attachments == file_url_names()


def test_the_admin_shows_an_export_s_file_without_a_link_to_it(client, ready):
    """Staff cannot download a seller's export (its owner only), and media is not served: the
    admin names the file as text, never as a link that leads nowhere."""
    from accounts.models import User

    agent = User.objects.create_user("helper", "h@example.com", "helper-pass-9", is_staff=True)
    agent.groups.add(ensure_support_group())
    client.force_login(agent)
    page = client.get(reverse("admin:lifecycle_exportjob_change", args=[ready.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert ready.file.name in html  # still shown, for support to see
    assert not re.search(r"<a [^>]*href=\"[^\"]*\.zip\"", html)
    assert not re.search(r"<a [^>]*href=\"[^\"]*/media/", html)


# --- At the same moment (a double click, two tabs), on PostgreSQL with real threads -----------


@pytest.mark.django_db(transaction=True)
def test_two_downloads_at_once_record_one(trainee, own_media):
    from lifecycle.services import record_download

    from .test_races import race

    actor = Actor.trainee(trainee)
    account = ready_for_deletion(small_account(trainee))
    job = build_export(request_export(actor=actor, account=account).pk)
    for _ in range(3):
        results = race(*[lambda: record_download(actor=actor, export=job.pk)] * 3)
        assert all(isinstance(r, ExportJob) for r in results)
    assert len(downloads(job)) == 1


@pytest.mark.django_db(transaction=True)
def test_two_refusals_at_once_record_one(trainee):
    from lifecycle.errors import LifecycleError
    from lifecycle.services import record_download

    from .test_races import race

    actor = Actor.trainee(trainee)
    job = request_export(actor=actor, account=ready_for_deletion(small_account(trainee)))
    for _ in range(3):
        results = race(*[lambda: record_download(actor=actor, export=job.pk)] * 3)
        assert all(isinstance(r, LifecycleError) for r in results)
    assert [e.code for e in downloads(job, Outcome.REFUSED)] == ["export_not_ready"]
