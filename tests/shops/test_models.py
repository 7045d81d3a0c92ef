"""Shop and commerce invariants held by the database itself."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from shops.models import Campaign, OrderLine, Product, ShopLink
from tests.accounts.factories import SellerAccountFactory
from tests.shops.factories import (
    CampaignFactory,
    CustomerFactory,
    InquiryFactory,
    OrderFactory,
    OrderLineFactory,
    ProductFactory,
    ShopFactory,
    ShopLinkFactory,
)

pytestmark = pytest.mark.django_db


def violates(build):
    with pytest.raises(IntegrityError), transaction.atomic():
        build()


def test_a_shop_has_at_most_one_active_link():
    link = ShopLinkFactory()
    other = SellerAccountFactory(sandbox=link.account.sandbox)
    violates(
        lambda: ShopLink.objects.create(shop=link.shop, account=other, linked_at=timezone.now())
    )
    # Ended links are history: any number of them may sit beside the active one.
    ShopLinkFactory(shop=link.shop, account=other, unlinked_at=timezone.now() + timedelta(hours=1))
    assert link.is_active and str(link) == f"{link.shop} ↔ {link.account}"


def test_a_link_cannot_end_before_it_starts():
    now = timezone.now()
    violates(lambda: ShopLinkFactory(linked_at=now, unlinked_at=now - timedelta(seconds=1)))


@pytest.mark.parametrize("field", ["price", "stock"])
def test_price_and_stock_are_never_negative(field):
    violates(lambda: ProductFactory(**{field: -1}))
    product = ProductFactory(**{field: 0})
    violates(lambda: Product.objects.filter(pk=product.pk).update(**{field: -1}))


def test_skus_are_unique_per_shop():
    product = ProductFactory(sku="MUG-1")
    ProductFactory(sku="MUG-1")  # another shop
    violates(lambda: ProductFactory(account=product.account, shop=product.shop, sku="MUG-1"))
    assert str(product) == f"{product.title} (MUG-1)"


def test_a_shipped_order_has_a_tracking_number():
    violates(lambda: OrderFactory(status="shipped", tracking_number=""))
    order = OrderFactory(status="awaiting_shipment")
    assert order.tracking_number == "" and str(order) == f"Order #{order.number}"


def test_order_numbers_are_unique_per_account():
    order = OrderFactory()
    violates(lambda: OrderFactory(account=order.account, shop=order.shop, number=order.number))


def test_order_lines_have_a_positive_quantity_a_price_and_a_total():
    line = OrderLineFactory(quantity=3, unit_price=Decimal("2.50"))
    assert line.total == Decimal("7.50") and str(line) == f"3 × {line.title}"
    violates(lambda: OrderLine.objects.filter(pk=line.pk).update(quantity=0))
    violates(lambda: OrderLine.objects.filter(pk=line.pk).update(unit_price=-1))


def test_a_removed_product_leaves_its_order_lines_in_place():
    line = OrderLineFactory()
    line.product.delete()
    line.refresh_from_db()
    assert line.product is None and line.title


def test_campaign_budgets_are_never_negative():
    campaign = CampaignFactory()
    violates(lambda: Campaign.objects.filter(pk=campaign.pk).update(budget=-5))
    assert str(campaign) == campaign.name


def test_names_of_shops_customers_and_inquiries():
    shop = ShopFactory(name="Kiln")
    inquiry = InquiryFactory(customer=CustomerFactory(name="Ada"))
    assert str(shop) == "Kiln"
    assert str(inquiry.customer) == "Ada" and str(inquiry) == "Inquiry from Ada"
