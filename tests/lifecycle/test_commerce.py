"""Orders, inquiries and campaigns: each service allowed and refused (RULEBOOK §2–§4)."""

from decimal import Decimal

import pytest

from accounts.models import AccountStatus
from accounts.types import AccountType, Category
from lifecycle.errors import Code, LifecycleError
from lifecycle.models import TimelineEvent
from lifecycle.services import (
    Actor,
    deactivate_account,
    link_shop,
    switch_account_type,
    unlink_shop,
)
from shops.models import CampaignStatus, OrderStatus
from shops.services import (
    cancel_order,
    create_campaign,
    end_campaign,
    pause_campaign,
    reply_inquiry,
    ship_order,
    start_campaign,
)
from tests.accounts.factories import SellerAccountFactory
from tests.engine_guard import arranging
from tests.shops.factories import CampaignFactory, InquiryFactory, OrderFactory, ShopFactory


@pytest.fixture
def account(trainee):
    return SellerAccountFactory(
        sandbox__owner=trainee, account_type=AccountType.BUSINESS, category=Category.ART
    )


@pytest.fixture
def shop(account, as_trainee):
    shop = ShopFactory(sandbox=account.sandbox)
    link_shop(actor=as_trainee, account=account, shop=shop)
    return shop


@pytest.fixture
def order(account, shop):
    return OrderFactory(account=account, shop=shop, status=OrderStatus.AWAITING_SHIPMENT)


def events(action, outcome=None):
    qs = TimelineEvent.objects.filter(action=action)
    if outcome:
        qs = qs.filter(outcome=outcome)
    return list(qs.values_list("outcome", "before", "after"))


def refused(code, fn, **kwargs):
    with pytest.raises(LifecycleError) as err:
        fn(**kwargs)
    assert err.value.code == code
    return err.value


# --- Orders ---------------------------------------------------------------------------------


def test_ship_order_records_tracking_and_event(as_trainee, order):
    shipped = ship_order(actor=as_trainee, order=order, tracking_number=" TRK-1 ")
    order.refresh_from_db()
    assert (order.status, order.tracking_number) == (OrderStatus.SHIPPED, "TRK-1")
    assert order.shipped_at is not None and shipped.pk == order.pk
    assert events("ship_order") == [("done", "awaiting_shipment", "shipped")]


def test_ship_twice_changes_nothing(as_trainee, order):
    ship_order(actor=as_trainee, order=order, tracking_number="TRK-1")
    ship_order(actor=as_trainee, order=order, tracking_number="TRK-1")
    assert len(events("ship_order")) == 1


def test_ship_needs_a_tracking_number(as_trainee, order):
    refused(Code.INPUT_REQUIRED, ship_order, actor=as_trainee, order=order, tracking_number=" ")
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_SHIPMENT
    assert events("ship_order") == [("refused", "awaiting_shipment", "awaiting_shipment")]


def test_ship_refused_once_cancelled(as_trainee, order):
    cancel_order(actor=as_trainee, order=order)
    refused(Code.INVALID_STATE, ship_order, actor=as_trainee, order=order, tracking_number="T")
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED


def test_ship_refused_when_shop_unlinked(as_trainee, account, shop, order):
    from shops.models import ShopLink

    ShopLink.objects.filter(shop=shop).update(linked_at=account.sandbox.now().replace(year=2000))
    unlink_shop(actor=as_trainee, account=account, shop=shop, confirmed=True)
    refused(Code.SHOP_NOT_LINKED, ship_order, actor=as_trainee, order=order, tracking_number="T")
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_SHIPMENT


def test_deactivated_account_still_ships(as_trainee, account, order):
    deactivate_account(actor=as_trainee, account=account)
    ship_order(actor=as_trainee, order=order, tracking_number="TRK-9")
    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED


def test_another_trainee_cannot_ship(other_trainee, order):
    refused(
        Code.NOT_YOUR_SANDBOX,
        ship_order,
        actor=Actor.trainee(other_trainee),
        order=order,
        tracking_number="T",
    )


def test_cancel_order(as_trainee, order):
    cancel_order(actor=as_trainee, order=order)
    cancel_order(actor=as_trainee, order=order)
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert events("cancel_order") == [("done", "awaiting_shipment", "cancelled")]


def test_cancel_refused_once_shipped(as_trainee, order):
    ship_order(actor=as_trainee, order=order, tracking_number="T")
    refused(Code.INVALID_STATE, cancel_order, actor=as_trainee, order=order)
    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED
    assert events("cancel_order", "refused") == [("refused", "shipped", "shipped")]


