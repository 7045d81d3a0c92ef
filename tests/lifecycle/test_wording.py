"""Counts read right (issue 8, item 7): "1 order", "2 orders", on every page and in the emails.

The pages are rendered with 1 and with 2 of everything they count (orders, inquiries, campaigns,
exports, messages, products, customers...) and with the rulebook's numbers set to 1 and to 2
(hours, days, the unlink limit), and no page may say "1 orders" or "2 order". The reminders say
what the rulebook says: 7 days and 1 day before the finalization.
"""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from lifecycle.datetimes import when
from lifecycle.demo import DemoSizes, build_demo_sandbox
from lifecycle.models import ExportJob, InboxMessage
from lifecycle.services import (
    Actor,
    advance_clock,
    confirm_deletion,
    deletion_token,
    request_deletion,
)
from lifecycle.services.clock import scheduled_events
from lifecycle.services.due import sweep_sandbox
from lifecycle.wording import count
from shops.models import Campaign, CampaignStatus, Inquiry, Order, OrderStatus
from tests.engine_guard import arranging
from tests.rulebook import change_rules, each_in_days
from tests.test_page_text import visible_text
from tests.web import url

from .helpers import PASSWORD, SCHEDULED, build_world, drive_to

# Singular and plural of every noun a page counts.
NOUNS = {
    "order": "orders",
    "product": "products",
    "customer": "customers",
    "inquiry": "inquiries",
    "campaign": "campaigns",
    "export": "exports",
    "message": "messages",
    "event": "events",
    "day": "days",
    "hour": "hours",
    "minute": "minutes",
    "shop": "shops",
    "time": "times",
    "buyer": "buyers",
    "follower": "followers",
    "view": "views",
    "video": "videos",
    "link": "links",
    "authorization": "authorizations",
    "listing": "listings",
    "session": "sessions",
    "unlink": "unlinks",
    "recipient": "recipients",
}
_WORDS = r"(?:[a-z]+ ){0,2}?"  # "1 active campaigns", "1 data exports", "2 unanswered inquiry"
_ANY = "|".join([*NOUNS, *NOUNS.values()])
_LAST = rf"\b(?! (?:{_ANY})\b)"  # the phrase's last noun: "2 product links" counts links
WRONG = {
    1: re.compile(rf"(?<![\d.,#:])\b1 {_WORDS}({'|'.join(NOUNS.values())}){_LAST}"),
    2: re.compile(rf"(?<![\d.,#:])\b2 {_WORDS}({'|'.join(NOUNS)}){_LAST}"),
}


def wrong_counts(text: str, n: int) -> list[str]:
    return [m.group(0) for m in WRONG[n].finditer(text)]


def in_context(text: str, n: int) -> list[str]:
    return [text[max(m.start() - 30, 0) : m.end() + 10] for m in WRONG[n].finditer(text)]


def test_the_checker_finds_wrong_counts():
    assert wrong_counts("You have 1 active campaigns and 1 inbox messages.", 1) == [
        "1 active campaigns",
        "1 inbox messages",
    ]
    assert wrong_counts("2 unanswered inquiry", 2) == ["2 unanswered inquiry"]
    assert not wrong_counts("1 order, 1 campaign, in 1 day 6 hours, Tue 1 Dec 2026", 1)
    assert not wrong_counts("2 orders, 12.50 total, export #2 is ready, 2 days", 2)
    assert not wrong_counts("2 product links, 2 customer inquiries", 2)
    assert wrong_counts("2 product link", 2) == ["2 product link"]


def test_count_says_one_and_many():
    assert count(1, "order") == "1 order"
    assert count(2, "order") == "2 orders"
    assert count(0, "inquiry", "inquiries") == "0 inquiries"
    assert count(1, "inquiry", "inquiries") == "1 inquiry"


