"""The timeline and job rows in the support admin: visible, searchable, never editable."""

import re

import pytest
from django.urls import reverse

from lifecycle.admin import EVENTS_SHOWN
from lifecycle.errors import LifecycleError
from lifecycle.models import DeletionRequest, ExportJob, InboxMessage, TimelineEvent
from lifecycle.services import Actor, advance_clock, deactivate_account, request_deletion
from tests.accounts.factories import SellerAccountFactory
from tests.support_admin import change_page, changelist, client_for, staff_with

EVENT = "lifecycle.timelineevent"
VIEW_ONLY = ["lifecycle.deletionrequest", "lifecycle.exportjob", "lifecycle.inboxmessage"]

pytestmark = pytest.mark.django_db


@pytest.fixture
def account():
    account = SellerAccountFactory()
    owner = account.sandbox.owner
    request_deletion(
        actor=Actor.trainee(owner), account=account, password="pass-word-9", acknowledged=True
    )
    with pytest.raises(LifecycleError):  # refused, and recorded too
        deactivate_account(actor=Actor.trainee(owner), account=account)
    return account


def test_the_timeline_is_listed_newest_first_with_actor_and_outcome(admin_client, account):
    response = admin_client.get(changelist(EVENT))
    events = list(response.context["cl"].result_list)
    assert [(e.action, e.outcome) for e in events] == [
        ("deactivate", "refused"),
        ("request_deletion", "done"),
    ]
    assert account.sandbox.owner.username in response.content.decode()


def test_the_timeline_filters_by_account_sandbox_actor_and_outcome(admin_client, account):
    other = SellerAccountFactory(sandbox__name="Glaze lab")
    with pytest.raises(LifecycleError):  # nothing is scheduled
        advance_clock(actor=Actor.trainee(other.sandbox.owner), sandbox=other.sandbox, to_next=True)

    def found(**query) -> list[str]:
        response = admin_client.get(changelist(EVENT), query)
        return [e.action for e in response.context["cl"].result_list]

    assert found(account__id__exact=account.pk) == ["deactivate", "request_deletion"]
    assert found(sandbox__id__exact=other.sandbox_id) == ["advance_clock"]
    assert found(outcome__exact="refused") == ["advance_clock", "deactivate"]
    assert found(q=other.sandbox.name) == ["advance_clock"]


def test_timeline_events_cannot_be_added_changed_or_deleted(admin_client, account):
    event = TimelineEvent.objects.filter(account=account).earliest("id")
    page = change_page(EVENT, event.pk)
    view = admin_client.get(page)
    assert view.status_code == 200
    assert 'name="_save"' not in view.content.decode()
    assert admin_client.get(reverse("admin:lifecycle_timelineevent_add")).status_code == 403
    changed = admin_client.post(page, {"action": "finalize_deletion", "outcome": "refused"})
    assert changed.status_code == 403
    delete = reverse("admin:lifecycle_timelineevent_delete", args=[event.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    bulk = admin_client.post(
        changelist(EVENT), {"action": "delete_selected", "_selected_action": [event.pk]}
    )
    assert bulk.status_code in (200, 302)
    event.refresh_from_db()
    assert (event.action, event.outcome) == ("request_deletion", "done")
    assert TimelineEvent.objects.count() == 2


def test_staff_with_only_view_permission_see_the_timeline():
    client = client_for(staff_with("lifecycle.view_timelineevent"))
    assert client.get(changelist(EVENT)).status_code == 200
    assert client_for(staff_with()).get(changelist(EVENT)).status_code == 403


def test_the_change_page_excerpt_is_limited_and_links_to_all(admin_client):
    account = SellerAccountFactory()
    owner = account.sandbox.owner
    for _ in range(EVENTS_SHOWN + 5):
        with pytest.raises(LifecycleError):  # a trainee cannot act as staff: refused each time
            deactivate_account(actor=Actor.staff(owner), account=account)
    html = admin_client.get(change_page("accounts.selleraccount", account.pk)).content.decode()
    assert len(re.findall(r"/admin/lifecycle/timelineevent/\d+/change/", html)) == EVENTS_SHOWN
    assert f"/admin/lifecycle/timelineevent/?account__id__exact={account.pk}" in html


@pytest.mark.parametrize("model", VIEW_ONLY)
def test_job_rows_are_view_only(admin_client, model, account):
    app_label, name = model.split(".")
    assert admin_client.get(changelist(model)).status_code == 200
    assert admin_client.get(reverse(f"admin:{app_label}_{name}_add")).status_code == 403


def test_a_deletion_request_shows_its_state_but_not_its_secret(admin_client, account):
    request = DeletionRequest.objects.get(account=account)
    page = admin_client.get(change_page("lifecycle.deletionrequest", request.pk))
    html = page.content.decode()
    assert "Waiting for email confirmation" in html
    assert request.nonce not in html
    posted = admin_client.post(
        change_page("lifecycle.deletionrequest", request.pk), {"status": "cancelled"}
    )
    assert posted.status_code == 403
    request.refresh_from_db()
    assert request.status == "pending"


def test_export_and_inbox_rows_render(admin_client, account):
    export = ExportJob.objects.create(account=account, requested_at=account.sandbox.now())
    message = InboxMessage.objects.create(
        sandbox=account.sandbox,
        account=account,
        kind="deletion_confirmation",
        to="seller@example.com",
        subject="Confirm the deletion",
        body="Open the link.",
        sent_at=account.sandbox.now(),
        dedupe_key="x",
    )
    assert admin_client.get(change_page("lifecycle.exportjob", export.pk)).status_code == 200
    html = admin_client.get(change_page("lifecycle.inboxmessage", message.pk)).content
    assert b"Confirm the deletion" in html
    assert admin_client.post(change_page("lifecycle.exportjob", export.pk), {}).status_code == 403
