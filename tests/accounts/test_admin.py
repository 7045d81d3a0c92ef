"""The support admin for sandboxes and seller accounts: staff act only through services."""

from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from accounts.models import AccountStatus, Sandbox, SellerAccount, User
from lifecycle.demo import build_demo_sandbox
from lifecycle.exporting import build_export
from lifecycle.models import (
    ActorKind,
    DeletionRequest,
    DeletionStatus,
    ExportJob,
    ExportStatus,
    InboxMessage,
    Outcome,
    TimelineEvent,
)
from lifecycle.services import Actor, deactivate_account, request_deletion, request_export
from shops.models import Shop, ShopLink
from tests.accounts.factories import SellerAccountFactory
from tests.engine_guard import arranging
from tests.lifecycle.jobs_helpers import small_account
from tests.support_admin import (
    REASON,
    change_page,
    changelist,
    client_for,
    offered_actions,
    post_action,
    reported,
    staff_with,
)

ACCOUNT = "accounts.selleraccount"
SANDBOX = "accounts.sandbox"
SEE_ACCOUNTS = ("accounts.view_selleraccount", "accounts.change_selleraccount")
SEE_SANDBOXES = ("accounts.view_sandbox", "accounts.change_sandbox")

pytestmark = pytest.mark.django_db


def events_of(account: SellerAccount) -> list[tuple[str, str, str, str]]:
    return list(
        TimelineEvent.objects.filter(account=account)
        .order_by("id")
        .values_list("action", "outcome", "actor_kind", "actor_label")
    )


def request_deletion_of(account: SellerAccount) -> DeletionRequest:
    owner = account.sandbox.owner
    return request_deletion(
        actor=Actor.trainee(owner), account=account, password="pass-word-9", acknowledged=True
    )


@pytest.fixture
def agent() -> User:
    return staff_with(
        *SEE_ACCOUNTS,
        "accounts.deactivate_selleraccount",
        "accounts.reactivate_selleraccount",
        "accounts.cancel_deletion_selleraccount",
    )


@pytest.fixture
def clock_agent() -> User:
    return staff_with(
        *SEE_SANDBOXES,
        "accounts.advance_clock_sandbox",
        "accounts.run_due_work_sandbox",
        "accounts.reset_demo_sandbox",
    )


# --- Account actions: allowed ---------------------------------------------------------------


def test_staff_deactivates_an_account_in_their_own_name(agent):
    account = SellerAccountFactory()
    response = post_action(client_for(agent), ACCOUNT, "deactivate", [account], confirm="yes")
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.status == AccountStatus.DEACTIVATED
    assert events_of(account) == [("deactivate", "done", "staff", agent.username)]
    assert reported(response) == [("success", f"{account}: the account is deactivated.")]


def test_staff_reactivates_a_deactivated_account(agent):
    account = SellerAccountFactory()
    deactivate_account(actor=Actor.trainee(account.sandbox.owner), account=account)
    response = post_action(client_for(agent), ACCOUNT, "reactivate", [account], confirm="yes")
    account.refresh_from_db()
    assert account.status == AccountStatus.ACTIVE
    assert events_of(account)[-1] == ("reactivate", "done", "staff", agent.username)
    assert reported(response) == [("success", f"{account}: the account is active.")]


@pytest.mark.parametrize("confirmed", [False, True], ids=["requested", "scheduled"])
def test_staff_cancels_a_deletion_and_the_account_returns_to_its_state(agent, confirmed):
    account = SellerAccountFactory()
    deactivate_account(actor=Actor.trainee(account.sandbox.owner), account=account)
    request = request_deletion_of(account)
    if confirmed:
        from lifecycle.services import confirm_deletion, deletion_token

        confirm_deletion(actor=Actor.trainee(account.sandbox.owner), token=deletion_token(request))
    response = post_action(client_for(agent), ACCOUNT, "cancel_deletion", [account], confirm="yes")
    account.refresh_from_db()
    request.refresh_from_db()
    assert account.status == AccountStatus.DEACTIVATED
    assert request.status == DeletionStatus.CANCELLED
    assert events_of(account)[-1] == ("cancel_deletion", "done", "staff", agent.username)
    assert reported(response)[0][0] == "success"


# --- Account actions: refused ---------------------------------------------------------------