def _rules(n: int) -> dict:
    """The rulebook's numbers, each set to `n` of its unit."""
    return {
        "UNLINK_COOLDOWN": timedelta(hours=n),
        "UNLINK_LIMIT": n,
        "UNLINK_WINDOW": timedelta(days=n),
        "EXPORT_FRESH_FOR": timedelta(days=n),
        "DELETION_GRACE": timedelta(days=n + 30),  # after the reminders, which stay 7 and 1
        "EXPORT_COOLDOWN": timedelta(hours=n),
        "EXPORT_LINK_VALID_FOR": timedelta(days=n),
        "NOTIFY_CUSTOMERS_WINDOW": timedelta(days=n + 400),  # every demo order falls inside
    }


def _sandbox_with(owner, n: int):
    """A demo sandbox with exactly `n` of each thing the pages count."""
    sizes = DemoSizes(products=n, customers=n, orders=n, inquiries=n, campaigns=n, videos=n)
    sandbox = build_demo_sandbox(owner=owner, name=f"Counts {n}", sizes=sizes)
    account = sandbox.account
    now = sandbox.now()
    with arranging():  # set-up: exact counts, which the demo's mix of states does not give
        Order.objects.filter(account=account).update(
            status=OrderStatus.AWAITING_SHIPMENT, tracking_number=""
        )
        Campaign.objects.filter(account=account).update(status=CampaignStatus.ACTIVE)
        Inquiry.objects.filter(account=account).update(reply="", replied_at=None)
        for status in ("ready", "failed", "queued"):
            for _ in range(1 if status == "queued" else n):  # one in flight at a time
                ExportJob.objects.create(
                    account=account,
                    status=status,
                    progress=100 if status == "ready" else 0,
                    requested_at=now - timedelta(days=3),
                    ready_at=now if status == "ready" else None,
                    expires_at=now + timedelta(days=1) if status == "ready" else None,
                    failure_reason="The disk was full." if status == "failed" else "",
                )
    InboxMessage.objects.filter(sandbox=sandbox).delete()
    for i in range(n):
        InboxMessage.objects.create(
            sandbox=sandbox,
            account=account,
            kind="notice",
            to="seller@example.com",
            subject=f"Notice {i}",
            body="Hello.",
            sent_at=now,
            dedupe_key=f"notice-{i}",
        )
    return sandbox


PAGES = (
    "dashboard",
    "products",
    "orders",
    "customers",
    "campaigns",
    "analytics",
    "audience",
    "videos",
    "sounds",
    "exports",
    "inbox",
    "timeline",
    "lifecycle_map",
    "close_account",
    "close_or_pause",
    "seller_profile",
    "account_type",
    "connected_apps",
    "linked_accounts",
    "profile",
)


@pytest.mark.parametrize("n", [1, 2])
def test_every_page_counts_one_and_two_right(client, trainee, monkeypatch, n, queue):
    change_rules(monkeypatch, **_rules(n))
    sandbox = _sandbox_with(trainee, n)
    client.force_login(trainee)
    report = {}
    for name in PAGES:
        response = client.get(url(name, sandbox))
        assert response.status_code == 200, name
        if found := in_context(visible_text(response.content.decode()), n):
            report[name] = found
    assert not report, "\n".join(f"{k}: {v}" for k, v in report.items())


@pytest.mark.parametrize("n", [1, 2])
def test_the_pages_of_a_pending_deletion_count_right(client, trainee, monkeypatch, n, queue):
    change_rules(monkeypatch, **_rules(n))
    world = build_world(trainee)
    deletion = request_deletion(
        actor=world.actor, account=world.account, password=PASSWORD, acknowledged=True
    )
    client.force_login(trainee)
    pages = [
        url("close_requested", world.sandbox),
        url("dashboard", world.sandbox),
        reverse("confirm_deletion", args=[world.sandbox.pk, deletion_token(deletion)]),
    ]
    report = {}
    for address in pages:
        response = client.get(address, follow=True)
        if found := in_context(visible_text(response.content.decode()), n):
            report[address] = found
    assert not report, "\n".join(f"{k}: {v}" for k, v in report.items())


# --- The reminders -----------------------------------------------------------------------------


def _next_event(world) -> None:
    advance_clock(actor=world.actor, sandbox=world.sandbox, to_next=True)
    sweep_sandbox(sandbox=world.sandbox)


