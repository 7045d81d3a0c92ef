"""Requesting, confirming, lapsing, cancelling and finalizing a deletion (RULEBOOK §5)."""

from datetime import timedelta

import pytest
from django.core import signing
from django.core.files.base import ContentFile

from accounts.models import AppAuthorization, SellerAccount
from lifecycle.core import record
from lifecycle.errors import Code, LifecycleError
from lifecycle.models import (
    DeletionRequest,
    DeletionStatus,
    ExportJob,
    InboxMessage,
    TimelineEvent,
)
from lifecycle.services import (
    Actor,
    advance_clock,
    cancel_deletion,
    confirm_deletion,
    deactivate_account,
    deletion_checklist,
    deletion_token,
    open_request,
    request_deletion,
    run_due_work,
)
from lifecycle.services.deletion import DELETED_NAME, REDACTED, TOKEN_SALT
from lifecycle.services.links import when
from lifecycle.transitions import Action
from shops.models import (
    Campaign,
    CampaignStatus,
    Customer,
    Inquiry,
    Order,
    OrderLine,
    OrderStatus,
    Product,
)
from shops.services import ship_order
from tests.rulebook import rule
from tests.shops.factories import (
    CampaignFactory,
    CustomerFactory,
    InquiryFactory,
    OrderFactory,
    OrderLineFactory,
)

from .helpers import (
    PASSWORD,
    SCHEDULED,
    actions,
    assert_refused,
    build_world,
    drive_to,
    events,
    last_event,
    past,
    request,
    snapshot,
)

HOUR = timedelta(hours=1)


def refused_request(world, code, **kwargs):
    kwargs = {"password": PASSWORD, "acknowledged": True, **kwargs}
    before, count = snapshot(world), len(events(world.sandbox))
    with pytest.raises(LifecycleError) as err:
        request_deletion(actor=world.actor, account=world.account, **kwargs)
    assert_refused(err, code, world, before, action=Action.REQUEST_DELETION, count=count)
    assert not DeletionRequest.objects.filter(account=world.account).exists()
    return err.value


def refused_confirm(world, code, token, **kwargs):
    before, count = snapshot(world), len(events(world.sandbox))
    with pytest.raises(LifecycleError) as err:
        confirm_deletion(actor=world.actor, token=token, **kwargs)
    assert_refused(err, code, world, before, action=Action.CONFIRM_DELETION, count=count)
    return err.value


def move(world, by):
    advance_clock(actor=world.actor, sandbox=world.sandbox, by=by)
    world.refresh()


# --- Request --------------------------------------------------------------------------------


def test_request_opens_a_pending_request_and_owes_the_email(world):
    deletion = request(world)
    world.refresh()
    assert world.account.status == "deletion_requested"
    assert world.account.status_before_deletion == "active"
    assert open_request(world.account) == deletion
    assert deletion.status == DeletionStatus.PENDING and deletion.is_open
    assert deletion.link_expires_at == deletion.requested_at + rule("DELETION_LINK_VALID_FOR")
    assert deletion.checklist == {
        "orders_awaiting_shipment": [],
        "active_campaigns": [],
        "data_exported": False,
        "customers_notified": False,
    }
    event = last_event(world.sandbox)
    assert (event.before, event.after) == ("active", "deletion_requested")
    assert event.params["confirmation_email"] == "owed"
    assert event.params["request_id"] == deletion.pk


def test_orders_awaiting_shipment_block_the_request_and_are_listed(world):
    for number in (1001, 1002):
        OrderFactory(
            account=world.account, shop=world.shop, number=number, status="awaiting_shipment"
        )
    OrderFactory(account=world.account, shop=world.shop, number=1003, status="shipped")
    err = refused_request(world, Code.ORDERS_AWAITING_SHIPMENT)
    assert "2 orders are still awaiting shipment (#1001, #1002)" in err.message
    assert last_event(world.sandbox).params == {"orders": [1001, 1002]}


def test_waiting_orders_of_an_unlinked_shop_say_how_to_reach_them(world):
    OrderFactory(account=world.account, shop=world.former, number=9, status="awaiting_shipment")
    err = refused_request(world, Code.ORDERS_AWAITING_SHIPMENT)
    assert err.message == (
        f"1 order is still awaiting shipment (#9): ship or cancel it first; relink "
        f"{world.former.name} in Account Settings to reach its orders."
    )


def test_a_long_list_of_waiting_orders_is_shortened(world):
    for number in range(1, 8):
        OrderFactory(
            account=world.account, shop=world.shop, number=number, status="awaiting_shipment"
        )
    err = refused_request(world, Code.ORDERS_AWAITING_SHIPMENT)
    assert "7 orders" in err.message and "#5 and 2 more" in err.message