def test_a_refused_action_warns_with_the_sentence_and_changes_nothing(agent):
    account = SellerAccountFactory()
    request_deletion_of(account)
    response = post_action(client_for(agent), ACCOUNT, "reactivate", [account], confirm="yes")
    account.refresh_from_db()
    assert account.status == AccountStatus.DELETION_REQUESTED
    refusal = TimelineEvent.objects.get(account=account, outcome=Outcome.REFUSED)
    assert (refusal.outcome, refusal.code, refusal.actor_kind, refusal.actor_label) == (
        Outcome.REFUSED,
        "invalid_state",
        ActorKind.STAFF,
        agent.username,
    )
    assert reported(response) == [("warning", f"{account}: {refusal.message}")]


def test_cancel_without_a_request_is_refused(agent):
    account = SellerAccountFactory()
    response = post_action(client_for(agent), ACCOUNT, "cancel_deletion", [account], confirm="yes")
    assert events_of(account) == [("cancel_deletion", "refused", "staff", agent.username)]
    assert reported(response) == [
        ("warning", f"{account}: There is no deletion request to cancel.")
    ]


def test_one_refusal_neither_hides_nor_undoes_the_others(agent):
    fine, pending, also_fine = SellerAccountFactory.create_batch(3)
    request_deletion_of(pending)
    response = post_action(
        client_for(agent), ACCOUNT, "deactivate", [fine, pending, also_fine], confirm="yes"
    )
    statuses = dict(SellerAccount.objects.values_list("pk", "status"))
    assert statuses == {
        fine.pk: AccountStatus.DEACTIVATED,
        pending.pk: AccountStatus.DELETION_REQUESTED,
        also_fine.pk: AccountStatus.DEACTIVATED,
    }
    assert [level for level, _ in reported(response)] == ["success", "warning", "success"]
    assert events_of(pending)[-1] == ("deactivate", "refused", "staff", agent.username)


# --- Permissions ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "granted, offered",
    [
        ((), set()),
        (("accounts.deactivate_selleraccount",), {"deactivate"}),
        (
            ("accounts.reactivate_selleraccount", "accounts.cancel_deletion_selleraccount"),
            {"reactivate", "cancel_deletion"},
        ),
    ],
)
def test_each_account_action_needs_its_own_permission(granted, offered):
    assert offered_actions(client_for(staff_with(*SEE_ACCOUNTS, *granted)), ACCOUNT) == offered


@pytest.mark.parametrize("other", [(), ("accounts.reactivate_selleraccount",)])
def test_an_action_posted_without_its_permission_changes_nothing_and_is_refused(other):
    account = SellerAccountFactory()
    client = client_for(staff_with(*SEE_ACCOUNTS, *other))
    response = post_action(client, ACCOUNT, "deactivate", [account], confirm="yes")
    account.refresh_from_db()
    assert account.status == AccountStatus.ACTIVE
    # Only the refusal is recorded (the staff audit log's), naming the missing right.
    refusal = TimelineEvent.objects.get()
    assert (refusal.outcome, refusal.code) == ("refused", "missing_right")
    [(level, text)] = reported(response)
    assert level == "error" and "“Can deactivate a seller account”" in text


def test_staff_without_view_permission_get_403():
    client = client_for(staff_with("accounts.deactivate_selleraccount"))
    assert client.get(changelist(ACCOUNT)).status_code == 403
    assert client.get(changelist(SANDBOX)).status_code == 403


@pytest.mark.parametrize(
    "granted, offered",
    [
        ((), set()),
        (
            ("accounts.advance_clock_sandbox",),
            {"advance_one_day", "advance_seven_days", "advance_to_next_event"},
        ),
        (("accounts.run_due_work_sandbox",), {"run_due_work_now"}),
        (("accounts.reset_demo_sandbox",), {"reset_demo"}),
    ],
)
def test_each_sandbox_action_needs_its_own_permission(granted, offered):
    assert offered_actions(client_for(staff_with(*SEE_SANDBOXES, *granted)), SANDBOX) == offered


def test_nothing_is_deleted_through_the_admin(admin_client):
    account = SellerAccountFactory()
    assert "delete_selected" not in offered_actions(admin_client, ACCOUNT)
    delete = change_page(ACCOUNT, account.pk).replace("/change/", "/delete/")
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert SellerAccount.objects.filter(pk=account.pk).exists()


