"""Editing a product from the products page: the way out of "add stock" (issue 8, item 11)."""

import re

from lifecycle.models import Outcome, TimelineEvent
from lifecycle.services import Actor, unlink_shop
from lifecycle.transitions import Action
from shops.models import ListingStatus, Product, ShopLink
from tests.web import demo, shown, url


def sold_out_without_stock(sandbox):
    """The demo's ninth product has no stock and is sold out."""
    return Product.objects.get(account__sandbox=sandbox, stock=0)


def test_every_product_row_links_to_its_edit_page(signed_in, sandbox):
    body = signed_in.get(url("products", sandbox)).content.decode()
    for product in Product.objects.filter(account__sandbox=sandbox):
        assert f'href="{url("edit_product", sandbox, product.pk)}"' in body


def test_a_listing_without_stock_offers_to_add_stock_not_a_relist_that_is_refused(
    signed_in, sandbox
):
    product = sold_out_without_stock(sandbox)
    body = signed_in.get(url("products", sandbox)).content.decode()
    row = re.search(rf"<tr>(?:(?!</tr>).)*{re.escape(product.sku)}.*?</tr>", body, re.S).group(0)
    assert "Add stock" in row
    assert "List as active" not in row


def test_the_edit_page_shows_the_current_values(signed_in, sandbox):
    product = sold_out_without_stock(sandbox)
    response = signed_in.get(url("edit_product", sandbox, product.pk))
    assert response.status_code == 200
    form = response.context["form"]
    assert (form["title"].value(), form["stock"].value()) == (product.title, 0)
    assert str(form["price"].value()) == str(product.price)


def test_adding_stock_then_listing_it_again(signed_in, sandbox):
    product = sold_out_without_stock(sandbox)
    response = signed_in.post(
        url("edit_product", sandbox, product.pk),
        {"title": product.title, "price": "19.99", "stock": "8"},
    )
    assert response.status_code == 302 and response["Location"] == url("products", sandbox)
    product.refresh_from_db()
    assert (str(product.price), product.stock) == ("19.99", 8)
    assert shown(signed_in.get(response["Location"]), f"{product.title}: saved.")
    relist = signed_in.post(url("product_status", sandbox, product.pk), {"status": "active"})
    assert relist.status_code == 302
    product.refresh_from_db()
    assert product.listing_status == ListingStatus.ACTIVE
    event = TimelineEvent.objects.get(action=Action.EDIT_PRODUCT)
    assert event.params["changes"]["stock"] == [0, 8]


def test_a_negative_stock_is_bad_input_and_keeps_what_was_typed(signed_in, sandbox):
    product = sold_out_without_stock(sandbox)
    response = signed_in.post(
        url("edit_product", sandbox, product.pk),
        {"title": "New name", "price": "3.00", "stock": "-1"},
    )
    assert response.status_code == 400
    assert response.context["form"]["title"].value() == "New name"
    product.refresh_from_db()
    assert product.stock == 0 and product.title != "New name"


def test_an_edit_refused_by_the_service_says_why_on_the_edit_page(signed_in, trainee, sandbox):
    product = Product.objects.filter(account__sandbox=sandbox, stock__gt=0).first()
    link = ShopLink.objects.get(account__sandbox=sandbox, unlinked_at__isnull=True)
    unlink_shop(
        actor=Actor.trainee(trainee), account=sandbox.account, shop=link.shop, confirmed=True
    )
    response = signed_in.post(
        url("edit_product", sandbox, product.pk),
        {"title": product.title, "price": "1.00", "stock": "1"},
    )
    assert response.status_code == 409
    assert shown(response, f"{link.shop.name} is not linked to this account")
    assert TimelineEvent.objects.filter(
        action=Action.EDIT_PRODUCT, outcome=Outcome.REFUSED
    ).exists()


def test_product_of_another_sandbox_is_404(signed_in, other_trainee, sandbox):
    theirs = Product.objects.filter(account__sandbox=demo(other_trainee, name="Theirs")).first()
    assert signed_in.get(url("edit_product", sandbox, theirs.pk)).status_code == 404
    response = signed_in.post(
        url("edit_product", sandbox, theirs.pk), {"title": "x", "price": "1", "stock": "1"}
    )
    assert response.status_code == 404


def test_the_price_field_names_the_shop_s_currency(signed_in, sandbox, settings):
    product = sold_out_without_stock(sandbox)
    assert shown(signed_in.get(url("edit_product", sandbox, product.pk)), "Price (USD)")
    settings.SIMULATOR = {**settings.SIMULATOR, "CURRENCY": "EUR"}
    assert shown(signed_in.get(url("edit_product", sandbox, product.pk)), "Price (EUR)")