def test_one_waiting_order_is_named_in_the_singular(world):
    OrderFactory(account=world.account, shop=world.shop, number=7, status="awaiting_shipment")
    assert (
        "1 order is still awaiting shipment (#7)"
        in refused_request(world, Code.ORDERS_AWAITING_SHIPMENT).message
    )


def test_active_campaigns_block_the_request(world):
    CampaignFactory(account=world.account, shop=world.shop, name="Spring", status="active")
    CampaignFactory(account=world.account, shop=world.shop, status="ended")
    assert (
        "1 campaign is still running (Spring)"
        in refused_request(world, Code.CAMPAIGNS_ACTIVE).message
    )
    CampaignFactory(account=world.account, shop=world.shop, status="active")
    assert "2 campaigns are" in refused_request(world, Code.CAMPAIGNS_ACTIVE).message


def test_the_consequences_must_be_acknowledged(world):
    refused_request(world, Code.CONSEQUENCES_NOT_ACKNOWLEDGED, acknowledged=False)


@pytest.mark.parametrize("password", ["wrong-horse", "", None])
def test_the_owners_password_is_required(world, password):
    refused_request(world, Code.WRONG_PASSWORD, password=password)


def test_the_checklist_records_exports_and_notices(world):
    ExportJob.objects.create(
        account=world.account, requested_at=world.sandbox.now(), downloaded_at=world.sandbox.now()
    )
    SellerAccount.objects.filter(pk=world.account.pk).update(
        customers_notified_at=world.sandbox.now()
    )
    world.refresh()
    assert deletion_checklist(world.account)["data_exported"] is True
    assert request(world).checklist["customers_notified"] is True


# --- Confirm: the emailed link --------------------------------------------------------------


def test_the_token_is_signed_and_names_the_request_and_its_nonce(world):
    deletion = request(world)
    token = deletion_token(deletion)
    assert signing.loads(token, salt=TOKEN_SALT) == {"r": deletion.pk, "n": deletion.nonce}
    with pytest.raises(signing.BadSignature):
        signing.loads(token, salt="another-purpose")


def test_confirm_schedules_the_deletion_after_the_grace_period(world):
    deletion = request(world)
    move(world, rule("DELETION_LINK_VALID_FOR") - timedelta(hours=1))  # still valid
    confirmed = confirm_deletion(actor=world.actor, token=deletion_token(deletion))
    world.refresh()
    assert world.account.status == "deletion_scheduled"
    assert confirmed.status == DeletionStatus.SCHEDULED
    assert confirmed.scheduled_for == confirmed.confirmed_at + rule("DELETION_GRACE")
    assert last_event(world.sandbox).params["scheduled_for"] == confirmed.scheduled_for.isoformat()


@pytest.mark.parametrize(
    "forge",
    [
        lambda token, d: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token, d: "not-a-token",
        lambda token, d: signing.dumps({"r": d.pk, "n": "guessed"}, salt=TOKEN_SALT),
        lambda token, d: signing.dumps({"r": d.pk + 999, "n": d.nonce}, salt=TOKEN_SALT),
        lambda token, d: signing.dumps({"request": d.pk}, salt=TOKEN_SALT),
        lambda token, d: signing.dumps({"r": d.pk, "n": d.nonce}, salt="other"),
    ],
    ids=["tampered", "garbage", "wrong-nonce", "no-such-request", "wrong-shape", "wrong-salt"],
)
def test_a_forged_token_is_invalid(world, forge):
    deletion = request(world)
    token = forge(deletion_token(deletion), deletion)
    # Knowing which sandbox the link was opened in, the refusal lands on its timeline.
    err = refused_confirm(world, Code.TOKEN_INVALID, token, sandbox=world.sandbox)
    assert "latest email" in err.message
    assert last_event(world.sandbox).subject_type == "sandbox"


def test_a_forged_token_from_nowhere_is_refused_without_an_event(world):
    count = TimelineEvent.objects.count()
    with pytest.raises(LifecycleError) as err:
        confirm_deletion(actor=world.actor, token="forged")
    assert err.value.code == Code.TOKEN_INVALID
    assert TimelineEvent.objects.count() == count


def test_the_link_expires_after_24_sandbox_hours(world):
    deletion = request(world)
    move(world, past(rule("DELETION_LINK_VALID_FOR")))
    err = refused_confirm(world, Code.TOKEN_EXPIRED, deletion_token(deletion))
    assert when(deletion.link_expires_at) in err.message


def test_the_link_works_once(world):
    token = deletion_token(request(world))
    confirmed = confirm_deletion(actor=world.actor, token=token)
    err = refused_confirm(world, Code.TOKEN_USED, token)
    assert when(confirmed.scheduled_for) in err.message


