"""Home, the clock, closing the account, the map, exports, inbox and timeline in the browser."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import AccountStatus
from lifecycle.datetimes import when
from lifecycle.models import ExportJob, InboxMessage, TimelineEvent
from lifecycle.services import (
    Actor,
    advance_clock,
    confirm_deletion,
    deletion_token,
    finalize_deletion,
    request_deletion,
)
from shops.models import Campaign, CampaignStatus, Order, OrderStatus
from tests.accounts.factories import SellerAccountFactory
from tests.engine_guard import arranging
from tests.rulebook import change_rules, days_of
from tests.web import clock_form, demo, page_checks, ready_export, shown, url

PAGES = [
    "dashboard",
    "lifecycle_map",
    "close_account",
    "close_requested",
    "exports",
    "inbox",
    "timeline",
]
PASSWORD = "correct-horse-9"


@pytest.fixture
def sandbox(trainee):
    return demo(trainee)


@pytest.fixture
def signed_in(client, trainee):
    client.force_login(trainee)
    return client


@pytest.fixture
def quiet(trainee):
    """An account with nothing in the way of a deletion request."""
    return SellerAccountFactory(sandbox__owner=trainee)


def requested(trainee, account):
    return request_deletion(
        actor=Actor.trainee(trainee), account=account, password=PASSWORD, acknowledged=True
    )


def deleted(trainee, account):
    actor = Actor.trainee(trainee)
    confirm_deletion(actor=actor, token=deletion_token(requested(trainee, account)))
    advance_clock(actor=actor, sandbox=account.sandbox, by=timedelta(days=31))
    return finalize_deletion(actor=Actor.job("sweep"), account=account)


# --- Every page -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
def test_page_renders_with_the_layout(signed_in, sandbox, name):
    response = signed_in.get(url(name, sandbox))
    assert response.status_code == 200
    body = response.content.decode()
    for part in ("Products", "Data exports", "Timeline", "Account Settings", "Sign out"):
        assert part in body
    assert 'data-testid="sandbox-clock"' in body and "+30 days" in body


def fill(sandbox, rows):
    """Events, emails and exports in numbers, for the pages that list them."""
    account = sandbox.account
    now = sandbox.now()
    TimelineEvent.objects.bulk_create(
        TimelineEvent(
            sandbox=sandbox,
            account=account,
            sandbox_time=now,
            actor_kind="job",
            actor_label="job: test",
            action="send_email",
            subject_type="account",
            subject_label="x",
        )
        for _ in range(rows)
    )
    InboxMessage.objects.bulk_create(
        InboxMessage(
            sandbox=sandbox,
            account=account,
            kind="test",
            to="a@example.com",
            subject=f"Hello {i}",
            body="Hi",
            sent_at=now,
            dedupe_key=f"k{i}",
        )
        for i in range(rows)
    )
    ExportJob.objects.bulk_create(
        ExportJob(account=account, status="expired", requested_at=now) for _ in range(rows)
    )


(
    test_page_of_another_trainee_is_404,
    test_anonymous_is_sent_to_login,
    test_page_queries_do_not_grow_with_rows,
) = page_checks(PAGES, fill=fill)


# --- Dashboard and clock --------------------------------------------------------------------


def test_dashboard_shows_what_needs_attention(signed_in, sandbox):
    response = signed_in.get(url("dashboard", sandbox))
    awaiting = Order.objects.filter(
        account__sandbox=sandbox, status=OrderStatus.AWAITING_SHIPMENT
    ).count()
    assert response.context["counts"]["orders_awaiting"] == awaiting == 1
    assert response.context["counts"]["campaigns_active"] == 1


def test_dashboard_counts_what_the_linked_shops_pages_list(signed_in, sandbox):
    shop = sandbox.account.shop_links.get(unlinked_at__isnull=True).shop
    unlinked = signed_in.post(url("unlink_shop", sandbox, shop.pk), {"confirmed": "1"})
    assert unlinked.status_code == 302
    counts = signed_in.get(url("dashboard", sandbox)).context["counts"]
    kept = ("orders_awaiting", "campaigns_active", "products_active")
    shown_counts = {k: counts[k] for k in kept}
    assert shown_counts == {"orders_awaiting": 0, "campaigns_active": 0, "products_active": 0}
    orders = signed_in.get(url("orders", sandbox, query="status=awaiting_shipment"))
    assert orders.context["page_obj"].paginator.count == 0


def test_advance_clock(signed_in, sandbox):
    before = sandbox.now()
    response = signed_in.post(
        url("advance_clock", sandbox), clock_form(sandbox, "7d", next=url("orders", sandbox))
    )
    assert response["Location"] == url("orders", sandbox)
    sandbox.refresh_from_db()
    assert sandbox.now() - before >= timedelta(days=7)
    assert shown(signed_in.get(response["Location"]), "The clock now reads")


def test_clock_never_redirects_elsewhere(signed_in, sandbox):
    response = signed_in.post(
        url("advance_clock", sandbox), clock_form(sandbox, "1h", next="https://evil.example/")
    )
    assert response["Location"] == url("dashboard", sandbox)


def test_clock_refuses_unknown_step_and_empty_schedule(signed_in, sandbox):
    response = signed_in.post(url("advance_clock", sandbox), clock_form(sandbox, "-5d"))
    assert response.status_code == 409
    assert shown(response, "The clock only moves forward: pick a later time.")
    response = signed_in.post(url("advance_clock", sandbox), clock_form(sandbox, "next"))
    assert response.status_code == 409
    assert shown(response, "Nothing is scheduled in this sandbox.")


def test_next_event_is_shown_and_reached(signed_in, trainee, quiet):
    requested(trainee, quiet)
    page = signed_in.get(url("dashboard", quiet.sandbox))
    assert b"Next: the deletion link expires" in page.content
    signed_in.post(url("advance_clock", quiet.sandbox), clock_form(quiet.sandbox, "next"))
    quiet.sandbox.refresh_from_db()
    assert quiet.sandbox.clock_offset > timedelta(hours=24)


# --- Close the account ----------------------------------------------------------------------


def test_close_page_checklist_preview_and_alternatives(signed_in, sandbox):
    response = signed_in.get(url("close_account", sandbox))
    items = {i["key"]: i for i in response.context["checklist"]}
    assert not items["orders"]["done"] and not items["campaigns"]["done"]
    body = response.content.decode()
    assert "?status=awaiting_shipment" in body and "Deactivate instead" in body
    assert "10 orders with their lines and addresses" in body
    assert "with personal details removed" in body


def test_pages_state_the_rules_numbers_from_the_edition(signed_in, sandbox, monkeypatch):
    change_rules(
        monkeypatch,
        UNLINK_COOLDOWN=timedelta(hours=12),
        UNLINK_LIMIT=5,
        UNLINK_WINDOW=timedelta(days=90),
        EXPORT_FRESH_FOR=timedelta(days=3),
        EXPORT_COOLDOWN=timedelta(hours=6),
        EXPORT_LINK_VALID_FOR=timedelta(days=2),
        DELETION_GRACE=timedelta(days=14),
        NOTIFY_CUSTOMERS_WINDOW=timedelta(days=60),
    )
    shop = sandbox.account.shop_links.get(unlinked_at__isnull=True).shop
    expected = {
        url("linked_accounts", sandbox): "unlinked 12 hours after it was linked, and at most 5 "
        "times in 90 days",
        url("unlink_shop", sandbox, shop.pk): "export in the last 3 days",
        url("exports", sandbox): "one new one per 6 hours; the download link works for 2 days",
        url("close_or_pause", sandbox): "a 14-day grace period",
        url("close_account", sandbox): "who ordered in the last 60 days",
    }
    for address, sentence in expected.items():
        assert shown(signed_in.get(address), sentence), address
    assert shown(signed_in.get(url("close_account", sandbox)), "deleted in 14 days unless")


def test_close_checklist_partial_for_htmx(signed_in, sandbox):
    response = signed_in.get(url("close_account", sandbox), headers={"HX-Request": "true"})
    assert response.templates[0].name == "lifecycle/partials/close_checklist.html"
    assert b"<html" not in response.content


def test_request_refused_while_orders_await_shipment(signed_in, sandbox):
    response = signed_in.post(
        url("request_deletion", sandbox), {"password": PASSWORD, "acknowledged": "on"}
    )
    assert response.status_code == 409
    number = Order.objects.get(account__sandbox=sandbox, status="awaiting_shipment").number
    assert shown(
        response, f"1 order is still awaiting shipment (#{number}): ship or cancel it first."
    )
    sandbox.account.refresh_from_db()
    assert sandbox.account.status == AccountStatus.ACTIVE


def test_a_refused_boosted_form_scrolls_to_the_reason(signed_in, quiet):
    form = {"password": "nope", "acknowledged": "on"}
    boosted = {"HX-Request": "true", "HX-Boosted": "true"}
    response = signed_in.post(url("request_deletion", quiet.sandbox), form, headers=boosted)
    assert response.status_code == 409
    assert response["HX-Reswap"] == "innerHTML show:#messages:top"
    # Without htmx there is no swap: a plain browser loads the page at its top anyway.
    plain = signed_in.post(url("request_deletion", quiet.sandbox), form)
    assert plain.status_code == 409 and "HX-Reswap" not in plain


def test_request_refused_with_wrong_password(signed_in, quiet):
    response = signed_in.post(
        url("request_deletion", quiet.sandbox), {"password": "nope", "acknowledged": "on"}
    )
    assert response.status_code == 409
    assert shown(response, "That password is not right")


def test_request_refused_without_acknowledgement(signed_in, quiet):
    response = signed_in.post(url("request_deletion", quiet.sandbox), {"password": PASSWORD})
    assert response.status_code == 409
    assert shown(response, "Tick the box to confirm you understand")


def test_request_then_cancel_from_the_banner(signed_in, quiet):
    response = signed_in.post(
        url("request_deletion", quiet.sandbox), {"password": PASSWORD, "acknowledged": "on"}
    )
    assert response["Location"] == url("close_requested", quiet.sandbox)
    page = signed_in.get(response["Location"])
    assert b"Check your inbox" in page.content and b'data-testid="deletion-banner"' in page.content
    quiet.refresh_from_db()
    assert quiet.status == AccountStatus.DELETION_REQUESTED
    for name in ("products", "timeline", "account_type"):
        assert b"deletion-banner" in signed_in.get(url(name, quiet.sandbox)).content
    response = signed_in.post(url("cancel_deletion", quiet.sandbox))
    assert response.status_code == 302
    quiet.refresh_from_db()
    assert quiet.status == AccountStatus.ACTIVE
    assert b"deletion-banner" not in signed_in.get(url("dashboard", quiet.sandbox)).content


def test_cancel_without_a_request_is_refused(signed_in, quiet):
    response = signed_in.post(url("cancel_deletion", quiet.sandbox))
    assert response.status_code == 409
    assert shown(response, "There is no deletion request to cancel.")


def test_scheduled_banner_counts_down(signed_in, trainee, quiet):
    request = confirm_deletion(
        actor=Actor.trainee(trainee), token=deletion_token(requested(trainee, quiet))
    )
    body = signed_in.get(url("dashboard", quiet.sandbox)).content.decode()
    # The clock's one format, and the countdown in words (never "29 days, 23:59:59").
    assert f"will be deleted for good on {when(request.scheduled_for)}</strong>" in body
    assert f"(in {days_of('DELETION_GRACE')})" in body


def test_deleted_account_sees_one_page(signed_in, trainee, quiet):
    deleted(trainee, quiet)
    response = signed_in.get(url("dashboard", quiet.sandbox))
    assert response["Location"] == url("account_deleted", quiet.sandbox)
    page = signed_in.get(url("account_deleted", quiet.sandbox))
    assert b"This seller account was deleted" in page.content
    assert signed_in.get(url("timeline", quiet.sandbox)).status_code == 200
    assert signed_in.get(url("products", quiet.sandbox)).status_code == 302


def test_deleted_page_of_a_live_account_goes_home(signed_in, sandbox):
    response = signed_in.get(url("account_deleted", sandbox))
    assert response["Location"] == url("dashboard", sandbox)


# --- You are here ---------------------------------------------------------------------------


def test_map_marks_the_state_and_links_actions(signed_in, sandbox):
    response = signed_in.get(url("lifecycle_map", sandbox))
    body = response.content.decode()
    assert 'aria-current="step"' in body
    current = [n for n in response.context["diagram"]["nodes"] if n["current"]]
    assert [n["state"] for n in current] == ["active"]
    assert f'href="{url("close_or_pause", sandbox)}"' in body  # deactivate is live
    actions = {a.transition.action: a for a in response.context["actions"]}
    assert not actions["request_deletion"].enabled  # an order awaits shipment
    # The reason is the request's own refusal sentence, so the two never disagree.
    refusal = signed_in.post(
        url("request_deletion", sandbox), {"password": PASSWORD, "acknowledged": "on"}
    )
    assert refusal.status_code == 409
    assert shown(refusal, actions["request_deletion"].reason)
    assert actions["request_deletion"].reason.endswith(": ship or cancel it first.")
    assert actions["deactivate"].enabled


def test_map_edges_come_from_the_transition_table(signed_in, quiet):
    from lifecycle.transitions import status_edges

    response = signed_in.get(url("lifecycle_map", quiet.sandbox))
    drawn = {
        (e["source"], e["target"], a["action"])
        for e in response.context["diagram"]["edges"]
        for a in e["actions"]
    }
    assert drawn == set(status_edges())


# --- Exports, inbox, timeline ---------------------------------------------------------------


def test_export_job_polls_while_running(signed_in, sandbox):
    with arranging():  # set-up: an export half built
        job = ExportJob.objects.create(
            account=sandbox.account, status="running", progress=40, requested_at=sandbox.now()
        )
    response = signed_in.get(url("export_job", sandbox, job.pk), headers={"HX-Request": "true"})
    body = response.content.decode()
    assert 'data-hx-trigger="every 2s"' in body and 'aria-valuenow="40"' in body
    assert "<html" not in body
    with arranging():  # set-up: a state the services reach only slowly
        ExportJob.objects.filter(pk=job.pk).update(status="failed", failure_reason="disk full")
    response = signed_in.get(url("export_job", sandbox, job.pk), headers={"HX-Request": "true"})
    assert b"every 2s" not in response.content and b"disk full" in response.content


def test_inbox_links_are_clickable(signed_in, sandbox):
    message = InboxMessage.objects.create(
        sandbox=sandbox,
        account=sandbox.account,
        kind="deletion_confirmation",
        to="seller@example.com",
        subject="Confirm",
        body="Open the link.",
        links=[{"label": "Confirm deletion", "url": "/s/1/close/confirm/abc/"}, "/plain/"],
        sent_at=sandbox.now(),
        dedupe_key="x",
    )
    assert b"Confirm" in signed_in.get(url("inbox", sandbox)).content
    page = signed_in.get(url("inbox_message", sandbox, message.pk))
    assert b'href="/s/1/close/confirm/abc/">Confirm deletion</a>' in page.content
    assert b'href="/plain/"' in page.content


def test_inbox_message_of_another_sandbox_is_404(signed_in, other_trainee, sandbox):
    theirs = demo(other_trainee, name="Theirs")
    message = InboxMessage.objects.create(
        sandbox=theirs, subject="x", body="x", to="x", sent_at=theirs.now(), dedupe_key="x"
    )
    assert signed_in.get(url("inbox_message", sandbox, message.pk)).status_code == 404


def test_timeline_newest_first_filtered_and_paginated(signed_in, trainee, sandbox):
    actor = Actor.trainee(trainee)
    for _ in range(30):
        advance_clock(actor=actor, sandbox=sandbox, by=timedelta(hours=1))
    signed_in.post(url("reactivate", sandbox))  # idempotent: no event
    signed_in.post(url("cancel_deletion", sandbox))  # refused: one event
    page = signed_in.get(url("timeline", sandbox))
    ids = [e.pk for e in page.context["page_obj"]]
    assert ids == sorted(ids, reverse=True) and len(ids) == 25
    refused = signed_in.get(url("timeline", sandbox, query="outcome=refused"))
    assert [e.action for e in refused.context["page_obj"]] == ["cancel_deletion"]
    second = signed_in.get(url("timeline", sandbox, query="action=advance_clock&page=2"))
    assert len(second.context["page_obj"]) == 5
    assert b"action=advance_clock&amp;page=1" in second.content
    jobs = signed_in.get(url("timeline", sandbox, query="actor=job"))
    assert list(jobs.context["page_obj"]) == []


def test_timeline_partial_for_htmx(signed_in, sandbox):
    response = signed_in.get(
        url("timeline", sandbox, query="outcome=done"), headers={"HX-Request": "true"}
    )
    assert b'id="timeline-rows"' in response.content and b"<html" not in response.content


# --- Protections on every action ------------------------------------------------------------


def actions(sandbox):
    return [
        url("advance_clock", sandbox),
        url("request_deletion", sandbox),
        url("cancel_deletion", sandbox),
        url("notify_customers", sandbox),
        url("request_export", sandbox),
        url("retry_export", sandbox, 1),
    ]


def test_actions_enforce_csrf(trainee, sandbox):
    client = Client(enforce_csrf_checks=True)
    client.force_login(trainee)
    for address in actions(sandbox):
        assert client.post(address, {"by": "1d"}).status_code == 403, address
    sandbox.refresh_from_db()
    assert sandbox.clock_offset == timedelta(0)


def test_actions_need_sign_in_ownership_and_post(client, trainee, other_trainee, sandbox):
    for address in actions(sandbox):
        response = client.post(address)
        assert response.status_code == 302 and "/login/" in response["Location"], address
    client.force_login(other_trainee)
    for address in actions(sandbox):
        assert client.post(address, {"by": "1d"}).status_code == 404, address
    client.force_login(trainee)
    for address in actions(sandbox):
        assert client.get(address).status_code == 405, address


def test_campaign_block_names_the_campaign(signed_in, trainee, quiet):
    from tests.shops.factories import CampaignFactory, ShopFactory

    CampaignFactory(
        account=quiet, shop=ShopFactory(sandbox=quiet.sandbox), status=CampaignStatus.ACTIVE
    )
    response = signed_in.post(
        url("request_deletion", quiet.sandbox), {"password": PASSWORD, "acknowledged": "on"}
    )
    assert response.status_code == 409
    name = Campaign.objects.get(account=quiet).name
    assert shown(response, f"1 campaign is still running ({name}): end it first.")


# --- Exports and announcements, through the jobs' services ----------------------------------


def test_request_export_then_refused_while_in_flight(
    signed_in, sandbox, queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(url("request_export", sandbox))
    assert response["Location"] == url("exports", sandbox)
    job = ExportJob.objects.get(account__sandbox=sandbox)
    assert job.status == "queued" and queue.names() == ["build_export_task"]
    page = signed_in.get(response["Location"])
    assert shown(page, f"Export #{job.number} is queued")
    assert f'data-hx-get="{url("export_job", sandbox, job.pk)}"'.encode() in page.content
    response = signed_in.post(url("request_export", sandbox))
    assert response.status_code == 409
    assert shown(response, f"Export #{job.number} is still being prepared")
    assert ExportJob.objects.filter(account__sandbox=sandbox).count() == 1


def test_failed_export_shows_reason_and_retries(signed_in, trainee, sandbox, queue):
    from lifecycle.services import fail_export, request_export

    job = request_export(actor=Actor.trainee(trainee), account=sandbox.account)
    fail_export(actor=Actor.job("build_export"), export=job, reason="The disk was full.")
    page = signed_in.get(url("exports", sandbox))
    assert b"The disk was full." in page.content
    assert url("retry_export", sandbox, job.pk).encode() in page.content
    response = signed_in.post(url("retry_export", sandbox, job.pk))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == "queued"


def test_retry_of_an_export_that_did_not_fail_is_refused(signed_in, sandbox):
    with arranging():  # set-up: an expired export
        job = ExportJob.objects.create(
            account=sandbox.account, status="expired", requested_at=sandbox.now()
        )
    response = signed_in.post(url("retry_export", sandbox, job.pk))
    assert response.status_code == 409
    assert shown(response, f"Export #{job.number} is expired: only a failed export can be retried.")


def test_ready_export_offers_download_and_expiry(signed_in, sandbox):
    job = ready_export(sandbox)
    page = signed_in.get(url("exports", sandbox))
    assert url("download_export", sandbox, job.pk).encode() in page.content
    assert b"link valid until" in page.content and b"every 2s" not in page.content


def test_notify_customers_queues_the_announcement(
    signed_in, sandbox, queue, django_capture_on_commit_callbacks
):
    page = signed_in.get(url("close_account", sandbox))
    assert page.context["recipients"] > 0
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(url("notify_customers", sandbox))
    assert response["Location"] == url("close_account", sandbox) + "#notify"
    assert queue.names() == ["notify_customers_task"]
    page = signed_in.get(url("close_account", sandbox))
    assert b"The announcement is queued and being sent now." in page.content
    with django_capture_on_commit_callbacks(execute=True):
        signed_in.post(url("notify_customers", sandbox))  # a second click changes nothing
    assert queue.names() == ["notify_customers_task"]


def test_notify_refused_for_a_deleted_account(signed_in, trainee, quiet):
    deleted(trainee, quiet)
    response = signed_in.post(url("notify_customers", quiet.sandbox))
    assert response.status_code == 302  # a deleted account sees only its closing page
    assert response["Location"] == url("account_deleted", quiet.sandbox)


def test_emailed_link_pages_get_the_layout(signed_in, trainee, quiet):
    request = requested(trainee, quiet)
    address = reverse("confirm_deletion", args=[quiet.sandbox.pk, deletion_token(request)])
    body = signed_in.get(address, follow=True).content.decode()
    assert 'data-testid="sandbox-clock"' in body and 'data-testid="deletion-banner"' in body


def test_not_found_page_for_another_trainees_sandbox(client, other_trainee, sandbox):
    client.force_login(other_trainee)
    response = client.get(url("dashboard", sandbox))
    assert response.status_code == 404
    assert b"belongs to another trainee" in response.content
    assert b"sandbox-clock" not in response.content


def test_clock_buttons_say_what_they_trigger(signed_in, trainee, quiet):
    requested(trainee, quiet)  # the link expires in 24 hours
    steps = {
        s["key"]: s["triggers"]
        for s in signed_in.get(url("dashboard", quiet.sandbox)).context["clock_steps"]
    }
    assert steps["1h"] == []
    assert steps["1d"] == steps["30d"] == ["the deletion link expires"]


def test_history_restore_gets_the_whole_page(signed_in, sandbox):
    headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    response = signed_in.get(url("timeline", sandbox), headers=headers)
    assert b"<html" in response.content and b"sandbox-clock" in response.content


def test_you_are_here_after_the_deletion_shows_the_final_state(signed_in, trainee, quiet):
    """The nav's "You are here" of a deleted account opened the deleted page, with no diagram."""
    deleted(trainee, quiet)
    response = signed_in.get(url("lifecycle_map", quiet.sandbox))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="state-diagram"' in body
    current = re.findall(r'<g class="node current" data-state="(\w+)"', body)
    assert current == ["deleted"]
    assert "Nothing: the account is deleted." in body