def test_cancel_refused_for_deleted_account(as_trainee, account, order):
    with arranging():  # set-up: a state the services reach only slowly
        type(account).objects.filter(pk=account.pk).update(status=AccountStatus.DELETED)
    refused(Code.ACCOUNT_DELETED, cancel_order, actor=as_trainee, order=order)


# --- Inquiries ------------------------------------------------------------------------------


def test_reply_inquiry(as_trainee, account):
    inquiry = InquiryFactory(account=account)
    reply_inquiry(actor=as_trainee, inquiry=inquiry, reply="Yes, it is.")
    reply_inquiry(actor=as_trainee, inquiry=inquiry, reply="Yes, it is.")
    inquiry.refresh_from_db()
    assert inquiry.reply == "Yes, it is." and inquiry.replied_at is not None
    assert events("reply_inquiry") == [("done", "open", "answered")]
    label = TimelineEvent.objects.get(action="reply_inquiry").subject_label
    assert inquiry.customer.name not in label


def test_reply_refused_when_empty_or_answered(as_trainee, account):
    inquiry = InquiryFactory(account=account)
    refused(Code.INPUT_REQUIRED, reply_inquiry, actor=as_trainee, inquiry=inquiry, reply="  ")
    reply_inquiry(actor=as_trainee, inquiry=inquiry, reply="First")
    refused(Code.INVALID_STATE, reply_inquiry, actor=as_trainee, inquiry=inquiry, reply="Again")
    inquiry.refresh_from_db()
    assert inquiry.reply == "First"


# --- Campaigns ------------------------------------------------------------------------------


def test_campaign_lifecycle(as_trainee, account, shop):
    campaign = create_campaign(
        actor=as_trainee, account=account, shop=shop, name="Sale", budget="50"
    )
    assert (campaign.status, campaign.budget) == (CampaignStatus.DRAFT, Decimal("50"))
    start_campaign(actor=as_trainee, campaign=campaign)
    pause_campaign(actor=as_trainee, campaign=campaign)
    start_campaign(actor=as_trainee, campaign=campaign)
    end_campaign(actor=as_trainee, campaign=campaign)
    end_campaign(actor=as_trainee, campaign=campaign)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.ENDED
    assert list(
        TimelineEvent.objects.filter(subject_type="campaign")
        .order_by("id")
        .values_list("action", "after")
    ) == [
        ("create_campaign", "draft"),
        ("start_campaign", "active"),
        ("pause_campaign", "paused"),
        ("start_campaign", "active"),
        ("end_campaign", "ended"),
    ]


def test_ended_campaign_cannot_start(as_trainee, account, shop):
    campaign = CampaignFactory(account=account, shop=shop, status=CampaignStatus.ENDED)
    refused(Code.INVALID_STATE, start_campaign, actor=as_trainee, campaign=campaign)
    refused(Code.INVALID_STATE, pause_campaign, actor=as_trainee, campaign=campaign)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.ENDED


def test_campaigns_need_a_business_account(as_trainee, account, shop):
    campaign = CampaignFactory(account=account, shop=shop)
    switch_account_type(actor=as_trainee, account=account, account_type=AccountType.PERSONAL)
    refused(
        Code.FEATURE_NOT_IN_TYPE,
        create_campaign,
        actor=as_trainee,
        account=account,
        shop=shop,
        name="X",
        budget=1,
    )
    refused(Code.FEATURE_NOT_IN_TYPE, start_campaign, actor=as_trainee, campaign=campaign)
    end_campaign(actor=as_trainee, campaign=campaign)  # ending is always possible


def test_create_campaign_refuses_bad_input_and_unlinked_shop(as_trainee, account, shop):
    kwargs = {"actor": as_trainee, "account": account, "shop": shop}
    refused(Code.INPUT_REQUIRED, create_campaign, name="", budget="5", **kwargs)
    refused(Code.INPUT_REQUIRED, create_campaign, name="X", budget="-1", **kwargs)
    refused(Code.INPUT_REQUIRED, create_campaign, name="X", budget="lots", **kwargs)
    other = ShopFactory(sandbox=account.sandbox)
    refused(Code.SHOP_NOT_LINKED, create_campaign, name="X", budget=1, **{**kwargs, "shop": other})
    stranger = ShopFactory()
    refused(
        Code.SHOP_OTHER_SANDBOX,
        create_campaign,
        name="X",
        budget=1,
        **{**kwargs, "shop": stranger.pk},
    )
    assert not account.campaigns.exists()


def test_create_campaign_needs_an_active_account(as_trainee, account, shop):
    deactivate_account(actor=as_trainee, account=account)
    refused(
        Code.ACCOUNT_NOT_ACTIVE,
        create_campaign,
        actor=as_trainee,
        account=account,
        shop=shop,
        name="X",
        budget=1,
    )