def test_a_used_link_of_a_cancelled_deletion_claims_no_date(world):
    token = deletion_token(request(world))
    confirm_deletion(actor=world.actor, token=token)
    cancel_deletion(actor=world.actor, account=world.account)
    err = refused_confirm(world, Code.TOKEN_USED, token)
    assert "cancelled since" in err.message and "scheduled for" not in err.message


def test_cancel_makes_the_link_stop_working(world):
    token = deletion_token(request(world))
    cancel_deletion(actor=world.actor, account=world.account)
    err = refused_confirm(world, Code.REQUEST_CLOSED, token)
    assert "cancelled" in err.message
    assert world.refresh().account.status == "active"


def test_an_older_link_stops_working_once_a_new_request_is_made(world):
    old = deletion_token(request(world))
    cancel_deletion(actor=world.actor, account=world.account)
    new = deletion_token(request(world))
    refused_confirm(world, Code.REQUEST_CLOSED, old)
    confirm_deletion(actor=world.actor, token=new)


# --- Lapse and cancel: back to the state before the request ----------------------------------


@pytest.mark.parametrize("start", ["active", "deactivated"])
def test_an_unused_link_lapses_through_the_sweep(world, start):
    if start == "deactivated":
        deactivate_account(actor=world.actor, account=world.account)
    deletion = request(world)
    move(world, rule("DELETION_LINK_VALID_FOR") - timedelta(hours=1))
    assert run_due_work(sandbox=world.sandbox) == []  # not yet
    move(world, timedelta(hours=2))
    assert run_due_work(sandbox=world.sandbox) == [f"lapsed deletion request {deletion.pk}"]
    deletion.refresh_from_db()
    assert deletion.status == DeletionStatus.LAPSED and deletion.closed_at is not None
    world.refresh()
    assert (world.account.status, world.account.status_before_deletion) == (start, "")
    event = last_event(world.sandbox)
    assert (event.action, event.actor_label, event.before, event.after) == (
        Action.LAPSE_DELETION,
        "job: sweep",
        "deletion_requested",
        start,
    )
    assert run_due_work(sandbox=world.sandbox) == []  # a second sweep finds nothing


@pytest.mark.parametrize("start", ["active", "deactivated"])
def test_cancel_returns_a_scheduled_deletion_to_where_it_started(world, start):
    if start == "deactivated":
        deactivate_account(actor=world.actor, account=world.account)
    drive_to(world, SCHEDULED)
    cancelled = cancel_deletion(actor=world.actor, account=world.account)
    assert cancelled.status == DeletionStatus.CANCELLED
    assert world.refresh().account.status == start
    move(world, past(rule("DELETION_GRACE")))
    assert run_due_work(sandbox=world.sandbox) == []
    assert world.refresh().account.status == start


# --- Finalize ---------------------------------------------------------------------------------


def fill(world):
    """Commerce data of every kind, and an email whose event names the recipient."""
    customer = CustomerFactory(account=world.account, name="Ada Quinn", email="ada@example.com")
    order = OrderFactory(account=world.account, shop=world.shop, customer=customer)
    OrderLineFactory(order=order, product=world.product)
    InquiryFactory(account=world.account, customer=customer)
    CampaignFactory(account=world.account, shop=world.shop, status=CampaignStatus.ENDED)
    export = ExportJob.objects.create(account=world.account, requested_at=world.sandbox.now())
    export.file.save("seller-export.zip", ContentFile(b"PK"), save=True)
    InboxMessage.objects.create(
        sandbox=world.sandbox,
        account=world.account,
        kind="deletion_confirmation",
        to=world.account.contact_email,
        subject="Confirm",
        body="...",
        sent_at=world.sandbox.now(),
        dedupe_key="confirm-1",
    )
    record(
        actor=Actor.job("mailer"),
        action=Action.SEND_EMAIL,
        subject=world.account,
        before="",
        after="",
        account=world.account,
        params={"to": world.account.contact_email, "kind": "deletion_confirmation"},
    )
    return export


