"""The support desk in the admin: one search, the case page, the dashboard, and previews that
ask for a reason (and a typed name before a finalization)."""

import re
from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.models import AccountStatus, Sandbox, User
from accounts.roles import ensure_support_group
from lifecycle import heartbeat
from lifecycle.datetimes import when
from lifecycle.demo import DemoSizes, build_demo_sandbox
from lifecycle.errors import LifecycleError
from lifecycle.models import (
    DeletionRequest,
    DeletionStatus,
    ExportStatus,
    Heartbeat,
    InboxMessage,
    TimelineEvent,
)
from lifecycle.services import (
    Actor,
    advance_clock,
    cancel_deletion,
    confirm_deletion,
    deletion_token,
    fail_export,
    request_deletion,
    request_export,
    send_deletion_confirmation,
    unlink_shop,
)
from lifecycle.transitions import Action
from shops.models import Shop
from tests.lifecycle.helpers import SWEEP
from tests.rulebook import days_of
from tests.support_admin import REASON, change_page, changelist, client_for, post_action, reported

SMALL = DemoSizes(products=3, customers=3, orders=0, inquiries=0, campaigns=0)
PASSWORD = "correct-horse-9"
SANDBOX = "accounts.sandbox"
ACCOUNT = "accounts.selleraccount"


@pytest.fixture
def agent(db) -> User:
    user = User.objects.create_user("desk", "desk@example.com", "desk-pass-9", is_staff=True)
    user.groups.add(ensure_support_group())
    return user


@pytest.fixture
def desk(agent):
    return client_for(agent)


@pytest.fixture
def demo(trainee):
    trainee.first_name, trainee.last_name = "Mira", "Okafor"
    trainee.save()
    return build_demo_sandbox(owner=trainee, name="Practice room", sizes=SMALL)


def request_and_confirm(demo, trainee):
    request = request_deletion(
        actor=Actor.trainee(trainee), account=demo.account, password=PASSWORD, acknowledged=True
    )
    send_deletion_confirmation(actor=SWEEP, request=request)  # the job's part
    confirm_deletion(actor=Actor.trainee(trainee), token=deletion_token(request), sandbox=demo)
    return DeletionRequest.objects.get(pk=request.pk)


# --- One search -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query", ["Okafor", "trainee@example.com", "Practice room", "(the outlet)", "(the seller)"]
)
def test_one_search_finds_the_seller_by_each_key_and_opens_the_case(desk, demo, query):
    elsewhere = build_demo_sandbox(
        owner=User.objects.create_user("someone"), name="Elsewhere", sizes=SMALL
    )
    Shop.objects.filter(sandbox__name="Elsewhere").update(name="Another shop")
    # Demo names are generated per sandbox: the outlet and the seller are read from this one.
    query = {
        "(the outlet)": demo.shops.get(name__endswith=" Outlet").name,
        "(the seller)": demo.account.display_name,
    }.get(query, query)
    if query == elsewhere.account.display_name:  # two sellers so called: a list, then the case
        response = desk.get(reverse("support:search"), {"q": query})
        assert response.status_code == 200
        assert reverse("support:case", args=[demo.account.pk]) in response.content.decode()
        return
    response = desk.get(reverse("support:search"), {"q": query})
    assert response.status_code == 302
    assert response.url == reverse("support:case", args=[demo.account.pk])


def test_a_search_that_finds_nothing_says_what_to_search_by(desk, demo):
    html = desk.get(reverse("support:search"), {"q": "nobody"}).content.decode()
    assert "No seller matches “nobody”" in html


def test_the_desk_needs_the_right_to_see_accounts(db):
    outsider = User.objects.create_user("staffer", is_staff=True)
    assert client_for(outsider).get(reverse("support:search"), {"q": "x"}).status_code == 403
    assert client_for(outsider).get(reverse("support:dashboard")).status_code == 403


# --- The case page ----------------------------------------------------------------------------


