"""Support staff unlink a shop through the same service and rules as the trainee."""

from datetime import timedelta

import pytest
from django.urls import reverse

from lifecycle.models import TimelineEvent
from lifecycle.services import Actor, advance_clock, link_shop
from shops.models import Campaign, CampaignStatus, Product, ShopLink
from tests.accounts.factories import SellerAccountFactory
from tests.rulebook import hours_of
from tests.shops.factories import CampaignFactory, ProductFactory, ShopFactory
from tests.support_admin import (
    change_page,
    changelist,
    client_for,
    offered_actions,
    post_action,
    reported,
    staff_with,
)

SHOP = "shops.shop"
SEE_SHOPS = ("shops.view_shop", "shops.change_shop")

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent():
    return staff_with(*SEE_SHOPS, "shops.view_shoplink", "shops.unlink_shop")


def linked_shop(*, age: timedelta):
    account = SellerAccountFactory()
    owner = Actor.trainee(account.sandbox.owner)
    shop = ShopFactory(sandbox=account.sandbox)
    link_shop(actor=owner, account=account, shop=shop)
    if age:
        advance_clock(actor=owner, sandbox=account.sandbox, by=age)
    return account, shop


def unlink_events(shop):
    return list(
        TimelineEvent.objects.filter(action="unlink_shop", subject_id=shop.pk).values_list(
            "outcome", "actor_kind", "actor_label", "code"
        )
    )


def test_unlinking_asks_for_confirmation_first(agent):
    account, shop = linked_shop(age=timedelta(days=2))
    response = post_action(client_for(agent), SHOP, "unlink", [shop])
    assert response.status_code == 200
    html = response.content.decode()
    assert "active campaigns are paused" in html
    assert f'href="{changelist(SHOP)}" class="button cancel-link"' in html
    assert ShopLink.objects.get(shop=shop).unlinked_at is None
    assert unlink_events(shop) == []


def test_staff_unlink_a_shop_in_their_own_name(agent):
    account, shop = linked_shop(age=timedelta(days=2))
    campaign = CampaignFactory(account=account, shop=shop, status=CampaignStatus.ACTIVE)
    response = post_action(client_for(agent), SHOP, "unlink", [shop], confirm="yes")
    assert ShopLink.objects.get(shop=shop).unlinked_at is not None
    assert Campaign.objects.get(pk=campaign.pk).status == CampaignStatus.PAUSED
    assert unlink_events(shop) == [("done", "staff", agent.username, "")]
    assert reported(response) == [("success", f"{shop}: unlinked from {account}.")]


def test_the_unlink_cooldown_applies_to_staff_too(agent):
    account, shop = linked_shop(age=timedelta(0))
    response = post_action(client_for(agent), SHOP, "unlink", [shop], confirm="yes")
    assert ShopLink.objects.get(shop=shop).unlinked_at is None
    assert unlink_events(shop) == [("refused", "staff", agent.username, "unlink_too_soon")]
    [(level, text)] = reported(response)
    assert level == "warning" and f"{hours_of('UNLINK_COOLDOWN')} after it was linked" in text


def test_a_shop_that_is_not_linked_is_left_alone(agent):
    shop = ShopFactory()
    response = post_action(client_for(agent), SHOP, "unlink", [shop], confirm="yes")
    assert reported(response) == [
        ("success", f"{shop}: not linked to any account; nothing to unlink.")
    ]
    assert not TimelineEvent.objects.exists()


def test_unlink_needs_its_permission():
    assert offered_actions(client_for(staff_with(*SEE_SHOPS)), SHOP) == set()


def test_shop_page_shows_link_history_and_unlink_button(agent):
    account, shop = linked_shop(age=timedelta(0))
    html = client_for(agent).get(change_page(SHOP, shop.pk)).content.decode()
    assert str(account) in html
    assert 'name="action" value="unlink"' in html


@pytest.mark.parametrize("model", ["product", "customer", "order", "inquiry", "campaign"])
def test_commerce_rows_are_never_added_or_changed_in_the_admin(admin_client, model):
    """The seller's data changes through the Seller Center's services, even for a superuser:
    an admin form could give a deleted account new rows, or change a price with no record."""
    from tests.shops import factories

    row = getattr(factories, f"{model.capitalize()}Factory")()
    assert admin_client.get(reverse(f"admin:shops_{model}_add")).status_code == 403
    page = admin_client.get(change_page(f"shops.{model}", row.pk))
    assert page.status_code == 200 and b'name="_save"' not in page.content
    response = admin_client.post(change_page(f"shops.{model}", row.pk), {"_save": "Save"})
    assert response.status_code == 403


def test_a_products_stock_cannot_be_edited_in_the_admin(admin_client):
    product = ProductFactory(stock=3)
    admin_client.post(
        change_page("shops.product", product.pk),
        {"title": product.title, "sku": product.sku, "price": "12.50", "stock": "7"},
    )
    assert Product.objects.get(pk=product.pk).stock == 3


@pytest.mark.parametrize(
    "model",
    ["product", "customer", "order", "orderline", "inquiry", "campaign", "shoplink"],
)
def test_every_commerce_model_has_a_working_list(admin_client, model):
    from tests.shops.factories import InquiryFactory, OrderLineFactory

    OrderLineFactory()
    InquiryFactory()
    CampaignFactory()
    linked_shop(age=timedelta(0))
    response = admin_client.get(changelist(f"shops.{model}"))
    assert response.status_code == 200
    first = response.context["cl"].result_list[0]
    assert admin_client.get(change_page(f"shops.{model}", first.pk)).status_code == 200