def test_finalize_after_30_days_leaves_a_tombstone_and_a_scrubbed_timeline(world, trainee):
    bystander = build_world(trainee, name="Other")  # another account keeps everything
    CustomerFactory(account=bystander.account)
    export = fill(world)
    path = export.file.path
    drive_to(world, SCHEDULED)
    count = len(events(world.sandbox))

    advance_clock(actor=world.actor, sandbox=world.sandbox, by=rule("DELETION_GRACE") - HOUR)
    assert run_due_work(sandbox=world.sandbox) == []  # due only once the time has passed
    advance_clock(actor=world.actor, sandbox=world.sandbox, by=2 * HOUR)
    assert run_due_work(sandbox=world.sandbox) == [f"finalized account {world.account.pk}"]

    account = world.refresh().account
    assert (account.status, account.display_name, account.contact_email) == (
        "deleted",
        DELETED_NAME,
        "",
    )
    assert account.deleted_at is not None and account.status_before_deletion == ""
    for model in (Product, Order, Customer, Inquiry, Campaign, AppAuthorization, ExportJob):
        assert not model.objects.filter(account=account).exists(), model
    assert not OrderLine.objects.filter(order__account=account).exists()
    assert not InboxMessage.objects.filter(account=account).exists()
    assert not (export.file.storage.exists(path))
    assert not account.shop_links.filter(unlinked_at=None).exists()
    assert account.shop_links.exists()  # the link history stays
    assert Customer.objects.filter(account=bystander.account).exists()
    assert bystander.shop.links.filter(unlinked_at=None).exists()

    timeline = events(world.sandbox)
    assert len(timeline) > count  # kept and grown, never cut
    # The link is ended by the link machine after the deletion, naming it (the app's grant
    # stays a hand-made event before it: its row is purged in the deletion's step).
    assert [e.action for e in timeline[count + 2 :]] == [
        Action.REMOVE_APP_ACCESS,
        Action.FINALIZE_DELETION,
        Action.UNLINK_SHOP,
    ]
    finalized = timeline[-2]
    assert timeline[-1].params["cause"] == {
        "action": Action.FINALIZE_DELETION,
        "event_id": finalized.pk,
    }
    assert finalized.params["removed"] == {
        "orders": 1,
        "inquiries": 1,
        "customers": 1,
        "campaigns": 1,
        "products": 1,
        "videos": 0,
        "live_sessions": 0,
        "exports": 1,
        "inbox": 1,
        "app_authorizations": 1,
    }
    sent = TimelineEvent.objects.get(account=account, action=Action.SEND_EMAIL)
    assert sent.params == {"to": REDACTED, "kind": "deletion_confirmation"} and sent.scrubbed
    assert all(e.scrubbed for e in TimelineEvent.objects.filter(account=account)[1:])
    assert "mira@example.com" not in str(list(TimelineEvent.objects.values("params", "message")))


def test_finalize_scrubs_the_tracking_numbers_of_shipped_orders(world):
    order = OrderFactory(
        account=world.account, shop=world.shop, status=OrderStatus.AWAITING_SHIPMENT
    )
    ship_order(actor=world.actor, order=order, tracking_number="PARCEL-4711")
    shipped = TimelineEvent.objects.get(action=Action.SHIP_ORDER)
    assert shipped.params["tracking_number"] == "PARCEL-4711"
    drive_to(world, SCHEDULED)
    advance_clock(actor=world.actor, sandbox=world.sandbox, by=rule("DELETION_GRACE") + HOUR)
    run_due_work(sandbox=world.sandbox)

    shipped = TimelineEvent.objects.get(pk=shipped.pk)
    assert shipped.scrubbed and shipped.params == {
        "order": order.number,
        "tracking_number": REDACTED,
    }


def test_a_deleted_account_stays_deleted(world):
    drive_to(world, "deleted")
    count = len(events(world.sandbox))
    advance_clock(actor=world.actor, sandbox=world.sandbox, by=timedelta(days=400))
    assert run_due_work(sandbox=world.sandbox) == []
    assert actions(world.sandbox)[count:] == [Action.ADVANCE_CLOCK]
    with pytest.raises(LifecycleError) as err:
        request(world)
    assert err.value.code == Code.ACCOUNT_DELETED


def test_two_campaigns_are_ended_as_them_one_as_it(world):
    """ "1 campaign is still running: end them first" read wrong: one is "it"."""
    from shops.models import CampaignStatus
    from tests.shops.factories import CampaignFactory

    CampaignFactory(account=world.account, shop=world.shop, status=CampaignStatus.ACTIVE)
    one = refused_request(world, Code.CAMPAIGNS_ACTIVE)
    assert one.message.startswith("1 campaign is still running") and one.message.endswith(
        ": end it first."
    )
    CampaignFactory(account=world.account, shop=world.shop, status=CampaignStatus.ACTIVE)
    two = refused_request(world, Code.CAMPAIGNS_ACTIVE)
    assert two.message.startswith("2 campaigns are still running")
    assert two.message.endswith(": end them first.")


def test_a_lapsed_request_lapsed_it_was_not_lapsed(world):
    from lifecycle.models import DeletionRequest, DeletionStatus
    from lifecycle.transitions.deletion import confirmation_refusal

    request = DeletionRequest(account=world.account, status=DeletionStatus.LAPSED)
    refusal = confirmation_refusal(request, world.sandbox.now())
    assert refusal.sentence.startswith("This deletion request lapsed: the link no longer works.")
    request.status = DeletionStatus.CANCELLED
    refusal = confirmation_refusal(request, world.sandbox.now())
    assert refusal.sentence.startswith("This deletion request was cancelled: the link no ")