def test_the_case_page_shows_the_whole_case_in_words(desk, demo, trainee, agent):
    request = request_and_confirm(demo, trainee)
    export = request_export(actor=Actor.trainee(trainee), account=demo.account)
    fail_export(actor=SWEEP, export=export, reason="The builder stopped at 40%")
    html = desk.get(reverse("support:case", args=[demo.account.pk])).content.decode()
    assert "Deletion scheduled" in html and "Business (Art" in html
    assert f"Finalizes in {days_of('DELETION_GRACE')}" in html and "(this sandbox's clock)" in html
    assert "The builder stopped at 40%" in html and "Progress 99" not in html
    assert demo.shops.get(name__endswith=" Shop").name in html and "linked since" in html
    assert "Confirm the deletion of your seller account" in html  # the inbox
    assert deletion_token(request) not in html  # never the live link
    assert "timedelta" not in html and "deletion_scheduled" not in html.split("<tbody>", 1)[1]
    for url in (
        change_page(ACCOUNT, demo.account.pk),
        change_page(SANDBOX, demo.pk),
        change_page("accounts.user", trainee.pk),
        change_page("lifecycle.deletionrequest", request.pk),
        change_page("lifecycle.exportjob", export.pk),
    ):
        assert url in html
    assert 'name="action" value="cancel_deletion"' in html
    assert 'name="action" value="retry_for_seller"' in html
    assert 'name="action" value="deactivate"' not in html  # not offered while scheduled


def test_the_case_page_writes_every_time_the_clock_s_one_way(desk, demo, trainee):
    """Issue 15 item 9: no "Nov. 1, 2026" beside "Tue 8 Dec 2026" on one page."""
    export = request_export(actor=Actor.trainee(trainee), account=demo.account)
    html = desk.get(reverse("support:case", args=[demo.account.pk])).content.decode()
    assert when(export.requested_at) in html
    months = "Jan|Feb|March|April|May|June|July|Aug|Sept|Oct|Nov|Dec"
    assert not re.search(rf"\b({months})\.? \d{{1,2}}, \d{{4}}", html)


def test_actions_that_cannot_succeed_are_not_offered_or_say_why(desk, demo, trainee):
    shop = demo.shops.get(name__endswith=" Shop")  # the linked one
    unlink_shop(actor=Actor.trainee(trainee), account=demo.account, shop=shop, confirmed=True)
    from lifecycle.services import relink_shop

    relink_shop(actor=Actor.trainee(trainee), account=demo.account, shop=shop)
    html = desk.get(reverse("support:case", args=[demo.account.pk])).content.decode()
    assert "nothing to unlink" in html  # the outlet was never linked
    # Within the cool-down only the override is offered (the desk agent holds it).
    assert 'value="unlink_override"' in html and 'name="action" value="unlink"' not in html


def test_the_timeline_filters_by_action_and_outcome(desk, demo, trainee, agent):
    with pytest.raises(LifecycleError):
        cancel_deletion(actor=Actor.trainee(trainee), account=demo.account)  # refused
    url = reverse("support:case", args=[demo.account.pk])
    html = desk.get(url, {"outcome": "refused"}).content.decode()
    assert "1 event," in html and "There is no deletion request to cancel." in html
    html = desk.get(url, {"action": Action.LINK_SHOP}).content.decode()
    assert "1 event," in html and "Link shop" in html


def _case_queries(desk, account) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert desk.get(reverse("support:case", args=[account.pk])).status_code == 200
    return len(captured)


def test_the_case_page_costs_the_same_at_10_and_1000_timeline_events(desk, demo, agent):
    staff = Actor.staff(agent, reason=REASON)

    def grow_to(n: int) -> None:
        while TimelineEvent.objects.filter(sandbox=demo).count() < n:
            advance_clock(actor=staff, sandbox=demo, by=timedelta(minutes=1))

    grow_to(10)
    small = _case_queries(desk, demo.account)
    events = TimelineEvent.objects.filter(sandbox=demo)
    template = events.first()
    TimelineEvent.objects.bulk_create(
        TimelineEvent(
            sandbox=demo,
            account=demo.account,
            sandbox_time=template.sandbox_time,
            actor_kind="trainee",
            actor_label="trainee",
            action=Action.CHANGE_LISTING,
            subject_type="product",
            subject_label="A product",
            before="active",
            after="sold_out",
        )
        for _ in range(1000 - events.count())
    )
    assert events.count() == 1000
    assert _case_queries(desk, demo.account) == small
    html = desk.get(reverse("support:case", args=[demo.account.pk])).content.decode()
    assert "Page 1 of 40" in html


def test_notes_are_kept_with_the_case_and_never_on_the_trainees_timeline(desk, demo, agent):
    url = reverse("support:note", args=[demo.account.pk])
    desk.post(url, {"text": "Called the trainee about the export"})
    html = desk.get(reverse("support:case", args=[demo.account.pk])).content.decode()
    assert "Called the trainee about the export" in html
    assert not TimelineEvent.objects.filter(message__contains="Called").exists()
    entry = LogEntry.objects.get(content_type__model="supportnote")
    assert entry.user == agent and entry.is_addition()
    response = desk.post(url, {"text": "  "}, follow=True)
    assert "A note needs some text." in response.content.decode()


