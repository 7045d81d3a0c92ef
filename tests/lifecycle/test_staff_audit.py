"""The staff audit log, and staff actions posted without their right (issue 23, item 2).

A lead sees every staff action and refusal across sandboxes, filtered by agent, action, outcome
and time. A form posted for an action the agent has no right to (the admin never offers it) is
refused: nothing changes, the refusal is recorded with the missing right, and the agent is told
which right it is, instead of the admin's "No action selected.".
"""

from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountStatus, Sandbox
from accounts.roles import SUPPORT_ACTIONS, ensure_support_group
from lifecycle.errors import Code
from lifecycle.models import ExportJob, Outcome, TimelineEvent
from lifecycle.services import Actor, fail_export, request_export
from lifecycle.transitions import Action
from shops.models import Shop
from tests.accounts.factories import UserFactory
from tests.support_admin import REASON, client_for, post_action, reported, staff_with
from tests.test_page_text import visible_text
from tests.web import demo

AUDIT = reverse("support:audit")


@pytest.fixture(autouse=True)
def _no_real_queue(queue):
    """Exports are requested without a broker."""


@pytest.fixture
def sandbox(trainee):
    return demo(trainee, orders=0)


def failed_export(sandbox) -> ExportJob:
    job = request_export(actor=Actor.trainee(sandbox.owner), account=sandbox.account)
    fail_export(actor=Actor.job("build_export"), export=job, reason="The disk was full.")
    return ExportJob.objects.get(pk=job.pk)


def agent_without(*rights: str):
    """An agent with the Support group's rights (held directly), less these ("app.codename")."""
    agent = UserFactory(is_staff=True)
    held = ensure_support_group().permissions.select_related("content_type")
    agent.user_permissions.set(
        [p for p in held if f"{p.content_type.app_label}.{p.codename}" not in rights]
    )
    return agent


# Every staff admin action: (model, admin action, the right it needs, its timeline action).
ACC, SBX, SHOP = "accounts.selleraccount", "accounts.sandbox", "shops.shop"
CLOCK = "accounts.advance_clock_sandbox"
RESTORE = "rewind.restore_checkpoint"
STAFF_ACTIONS = [
    (ACC, "deactivate", "accounts.deactivate_selleraccount", "deactivate"),
    (ACC, "reactivate", "accounts.reactivate_selleraccount", "reactivate"),
    (ACC, "cancel_deletion", "accounts.cancel_deletion_selleraccount", "cancel_deletion"),
    (
        ACC,
        "resend_confirmation",
        "accounts.resend_confirmation_selleraccount",
        "resend_confirmation",
    ),
    (
        "lifecycle.exportjob",
        "retry_for_seller",
        "accounts.retry_export_selleraccount",
        "retry_export",
    ),
    (SHOP, "unlink", "shops.unlink_shop", "unlink_shop"),
    (SHOP, "unlink_override", "shops.override_unlink_limits_shop", "unlink_shop"),
    (SBX, "advance_one_day", CLOCK, "advance_clock"),
    (SBX, "advance_seven_days", CLOCK, "advance_clock"),
    (SBX, "advance_to_next_event", CLOCK, "advance_clock"),
    (SBX, "run_due_work_now", "accounts.run_due_work_sandbox", "run_due_work"),
    (SBX, "reset_demo", "accounts.reset_demo_sandbox", "reset_demo"),
    ("rewind.checkpoint", "restore_as_new", RESTORE, "restore_checkpoint"),
    ("rewind.checkpoint", "restore_in_place", RESTORE, "restore_checkpoint"),
]


def test_every_staff_action_right_of_the_support_group_is_covered_here():
    rights = {f"{app}.{codename}" for app, codename in SUPPORT_ACTIONS}
    covered = {right for _, _, right, _ in STAFF_ACTIONS}
    assert rights - covered == {"lifecycle.add_supportnote"}  # notes are not actions


def target(model: str, sandbox: Sandbox):
    if model == "accounts.selleraccount":
        return sandbox.account
    if model == "shops.shop":
        return Shop.objects.get(links__account=sandbox.account, links__unlinked_at=None)
    if model == "lifecycle.exportjob":
        return failed_export(sandbox)
    if model == "rewind.checkpoint":
        from rewind.services import save_checkpoint

        return save_checkpoint(
            actor=Actor.trainee(sandbox.owner), sandbox=sandbox, name="Before support"
        )
    return sandbox


@pytest.mark.parametrize(("model", "action", "right", "records"), STAFF_ACTIONS)
@pytest.mark.parametrize("step", ["preview", "confirm"])
def test_a_crafted_post_without_the_right_is_refused_recorded_and_explained(
    sandbox, model, action, right, records, step
):
    agent = agent_without(right)
    obj = target(model, sandbox)
    before = (sandbox.account.status, sandbox.clock_offset, Sandbox.objects.count())
    events_before = TimelineEvent.objects.exclude(actor=agent).count()
    data = {"confirm": "yes", "reason": REASON} if step == "confirm" else {}
    case = reverse("support:case", args=[sandbox.account.pk])
    response = post_action(client_for(agent), model, action, [obj], _next=case, **data)

    assert response.status_code == 302 and response.url == case
    [(level, text)] = reported(response)
    perm = Permission.objects.get(codename=right.split(".")[1])
    assert level == "error" and f"needs the right “{perm.name}”" in text
    assert "No action selected" not in text
    sandbox.refresh_from_db()
    sandbox.account.refresh_from_db()
    assert (sandbox.account.status, sandbox.clock_offset, Sandbox.objects.count()) == before
    assert TimelineEvent.objects.exclude(actor=agent).count() == events_before  # nothing ran
    refusal = TimelineEvent.objects.get(actor=agent)
    assert (refusal.action, refusal.outcome, refusal.code) == (
        records,
        Outcome.REFUSED,
        Code.MISSING_RIGHT,
    )
    assert perm.name in refusal.message and refusal.params["missing_rights"] == [right]
    assert refusal.params.get("reason", "") == (REASON if step == "confirm" else "")
    assert LogEntry.objects.filter(user=agent, change_message__contains=perm.name).exists()