def test_the_reminders_say_7_days_and_1_day(trainee, queue):
    world = drive_to(build_world(trainee), SCHEDULED)
    upcoming = [what for _at, what in scheduled_events(world.sandbox)]
    assert upcoming == [
        *(f"a reminder {ahead} before deletion" for ahead in each_in_days("DELETION_REMINDERS")),
        "the account is deleted for good",
    ]
    _next_event(world)
    _next_event(world)
    subjects = list(
        InboxMessage.objects.filter(sandbox=world.sandbox, kind="deletion_reminder")
        .order_by("id")
        .values_list("subject", flat=True)
    )
    assert subjects == [
        f"Your seller account will be deleted in {left}"
        for left in each_in_days("DELETION_REMINDERS")
    ]


def test_a_reminder_sent_late_says_the_time_left(trainee, queue):
    """The clock jumped past the 7-day mark by 3 days: the reminder says what is true."""
    world = drive_to(build_world(trainee), SCHEDULED)
    request = world.latest_request()
    advance_clock(
        actor=world.actor,
        sandbox=world.sandbox,
        by=request.scheduled_for - world.sandbox.now() - timedelta(days=4),
    )
    sweep_sandbox(sandbox=world.sandbox)
    message = InboxMessage.objects.get(sandbox=world.sandbox, kind="deletion_reminder")
    assert message.subject == "Your seller account will be deleted in 4 days"
    assert when(request.scheduled_for) in message.body
    assert "from Account Settings" not in message.body


def test_the_confirmation_email_counts_the_grace_days(trainee, monkeypatch, queue):
    change_rules(monkeypatch, DELETION_GRACE=timedelta(days=1))
    world = build_world(trainee)
    deletion = request_deletion(
        actor=world.actor, account=world.account, password=PASSWORD, acknowledged=True
    )
    from lifecycle.services.emails import confirmation_email

    body = confirmation_email(world.account, deletion)["body"]
    assert "deleted 1 day later" in body
    confirm_deletion(actor=Actor.trainee(trainee), token=deletion_token(deletion))


@pytest.mark.parametrize("n", [1, 2])
def test_the_timeline_of_a_finalization_counts_right(client, trainee, n, queue):
    sandbox = _sandbox_with(trainee, n)
    account = sandbox.account
    with arranging():  # set-up: nothing in the way of the deletion
        Order.objects.filter(account=account).update(status=OrderStatus.CANCELLED)
        Campaign.objects.filter(account=account).update(status=CampaignStatus.ENDED)
        ExportJob.objects.filter(account=account, status="queued").update(status="failed")
    actor = Actor.trainee(trainee)
    deletion = request_deletion(actor=actor, account=account, password=PASSWORD, acknowledged=True)
    confirm_deletion(actor=actor, token=deletion_token(deletion))
    advance_clock(actor=actor, sandbox=sandbox, by=timedelta(days=31))
    sweep_sandbox(sandbox=sandbox)
    client.force_login(trainee)
    text = visible_text(client.get(url("timeline", sandbox)).content.decode())
    assert "removed for good:" in text
    assert not in_context(text, n)


def test_no_template_writes_a_plural_noun_after_a_bare_number():
    """A number printed by a template and followed by a counted noun goes through pluralize:
    `{{ n }} order{{ n|pluralize }}`, never `{{ n }} orders`."""
    from pathlib import Path

    from django.conf import settings

    plurals = "|".join([*NOUNS.values(), "points", "trainees", "seats", "attempts"])
    bare = re.compile(rf"\{{\{{ *[\w.]+ *\}}\}} +(?:[a-z]+ ){{0,2}}?({plurals})\b")
    found = []
    for folder in settings.TEMPLATES[0]["DIRS"]:
        for path in Path(folder).rglob("*.html"):
            for number, line in enumerate(path.read_text().splitlines(), 1):
                found += [f"{path.name}:{number}: {m.group(0)}" for m in bare.finditer(line)]
    assert not found, "\n".join(found)