# --- Previews, reasons and typed confirmations ------------------------------------------------


def test_every_admin_action_previews_first_and_needs_a_reason(desk, demo):
    response = post_action(desk, ACCOUNT, "deactivate", [demo.account])
    html = response.content.decode()
    assert "listings are hidden" in html and "This applies to 1 seller account." in html
    response = post_action(desk, ACCOUNT, "deactivate", [demo.account], confirm="yes", reason=" ")
    assert "Give a reason" in response.content.decode()
    demo.account.refresh_from_db()
    assert demo.account.status == AccountStatus.ACTIVE
    assert not TimelineEvent.objects.filter(action=Action.DEACTIVATE).exists()


def test_a_bulk_action_confirms_with_the_count(desk, demo, trainee):
    other = build_demo_sandbox(owner=trainee, name="Second room", sizes=SMALL)
    html = post_action(desk, ACCOUNT, "deactivate", [demo.account, other.account]).content
    html = html.decode()
    assert "This applies to 2 seller accounts." in html and "(2)" in html


def test_cancel_with_tell_the_seller_records_the_agent_reason_and_email(desk, demo, trainee, agent):
    request_and_confirm(demo, trainee)
    response = post_action(
        desk,
        ACCOUNT,
        "cancel_deletion",
        [demo.account],
        confirm="yes",
        tell_seller="on",
        message="Your account stays open.",
        _next=reverse("support:case", args=[demo.account.pk]),
    )
    assert response.url == reverse("support:case", args=[demo.account.pk])
    event = TimelineEvent.objects.get(action=Action.CANCEL_DELETION)
    assert (event.actor, event.params["reason"]) == (agent, REASON)
    email = InboxMessage.objects.get(kind="support_cancel_deletion")
    assert email.sandbox == demo and "Your account stays open." in email.body
    assert REASON not in email.body
    entry = LogEntry.objects.get(object_id=str(demo.account.pk))
    assert entry.user == agent and REASON in entry.change_message
    assert "The seller was told by email." in reported(response)[0][1]


def test_a_clock_move_that_would_finalize_needs_the_accounts_name(desk, demo, trainee):
    request_and_confirm(demo, trainee)
    advance_clock(actor=SWEEP, sandbox=demo, by=timedelta(days=29, hours=12))
    seller = demo.account.display_name
    preview = post_action(desk, SANDBOX, "advance_one_day", [demo]).content.decode()
    assert f"This finalizes the deletion of {escape(seller)}" in preview
    assert "the account is deleted for good" in preview
    assert 'name="typed_name"' in preview

    refused = post_action(desk, SANDBOX, "advance_one_day", [demo], confirm="yes")
    assert f"Type the account&#x27;s name exactly ({escape(seller)})" in refused.content.decode()
    refused = post_action(
        desk, SANDBOX, "advance_one_day", [demo], confirm="yes", typed_name=seller.lower()
    )
    assert refused.status_code == 200
    demo.refresh_from_db()
    assert demo.account.status == AccountStatus.DELETION_SCHEDULED

    post_action(desk, SANDBOX, "advance_one_day", [demo], confirm="yes", typed_name=seller)
    request = DeletionRequest.objects.get(account__sandbox=demo)
    assert request.status == DeletionStatus.FINALIZED


def test_a_clock_move_without_a_finalization_asks_no_name(desk, demo):
    preview = post_action(desk, SANDBOX, "advance_seven_days", [demo]).content.decode()
    assert "Nothing becomes due." in preview and 'name="typed_name"' not in preview


def test_run_what_is_due_records_the_agent_who_pressed_it(desk, demo, agent):
    post_action(desk, SANDBOX, "run_due_work_now", [demo], confirm="yes")
    event = TimelineEvent.objects.get(action=Action.RUN_DUE_WORK)
    assert (event.actor, event.params["reason"]) == (agent, REASON)


def test_a_demo_reset_from_the_admin_keeps_the_agents_events(desk, demo, agent):
    post_action(desk, ACCOUNT, "deactivate", [demo.account], confirm="yes")
    post_action(desk, SANDBOX, "reset_demo", [demo], confirm="yes")
    fresh = Sandbox.objects.get(name="Practice room")
    kept = TimelineEvent.objects.by_staff(agent).order_by("id")
    assert [e.action for e in kept] == [Action.DEACTIVATE, Action.RESET_DEMO]
    assert {e.sandbox_id for e in kept} == {fresh.pk}