def test_the_override_needs_its_own_right_on_top_of_unlinking(sandbox):
    agent = agent_without("shops.override_unlink_limits_shop")
    shop = target("shops.shop", sandbox)
    response = post_action(
        client_for(agent), "shops.shop", "unlink_override", [shop], confirm="yes", reason=REASON
    )
    text = reported(response)[0][1]
    assert "“Can unlink a shop past the cool-down or the limit”" in text
    assert "Can unlink a shop from its seller account" not in text  # that one the agent has
    assert shop.live_link() is not None


def test_with_the_right_the_action_runs_as_before(sandbox):
    agent = agent_without()
    post_action(
        client_for(agent),
        "accounts.selleraccount",
        "deactivate",
        [sandbox.account],
        confirm="yes",
        reason=REASON,
    )
    sandbox.account.refresh_from_db()
    assert sandbox.account.status == AccountStatus.DEACTIVATED
    assert not TimelineEvent.objects.filter(code=Code.MISSING_RIGHT).exists()


# --- The audit log page ------------------------------------------------------------------------


@pytest.fixture
def history(sandbox, trainee):
    """Two agents' actions, one refused for a missing right, and the trainee's own events."""
    ana = agent_without("accounts.reactivate_selleraccount")
    ben = agent_without()
    account = sandbox.account
    post_action(
        client_for(ana),
        "accounts.selleraccount",
        "deactivate",
        [account],
        confirm="yes",
        reason="Ana: fraud check (ticket 7)",
    )
    post_action(
        client_for(ana),
        "accounts.selleraccount",
        "reactivate",
        [account],
        confirm="yes",
        reason="Ana tried to undo it",
    )
    post_action(
        client_for(ben),
        "accounts.sandbox",
        "advance_one_day",
        [sandbox],
        confirm="yes",
        reason="Ben: checking the lapse",
    )
    return ana, ben


def audit_text(client, query: str = "") -> str:
    response = client.get(AUDIT + query)
    assert response.status_code == 200
    return visible_text(response.content.decode())


def test_the_audit_log_lists_every_staff_action_and_refusal_and_no_trainee_event(history, trainee):
    ana, ben = history
    lead = UserFactory(is_staff=True, is_superuser=True)
    text = audit_text(client_for(lead))
    assert "3 staff events." in text
    for shown in (
        "Reason: Ana: fraud check (ticket 7).",
        "Reason: Ana tried to undo it.",
        "Reason: Ben: checking the lapse.",
        "needs the right “Can reactivate a seller account”",
        "Refused",
    ):
        assert shown in text, shown
    assert TimelineEvent.objects.filter(actor_kind="trainee").exists()  # yet not counted above


@pytest.mark.parametrize(
    ("query", "count", "shown", "hidden"),
    [
        ("?agent={ana}", 2, "fraud check", "Ben:"),
        ("?agent={ben}", 1, "Ben:", "fraud check"),
        ("?outcome=refused", 1, "Ana tried", "fraud check"),
        ("?outcome=done&action=advance_clock", 1, "Ben:", "Ana"),
        ("?action=deactivate", 1, "fraud check", "Ben:"),
        ("?since={later}", 0, "No staff action matches the filter", "fraud check"),
        ("?until={earlier}", 0, "No staff action matches the filter", "fraud check"),
        ("?since={earlier}&until={later}", 3, "fraud check", "matches the filter"),
    ],
)
def test_the_audit_log_filters_by_agent_action_outcome_and_time(
    history, query, count, shown, hidden
):
    ana, ben = history
    fmt = "%Y-%m-%dT%H:%M"
    query = query.format(
        ana=ana.username,
        ben=ben.username,
        later=(timezone.now() + timedelta(hours=1)).strftime(fmt),
        earlier=(timezone.now() - timedelta(hours=1)).strftime(fmt),
    )
    text = audit_text(client_for(UserFactory(is_staff=True, is_superuser=True)), query)
    assert f"{count} staff event" in text
    assert shown in text and hidden not in text


def test_a_reversed_time_range_is_explained(history):
    text = audit_text(
        client_for(UserFactory(is_staff=True, is_superuser=True)),
        "?since=2026-12-08T10:00&until=2026-12-07T10:00",
    )
    assert "“From” comes after “Until”" in text


def test_the_audit_log_needs_the_timeline_view_right(db):
    assert client_for(staff_with()).get(AUDIT).status_code == 403
    assert client_for(staff_with("lifecycle.view_timelineevent")).get(AUDIT).status_code == 200
    index = client_for(staff_with("accounts.view_selleraccount", "lifecycle.view_timelineevent"))
    assert AUDIT in index.get(reverse("admin:index")).content.decode()


def test_the_audit_log_pages_keep_the_filter(sandbox):
    lead = UserFactory(is_staff=True, is_superuser=True)
    desk = client_for(lead)
    for _ in range(51):
        TimelineEvent.objects.create(
            sandbox=sandbox,
            account=sandbox.account,
            sandbox_time=sandbox.now(),
            actor=lead,
            actor_kind="staff",
            actor_label=lead.username,
            action=Action.RUN_DUE_WORK,
            subject_type="sandbox",
            subject_label="Sandbox",
            params={"reason": "a reason"},
        )
    html = desk.get(AUDIT + "?outcome=done").content.decode()
    assert "outcome=done&amp;page=2" in html
