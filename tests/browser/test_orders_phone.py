"""The orders list, an order's page, the bulk preview and the product editor at 375 px: no
sideways scrolling of the page, every control reachable, axe-core clean."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from shops.models import OrderStatus, Product
from tests.shops.factories import OrderFactory, OrderLineFactory

from .conftest import act, log_in, shoot, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sideways(page: Page) -> int:
    return page.evaluate(
        "() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
        " - document.documentElement.clientWidth"
    )


def test_bulk_ship_and_the_order_pages_work_at_phone_width(phone_page, seller):
    page = phone_page
    sandbox = seller.sandbox.pk
    shop = seller.shop_links.get(unlinked_at__isnull=True).shop
    waiting = [
        OrderFactory(account=seller, shop=shop, status=OrderStatus.AWAITING_SHIPMENT)
        for _ in range(2)
    ]
    OrderLineFactory(order=waiting[0], product__account=seller, product__shop=shop)
    log_in(page, seller.sandbox.owner.username)
    visit(page, reverse("orders", args=[sandbox]) + "?status=awaiting_shipment")
    assert sideways(page) == 0

    page.get_by_label(f"Select order #{waiting[0].number}").check()
    page.get_by_label(f"Select order #{waiting[1].number}").check()
    act(page, page.get_by_role("button", name="Ship selected…"))
    expect(page.get_by_role("heading", name="Ship 2 orders?")).to_be_visible()
    assert sideways(page) == 0
    shoot(page, "bulk-ship-preview", docs=True)
    act(page, page.get_by_role("button", name="Ship 2 orders"))
    expect(page.locator("#messages")).to_contain_text("2 orders shipped.")

    filters = page.get_by_role("navigation", name="Filter by status")
    act(page, filters.get_by_role("link", name="Shipped"))
    act(page, page.get_by_role("link", name=f"#{waiting[0].number}"))
    expect(page.get_by_test_id("tracking-number")).to_have_text(
        waiting[0].__class__.objects.get(pk=waiting[0].pk).tracking_number
    )
    expect(page.get_by_test_id("order-history")).to_contain_text("Ship order")
    assert sideways(page) == 0
    shoot(page, "order-detail", docs=True)

    product = Product.objects.filter(account=seller).first()
    visit(page, reverse("edit_product", args=[sandbox, product.pk]))
    assert sideways(page) == 0
    page.get_by_role("spinbutton", name="Stock").fill("42")
    act(page, page.get_by_role("button", name="Save"), path=reverse("products", args=[sandbox]))
    expect(page.locator("#messages")).to_contain_text(f"{product.title}: saved.")
    product.refresh_from_db()
    assert product.stock == 42