# --- The dashboard ----------------------------------------------------------------------------


def test_the_dashboard_counts_on_each_sandboxs_own_clock(desk, demo, trainee):
    request_and_confirm(demo, trainee)
    later = build_demo_sandbox(owner=trainee, name="Later room", sizes=SMALL)
    request_and_confirm(later, trainee)
    advance_clock(actor=SWEEP, sandbox=demo, by=timedelta(days=25))  # 5 days left here only
    export = request_export(actor=Actor.trainee(trainee), account=later.account)
    fail_export(actor=SWEEP, export=export, reason="Disk full")
    html = desk.get(reverse("support:dashboard")).content.decode()
    assert "1 deletion finalizing within 7 days" in html
    assert reverse("support:case", args=[demo.account.pk]) in html
    assert "1 failed export" in html and "Disk full" in html
    assert f"{changelist(ACCOUNT)}?status__exact=deletion_scheduled" in html
    listed = desk.get(changelist("lifecycle.deletionrequest"), {"finalizes": "7d"})
    assert listed.context["cl"].result_count == 1
    failed = desk.get(changelist("lifecycle.exportjob"), {"status__exact": ExportStatus.FAILED})
    assert failed.context["cl"].result_count == 1
    assert "Broker" in html and "Workers" in html and "Queue" in html


def test_the_dashboards_health_reads_the_heartbeats_as_healthz_does(desk, monkeypatch):
    from config.celery import app

    def refused(*args, **kwargs):
        raise AssertionError("the dashboard pinged the workers")

    monkeypatch.setattr(app.control, "ping", refused)
    heartbeat.beat(heartbeat.WORKER, "celery@box", started=True)
    heartbeat.beat(heartbeat.SCHEDULER, "beat@box", started=True)
    Heartbeat.objects.filter(name="beat@box").update(beat_at=timezone.now() - timedelta(seconds=90))
    html = desk.get(reverse("support:dashboard")).content.decode()
    healthz = reverse("healthz")
    worker = f'<span class="support-ok">up</span>: <a href="{healthz}">1 worker beating: celery@box'
    assert worker in html
    scheduler = f'<span class="support-down">down</span>: <a href="{healthz}">beat@box silent for'
    assert scheduler in html
    assert "no heartbeat recorded" not in html


# --- A readable admin -------------------------------------------------------------------------


def test_the_admin_names_the_simulator_and_starts_with_the_desk(desk):
    html = desk.get(reverse("admin:index")).content.decode()
    assert "Seller Lifecycle Simulator: support desk" in html
    assert reverse("support:search") in html and reverse("support:dashboard") in html
    assert "View site" not in html  # support creates no sandboxes of its own


def test_a_trainees_page_offers_support_no_password_link(desk, trainee):
    html = desk.get(change_page("accounts.user", trainee.pk)).content.decode()
    assert "../password/" not in html and "Reset password" not in html


def test_times_use_one_format(desk, demo):
    html = desk.get(changelist(SANDBOX)).content.decode()
    assert not re.search(r"\d{1,2}:\d{2} [ap]\.m\.", html)


def test_change_pages_say_clock_moves_in_times_not_durations(desk, demo, agent):
    advance_clock(actor=Actor.staff(agent, reason=REASON), sandbox=demo, by=timedelta(days=1))
    html = desk.get(change_page(SANDBOX, demo.pk)).content.decode()
    assert "1 day, 0 h 0 min" in html
    assert "1 day, 0:00:00" not in html  # neither the field nor the timeline excerpt


@pytest.mark.parametrize(
    ("model", "header"),
    [
        ("lifecycle.timelineevent", "When (sandbox time)"),
        ("lifecycle.deletionrequest", "Scheduled for (sandbox time)"),
        ("lifecycle.exportjob", "Expires (sandbox time)"),
        ("lifecycle.inboxmessage", "Sent (sandbox time)"),
        ("shops.shoplink", "Linked (sandbox time)"),
    ],
)
def test_list_columns_say_their_times_are_sandbox_times(desk, demo, trainee, model, header):
    request_and_confirm(demo, trainee)
    request_export(actor=Actor.trainee(trainee), account=demo.account)
    assert header in desk.get(changelist(model)).content.decode()