# --- Read-only lifecycle fields -------------------------------------------------------------


def test_lifecycle_fields_of_an_account_cannot_be_posted(admin_client):
    account = SellerAccountFactory()
    name, email = account.display_name, account.contact_email
    other = SellerAccountFactory()
    response = admin_client.post(
        change_page(ACCOUNT, account.pk),
        {
            "display_name": "Renamed by support",
            "contact_email": "new@example.com",
            "status": AccountStatus.DELETED,
            "status_before_deletion": AccountStatus.ACTIVE,
            "account_type": "business",
            "category": "art",
            "deleted_at": "2030-01-01 00:00",
            "sandbox": other.sandbox_id,
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    account.refresh_from_db()
    # Names and emails are the trainee's: read-only (a staff edit would leave no event).
    assert (account.display_name, account.contact_email) == (name, email)
    assert (account.status, account.account_type, account.category) == ("active", "personal", "")
    assert (account.deleted_at, account.sandbox_id) == (None, account.sandbox_id)
    assert account.sandbox_id != other.sandbox_id


def test_saving_the_profile_never_writes_a_stale_status(admin_client, monkeypatch):
    """A status changed by a service while the form was open survives the admin's save."""
    from accounts.admin.seller_accounts import SellerAccountAdmin

    account = SellerAccountFactory()
    original = SellerAccountAdmin.save_model

    def deactivated_meanwhile(self, request, obj, form, change):
        with arranging():  # set-up: a state the services reach only slowly
            SellerAccount.objects.filter(pk=obj.pk).update(status=AccountStatus.DEACTIVATED)
        original(self, request, obj, form, change)

    monkeypatch.setattr(SellerAccountAdmin, "save_model", deactivated_meanwhile)
    admin_client.post(
        change_page(ACCOUNT, account.pk),
        {"display_name": "New name", "contact_email": account.contact_email, "_save": "Save"},
    )
    account.refresh_from_db()
    assert account.status == AccountStatus.DEACTIVATED
    assert account.display_name != "New name"  # read-only: the trainee's name


def test_an_unchanged_form_writes_nothing(admin_client):
    account = SellerAccountFactory()
    with CaptureQueriesContext(connection) as captured:
        admin_client.post(
            change_page(ACCOUNT, account.pk),
            {
                "display_name": account.display_name,
                "contact_email": account.contact_email,
                "_save": "Save",
            },
        )
    writes = [q["sql"] for q in captured if 'UPDATE "accounts_selleraccount"' in q["sql"]]
    assert writes == []


def test_lifecycle_fields_of_a_sandbox_cannot_be_posted(admin_client):
    sandbox = SellerAccountFactory().sandbox
    other_owner = staff_with()
    response = admin_client.post(
        change_page(SANDBOX, sandbox.pk),
        {
            "name": "Renamed",
            "owner": other_owner.pk,
            "is_demo": "on",
            "clock_offset": "30 00:00:00",
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    sandbox.refresh_from_db()
    assert sandbox.name != "Renamed"  # the trainee's name for it: read-only
    assert (sandbox.owner_id, sandbox.is_demo, sandbox.clock_offset) != (
        other_owner.pk,
        True,
        timedelta(days=30),
    )
    assert sandbox.clock_offset == timedelta(0) and not sandbox.is_demo


def test_an_account_and_a_sandbox_can_be_added_with_lifecycle_defaults(admin_client, trainee):
    admin_client.post(
        reverse_add(SANDBOX), {"owner": trainee.pk, "name": "Support-made", "_save": "Save"}
    )
    sandbox = Sandbox.objects.get(name="Support-made")
    admin_client.post(
        reverse_add(ACCOUNT),
        {
            "sandbox": sandbox.pk,
            "display_name": "Fresh seller",
            "contact_email": "fresh@example.com",
            "status": AccountStatus.DELETED,
            "_save": "Save",
        },
    )
    account = SellerAccount.objects.get(display_name="Fresh seller")
    assert (account.sandbox, account.status) == (sandbox, AccountStatus.ACTIVE)
    assert admin_client.get(reverse_add(ACCOUNT)).status_code == 200
    assert admin_client.get(reverse_add(SANDBOX)).status_code == 200


def reverse_add(model: str) -> str:
    return reverse(f"admin:{model.replace('.', '_')}_add")


# --- Change pages ---------------------------------------------------------------------------


def test_account_page_shows_staff_actions_deletion_state_and_timeline(agent):
    account = SellerAccountFactory()
    request = request_deletion_of(account)
    page = client_for(agent).get(change_page(ACCOUNT, account.pk))
    html = page.content.decode()
    assert page.status_code == 200
    # From the declared transitions: staff may only cancel a requested deletion.
    assert "<div>Cancel deletion</div>" in html  # "Staff can now": only what is offered
    assert "Deactivate account" not in html
    assert 'name="action" value="cancel_deletion"' in html
    assert 'value="deactivate"' not in html
    assert f"{request}</a>: Waiting for email confirmation" in html
    assert "Request deletion" in html  # the timeline excerpt
    assert f"?account__id__exact={account.pk}" in html


def test_account_page_offers_no_button_without_the_permission():
    account = SellerAccountFactory()
    html = client_for(staff_with(*SEE_ACCOUNTS)).get(change_page(ACCOUNT, account.pk))
    html = html.content.decode()
    assert "<div>Deactivate account</div>" in html
    assert 'name="action"' not in html


def test_a_deleted_account_offers_staff_nothing(admin_client):
    account = SellerAccountFactory(status=AccountStatus.DELETED)
    html = admin_client.get(change_page(ACCOUNT, account.pk)).content.decode()
    assert "Nothing: no staff action leaves" in html
    assert "No events yet." in html


def test_a_button_on_the_change_page_comes_back_to_it(agent):
    account = SellerAccountFactory()
    response = post_action(
        client_for(agent), ACCOUNT, "deactivate", [account], _from="change", confirm="yes"
    )
    assert response.url == change_page(ACCOUNT, account.pk)


def test_sandbox_page_shows_clock_schedule_accounts_and_timeline(clock_agent):
    account = SellerAccountFactory()
    request_deletion_of(account)
    html = client_for(clock_agent).get(change_page(SANDBOX, account.sandbox_id)).content.decode()
    assert "the deletion link expires" in html
    assert reverse("support:case", args=[account.pk]) in html
    assert f"?sandbox__id__exact={account.sandbox_id}" in html
    assert 'value="advance_one_day"' in html
    assert 'value="reset_demo"' not in html  # not a demo sandbox


def test_a_demo_sandbox_page_offers_its_reset_and_shows_shop_links(clock_agent, trainee):
    demo = build_demo_sandbox(owner=trainee)
    html = client_for(clock_agent).get(change_page(SANDBOX, demo.pk)).content.decode()
    assert 'value="reset_demo"' in html
    client = client_for(staff_with(*SEE_ACCOUNTS))
    html = client.get(change_page(ACCOUNT, demo.account.pk)).content.decode()
    linked = demo.account.shop_links.get(unlinked_at=None).shop
    # The name as the page escapes it: a generated one may hold an apostrophe (O'Connor).
    assert f"{escape(linked.name)}: linked" in html and "(now)" in html
    assert "Switch account type" not in html  # not an admin action: not listed


def test_an_empty_sandbox_page_says_so(admin_client, trainee):
    sandbox = Sandbox.objects.create(owner=trainee, name="Empty")
    html = admin_client.get(change_page(SANDBOX, sandbox.pk)).content.decode()
    assert "Nothing scheduled." in html and "No seller account." in html


# --- Sandbox actions ------------------------------------------------------------------------


def clock_events(sandbox: Sandbox) -> list[tuple[str, str, str, str]]:
    return list(
        TimelineEvent.objects.filter(sandbox=sandbox, action="advance_clock")
        .order_by("id")
        .values_list("outcome", "actor_kind", "actor_label", "code")
    )


@pytest.mark.parametrize("action, days", [("advance_one_day", 1), ("advance_seven_days", 7)])
def test_staff_advance_the_clock(clock_agent, action, days):
    sandbox = SellerAccountFactory().sandbox
    response = post_action(client_for(clock_agent), SANDBOX, action, [sandbox], confirm="yes")
    sandbox.refresh_from_db()
    assert sandbox.clock_offset == timedelta(days=days)
    assert clock_events(sandbox) == [("done", "staff", clock_agent.username, "")]
    [(level, text)] = reported(response)
    assert level == "success" and text.endswith("nothing else was due.")


def test_advancing_to_the_next_event_runs_what_became_due(clock_agent):
    account = SellerAccountFactory()
    request = request_deletion_of(account)
    response = post_action(
        client_for(clock_agent), SANDBOX, "advance_to_next_event", [account.sandbox], confirm="yes"
    )
    request.refresh_from_db()
    account.refresh_from_db()
    assert request.status == DeletionStatus.LAPSED
    assert account.status == AccountStatus.ACTIVE
    assert clock_events(account.sandbox) == [("done", "staff", clock_agent.username, "")]
    # The whole sweep ran: the lapse, then the notice the lapse owes the owner.
    assert events_of(account)[-2:] == [
        ("lapse_deletion", "done", "job", "job: sweep"),
        ("send_email", "done", "job", "job: sweep"),
    ]
    assert f"lapsed deletion request {request.pk}" in reported(response)[0][1]


def test_advancing_to_the_next_event_is_refused_when_nothing_is_scheduled(clock_agent):
    sandbox = SellerAccountFactory().sandbox
    response = post_action(
        client_for(clock_agent), SANDBOX, "advance_to_next_event", [sandbox], confirm="yes"
    )
    sandbox.refresh_from_db()
    assert sandbox.clock_offset == timedelta(0)
    assert clock_events(sandbox) == [
        ("refused", "staff", clock_agent.username, "nothing_scheduled")
    ]
    assert reported(response) == [("warning", f"{sandbox}: Nothing is scheduled in this sandbox.")]


def test_staff_run_due_work(clock_agent):
    account = SellerAccountFactory()
    request = request_deletion_of(account)
    DeletionRequest.objects.filter(pk=request.pk).update(
        link_expires_at=request.requested_at - timedelta(minutes=1)
    )
    response = post_action(
        client_for(clock_agent), SANDBOX, "run_due_work_now", [account.sandbox], confirm="yes"
    )
    request.refresh_from_db()
    assert request.status == DeletionStatus.LAPSED
    assert reported(response) == [
        (
            "success",
            f"{account.sandbox}: due work run; then lapsed deletion request {request.pk}, "
            f"sent the lapse notice of request {request.pk}.",
        )
    ]
    assert InboxMessage.objects.filter(account=account, kind="deletion_lapsed").exists()
    again = post_action(
        client_for(clock_agent), SANDBOX, "run_due_work_now", [account.sandbox], confirm="yes"
    )
    assert reported(again)[0][1].endswith("nothing else was due.")


def test_staff_run_due_work_expires_a_due_export(clock_agent, trainee, own_media):
    account = small_account(trainee)
    export = build_export(request_export(actor=Actor.trainee(trainee), account=account).pk)
    ExportJob.objects.filter(pk=export.pk).update(expires_at=export.ready_at)
    response = post_action(
        client_for(clock_agent), SANDBOX, "run_due_work_now", [account.sandbox], confirm="yes"
    )
    export.refresh_from_db()
    assert export.status == ExportStatus.EXPIRED and not export.file
    assert f"expired export {export.pk}" in reported(response)[0][1]


def test_reset_asks_for_confirmation_first(clock_agent, trainee):
    demo = build_demo_sandbox(owner=trainee)
    response = post_action(client_for(clock_agent), SANDBOX, "reset_demo", [demo], _from="change")
    html = response.content.decode()
    assert response.status_code == 200
    assert "built again from scratch" in html
    assert 'name="confirm" value="yes"' in html
    assert f'href="{change_page(SANDBOX, demo.pk)}" class="button cancel-link"' in html
    assert Sandbox.objects.filter(pk=demo.pk).exists()


def test_staff_reset_a_demo_sandbox(clock_agent, trainee):
    demo = build_demo_sandbox(owner=trainee)
    deactivate_account(actor=Actor.trainee(trainee), account=demo.account)
    response = post_action(
        client_for(clock_agent), SANDBOX, "reset_demo", [demo], confirm="yes", _from="change"
    )
    assert not Sandbox.objects.filter(pk=demo.pk).exists()
    fresh = Sandbox.objects.get(owner=trainee, name=demo.name)
    assert fresh.is_demo and fresh.account.status == AccountStatus.ACTIVE
    assert fresh.account.orders.count() == 200
    entry = LogEntry.objects.get(object_id=str(demo.pk))
    assert entry.user == clock_agent and entry.is_change()
    assert entry.change_message.endswith(f"Reason: {REASON}")
    reset = fresh.events.get(action="reset_demo")
    assert (reset.actor_kind, reset.actor_label) == ("staff", clock_agent.username)
    assert reported(response) == [
        (
            "success",
            f"{demo.name}: rebuilt from scratch as sandbox #{fresh.pk}; its earlier events are "
            "kept with it.",
        )
    ]
    assert response.url == changelist(SANDBOX)  # the page it came from is gone


def test_a_trainee_sandbox_is_never_reset(clock_agent):
    account = SellerAccountFactory()
    response = post_action(
        client_for(clock_agent), SANDBOX, "reset_demo", [account.sandbox], confirm="yes"
    )
    assert SellerAccount.objects.filter(pk=account.pk).exists()
    assert reported(response) == [
        (
            "warning",
            f"{account.sandbox}: {account.sandbox.name} is not a demo sandbox: only demo "
            "sandboxes can be reset.",
        )
    ]


# --- Lists: search, filters and query budget ------------------------------------------------


def test_sandboxes_are_found_by_name_owner_and_email(admin_client):
    mine = SellerAccountFactory(sandbox__name="Blue pottery").sandbox
    SellerAccountFactory()
    for term in ("Blue pot", mine.owner.username, mine.owner.email):
        found = admin_client.get(changelist(SANDBOX), {"q": term}).context["cl"].result_list
        assert list(found) == [mine], term
    deactivate_account(actor=Actor.trainee(mine.owner), account=mine.account)
    query = {"accounts__status__exact": "deactivated", "is_demo__exact": "0"}
    assert list(admin_client.get(changelist(SANDBOX), query).context["cl"].result_list) == [mine]


def test_accounts_are_found_by_name_email_and_status_and_filtered(admin_client):
    kept = SellerAccountFactory(display_name="Kiln & Co", contact_email="kiln@example.com")
    paused = SellerAccountFactory()
    deactivate_account(actor=Actor.trainee(paused.sandbox.owner), account=paused)

    def found(**query):
        return list(admin_client.get(changelist(ACCOUNT), query).context["cl"].result_list)

    assert found(q="Kiln") == [kept]
    assert found(q="kiln@example.com") == [kept]
    assert found(q="deactivated") == [paused]
    assert found(status__exact="deactivated") == [paused]
    assert found(account_type__exact="personal") == [kept, paused]
    assert found(sandbox__is_demo__exact="1") == []


def bulk_sandboxes(count: int, prefix: str) -> None:
    """Sandboxes each with an owner, an account, a linked shop and an event, in a few queries."""
    owners = User.objects.bulk_create(User(username=f"{prefix}{i}") for i in range(count))
    sandboxes = Sandbox.objects.bulk_create(
        Sandbox(owner=owner, name=f"{prefix} {i}") for i, owner in enumerate(owners)
    )
    accounts = SellerAccount.objects.bulk_create(
        SellerAccount(sandbox=s, display_name=f"Seller {s.name}") for s in sandboxes
    )
    shops = Shop.objects.bulk_create(Shop(sandbox=s, name=f"Shop {s.name}") for s in sandboxes)
    now = sandboxes[0].now()
    ShopLink.objects.bulk_create(
        ShopLink(shop=shop, account=account, linked_at=now)
        for shop, account in zip(shops, accounts, strict=True)
    )
    TimelineEvent.objects.bulk_create(
        TimelineEvent(
            sandbox=a.sandbox,
            account=a,
            sandbox_time=now,
            actor_kind=ActorKind.JOB,
            actor_label="job: bulk",
            action="deactivate",
            subject_type="account",
            subject_label=f"Seller account #{a.pk}",
        )
        for a in accounts
    )


@pytest.mark.parametrize(
    "model",
    [SANDBOX, ACCOUNT, "shops.shop", "shops.shoplink", "lifecycle.timelineevent"],
)
def test_changelist_queries_do_not_grow_with_rows(admin_client, model):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = admin_client.get(changelist(model))
        assert response.status_code == 200
        return len(captured), response.context["cl"].result_count

    bulk_sandboxes(10, "few")
    few, shown = queries()
    bulk_sandboxes(90, "many")
    many, shown_then = queries()
    assert (shown, shown_then) == (10, 100)
    assert many == few
