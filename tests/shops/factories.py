from decimal import Decimal

import factory
from django.utils import timezone

from shops.models import (
    Campaign,
    Customer,
    Inquiry,
    Order,
    OrderLine,
    OrderStatus,
    Product,
    Shop,
    ShopLink,
)
from tests.accounts.factories import Arranged, SandboxFactory, SellerAccountFactory


class ShopFactory(Arranged):
    class Meta:
        model = Shop

    sandbox = factory.SubFactory(SandboxFactory)
    name = factory.Sequence(lambda n: f"Shop {n}")


class ShopLinkFactory(Arranged):
    class Meta:
        model = ShopLink

    account = factory.SubFactory(SellerAccountFactory)
    shop = factory.SubFactory(ShopFactory, sandbox=factory.SelfAttribute("..account.sandbox"))
    linked_at = factory.LazyFunction(timezone.now)


class ProductFactory(Arranged):
    class Meta:
        model = Product

    account = factory.SubFactory(SellerAccountFactory)
    shop = factory.SubFactory(ShopFactory, sandbox=factory.SelfAttribute("..account.sandbox"))
    title = factory.Sequence(lambda n: f"Product {n}")
    sku = factory.Sequence(lambda n: f"SKU-{n:04d}")
    price = Decimal("12.50")
    stock = 10


class CustomerFactory(Arranged):
    class Meta:
        model = Customer

    account = factory.SubFactory(SellerAccountFactory)
    name = factory.Sequence(lambda n: f"Customer {n}")
    email = factory.Sequence(lambda n: f"customer{n}@example.com")
    created_at = factory.LazyFunction(timezone.now)


class OrderFactory(Arranged):
    class Meta:
        model = Order

    account = factory.SubFactory(SellerAccountFactory)
    shop = factory.SubFactory(ShopFactory, sandbox=factory.SelfAttribute("..account.sandbox"))
    customer = factory.SubFactory(CustomerFactory, account=factory.SelfAttribute("..account"))
    number = factory.Sequence(lambda n: 1000 + n)
    status = OrderStatus.DELIVERED
    placed_at = factory.LazyFunction(timezone.now)
    shipping_address = "1 Mill Lane, Springfield"
    tracking_number = factory.LazyAttribute(
        lambda o: "" if o.status in ("awaiting_shipment", "cancelled") else f"TRK{o.number}"
    )


class OrderLineFactory(Arranged):
    class Meta:
        model = OrderLine

    order = factory.SubFactory(OrderFactory)
    product = factory.SubFactory(
        ProductFactory,
        account=factory.SelfAttribute("..order.account"),
        shop=factory.SelfAttribute("..order.shop"),
    )
    title = factory.SelfAttribute("product.title")
    quantity = 1
    unit_price = factory.SelfAttribute("product.price")


class InquiryFactory(Arranged):
    class Meta:
        model = Inquiry

    account = factory.SubFactory(SellerAccountFactory)
    customer = factory.SubFactory(CustomerFactory, account=factory.SelfAttribute("..account"))
    message = "Is this in stock?"
    received_at = factory.LazyFunction(timezone.now)


class CampaignFactory(Arranged):
    class Meta:
        model = Campaign

    account = factory.SubFactory(SellerAccountFactory)
    shop = factory.SubFactory(ShopFactory, sandbox=factory.SelfAttribute("..account.sandbox"))
    name = factory.Sequence(lambda n: f"Campaign {n}")
    budget = Decimal("100.00")
    created_at = factory.LazyFunction(timezone.now)
