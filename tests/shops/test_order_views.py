"""The order detail page, bulk ship and bulk cancel on the orders list, and the way back to the
close-account checklist while a deletion is being prepared (issue 8, item 12)."""

import re

import pytest
from django.urls import reverse

from lifecycle.errors import LifecycleError
from lifecycle.models import Outcome, TimelineEvent
from lifecycle.services import Actor, end_campaign, request_deletion, ship_order
from lifecycle.transitions import Action
from shops.models import Order, OrderStatus, ShopLink
from tests.shops.factories import OrderFactory, OrderLineFactory
from tests.web import count_queries, demo, page_checks, shown, url


def main_shop(sandbox):
    return ShopLink.objects.get(account__sandbox=sandbox, unlinked_at__isnull=True).shop


def waiting(sandbox, n=3):
    """`n` more orders awaiting shipment, besides the demo's own."""
    account, shop = sandbox.account, main_shop(sandbox)
    return [
        OrderFactory(account=account, shop=shop, status=OrderStatus.AWAITING_SHIPMENT)
        for _ in range(n)
    ]


def awaiting_now(sandbox):
    return Order.objects.filter(account__sandbox=sandbox, status=OrderStatus.AWAITING_SHIPMENT)


def first_order(sandbox):
    return Order.objects.filter(account__sandbox=sandbox).first()


(
    test_page_of_another_trainee_is_404,
    test_anonymous_is_sent_to_login,
    test_page_queries_do_not_grow_with_rows,
) = page_checks(["orders"])


# --- Order detail ---------------------------------------------------------------------------


def test_order_detail_shows_lines_address_tracking_and_its_history(signed_in, trainee, sandbox):
    [order] = waiting(sandbox, 1)
    line = OrderLineFactory(order=order, quantity=2, product__price="7.25")
    with pytest.raises(LifecycleError):  # a refusal, recorded on the order
        ship_order(actor=Actor.trainee(trainee), order=order, tracking_number="")
    ship_order(actor=Actor.trainee(trainee), order=order, tracking_number="LS123456785GB")
    response = signed_in.get(url("order_detail", sandbox, order.pk))
    assert response.status_code == 200
    body = response.content.decode()
    assert f"Order #{order.number}" in body
    assert line.title in body and "14.50" in body  # 2 × 7.25
    assert shown(response, order.shipping_address)
    assert "LS123456785GB" in body
    history = response.context["history"]
    assert [(e.action, e.outcome) for e in history] == [
        (Action.SHIP_ORDER, Outcome.REFUSED),
        (Action.SHIP_ORDER, Outcome.DONE),
    ]


def test_the_orders_list_links_each_order_to_its_page(signed_in, sandbox):
    order = first_order(sandbox)
    body = signed_in.get(url("orders", sandbox)).content.decode()
    assert f'href="{url("order_detail", sandbox, order.pk)}"' in body


def test_order_of_another_sandbox_is_404(signed_in, other_trainee, sandbox):
    theirs = demo(other_trainee, name="Theirs")
    assert signed_in.get(url("order_detail", sandbox, first_order(theirs).pk)).status_code == 404


def test_the_detail_page_ships_and_comes_back_to_itself(signed_in, sandbox):
    [order] = waiting(sandbox, 1)
    detail = url("order_detail", sandbox, order.pk)
    page = signed_in.get(detail).content.decode()
    assert f'action="{url("ship_order", sandbox, order.pk)}"' in page
    response = signed_in.post(
        url("ship_order", sandbox, order.pk), {"tracking_number": "ZX-9", "next": detail}
    )
    assert (response.status_code, response["Location"]) == (302, detail)


# --- Bulk ship and cancel -------------------------------------------------------------------


def test_the_orders_list_offers_a_checkbox_per_order_awaiting_shipment(signed_in, sandbox):
    waiting(sandbox, 2)
    body = signed_in.get(url("orders", sandbox, query="status=awaiting_shipment")).content.decode()
    boxes = re.findall(r'<input[^>]+name="order"[^>]*>', body)
    assert len(boxes) == awaiting_now(sandbox).count() == 3
    assert all('form="bulk-orders"' in box for box in boxes)
    assert "Ship selected" in body and "Cancel selected" in body


def test_bulk_ship_shows_what_it_will_do_first_and_changes_nothing(signed_in, sandbox):
    orders = waiting(sandbox, 3)
    events = TimelineEvent.objects.count()
    query = "action=ship&" + "&".join(f"order={o.pk}" for o in orders)
    response = signed_in.get(url("bulk_orders", sandbox, query=query))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Ship 3 orders?" in body
    assert all(f"#{o.number}" in body for o in orders)
    assert "tracking number" in body
    assert 'name="count" value="3"' in body
    assert TimelineEvent.objects.count() == events
    assert awaiting_now(sandbox).count() == 4


def test_bulk_ship_ships_every_order_with_a_carrier_number_and_says_how_many(signed_in, sandbox):
    orders = waiting(sandbox, 3)
    ids = ",".join(str(o.pk) for o in orders)
    response = signed_in.post(
        url("bulk_orders", sandbox),
        {"action": "ship", "orders": ids, "count": "3", "return_status": "awaiting_shipment"},
    )
    assert response.status_code == 302
    assert response["Location"] == url("orders", sandbox, query="status=awaiting_shipment")
    for order in orders:
        order.refresh_from_db()
        assert order.status == OrderStatus.SHIPPED
        assert re.fullmatch(r"LS\d{9}GB", order.tracking_number)
    assert shown(signed_in.get(response["Location"]), "3 orders shipped.")
    done = TimelineEvent.objects.filter(action=Action.SHIP_ORDER, outcome=Outcome.DONE)
    assert done.count() == 3


def test_bulk_cancel_reports_each_refused_order_and_cancels_the_rest(signed_in, sandbox):
    orders = waiting(sandbox, 2)
    shipped = Order.objects.filter(account__sandbox=sandbox, status=OrderStatus.SHIPPED).first()
    ids = ",".join(str(o.pk) for o in [*orders, shipped])
    preview = signed_in.get(
        url("bulk_orders", sandbox, query=f"action=cancel&order={orders[0].pk}&order={shipped.pk}")
    )
    assert shown(preview, f"#{shipped.number} is shipped: it is left as it is.")
    response = signed_in.post(
        url("bulk_orders", sandbox), {"action": "cancel", "orders": ids, "count": "3"}
    )
    assert response.status_code == 302
    page = signed_in.get(response["Location"])
    assert shown(page, "2 orders cancelled.")
    assert shown(
        page, f"Order #{shipped.number} is shipped: a parcel on its way cannot be cancelled."
    )
    for order in orders:
        order.refresh_from_db()
        assert order.status == OrderStatus.CANCELLED
    shipped.refresh_from_db()
    assert shipped.status == OrderStatus.SHIPPED


def test_a_bulk_action_whose_every_order_is_refused_answers_409(signed_in, sandbox):
    shipped = Order.objects.filter(account__sandbox=sandbox, status=OrderStatus.SHIPPED).first()
    response = signed_in.post(
        url("bulk_orders", sandbox), {"action": "ship", "orders": str(shipped.pk), "count": "1"}
    )
    assert response.status_code == 409
    assert shown(response, f"Order #{shipped.number} is shipped")


def test_a_count_that_does_not_match_the_selection_changes_nothing(signed_in, sandbox):
    orders = waiting(sandbox, 2)
    ids = ",".join(str(o.pk) for o in orders)
    events = TimelineEvent.objects.count()
    response = signed_in.post(
        url("bulk_orders", sandbox), {"action": "ship", "orders": ids, "count": "5"}
    )
    assert response.status_code == 400
    assert awaiting_now(sandbox).count() == 3
    assert TimelineEvent.objects.count() == events


@pytest.mark.parametrize("query", ["action=ship", "action=ship&order=abc", "action=fly&order=1"])
def test_nothing_or_nonsense_selected_is_bad_input(signed_in, sandbox, query):
    response = signed_in.get(url("bulk_orders", sandbox, query=query))
    assert response.status_code == 400
    assert shown(response, "Select the orders to ship or cancel first.")


def test_orders_of_another_sandbox_are_left_out_of_a_bulk_action(signed_in, other_trainee, sandbox):
    theirs = demo(other_trainee, name="Theirs")
    foreign = Order.objects.filter(
        account__sandbox=theirs, status=OrderStatus.AWAITING_SHIPMENT
    ).first()
    response = signed_in.post(
        url("bulk_orders", sandbox), {"action": "ship", "orders": str(foreign.pk), "count": "1"}
    )
    assert response.status_code == 400
    foreign.refresh_from_db()
    assert foreign.status == OrderStatus.AWAITING_SHIPMENT


# --- Back to the checklist ------------------------------------------------------------------


def back_link(response) -> bool:
    return (
        f'href="{reverse("close_account", args=[response.context["sandbox"].pk])}"'
        in (response.content.decode())
        and "Back to the checklist" in response.content.decode()
    )


def test_the_way_back_to_the_checklist_shows_once_closing_started(signed_in, sandbox):
    assert not back_link(signed_in.get(url("orders", sandbox)))
    signed_in.get(url("close_account", sandbox))
    for name in ("orders", "campaigns", "exports"):
        assert back_link(signed_in.get(url(name, sandbox))), name


def open_checklist_then_request(signed_in, trainee, sandbox) -> None:
    """Open the close checklist, clear what blocks the request, and request the deletion."""
    signed_in.get(url("close_account", sandbox))
    for order in awaiting_now(sandbox):
        ship_order(actor=Actor.trainee(trainee), order=order, tracking_number="T-1")
    for campaign in sandbox.account.campaigns.filter(status="active"):
        end_campaign(actor=Actor.trainee(trainee), campaign=campaign)
    request_deletion(
        actor=Actor.trainee(trainee),
        account=sandbox.account,
        password="correct-horse-9",
        acknowledged=True,
    )


def test_the_way_back_is_gone_once_the_deletion_is_requested(signed_in, trainee, sandbox):
    open_checklist_then_request(signed_in, trainee, sandbox)
    assert not back_link(signed_in.get(url("orders", sandbox)))


def test_the_order_page_reads_as_many_queries_with_one_line_or_ten(signed_in, trainee, sandbox):
    small, large = waiting(sandbox, 2)
    OrderLineFactory(order=small)
    for _ in range(10):
        OrderLineFactory(order=large)
    for order in (small, large):
        ship_order(actor=Actor.trainee(trainee), order=order, tracking_number="T-1")
    with pytest.raises(LifecycleError):  # a refusal on its history as well
        ship_order(actor=Actor.trainee(trainee), order=large, tracking_number="T-2")
    assert count_queries(signed_in, url("order_detail", sandbox, small.pk)) == count_queries(
        signed_in, url("order_detail", sandbox, large.pk)
    )


def test_bulk_preview_confirms_only_the_orders_it_will_change(signed_in, sandbox):
    """An order the preview says is left as it is is not sent on: confirming records no refusal."""
    orders = waiting(sandbox, 2)
    shipped = Order.objects.filter(account__sandbox=sandbox, status=OrderStatus.SHIPPED).first()
    query = "action=cancel" + "".join(f"&order={o.pk}" for o in [*orders, shipped])
    preview = signed_in.get(url("bulk_orders", sandbox, query=query))
    assert shown(preview, "Cancel 2 orders?")
    assert shown(preview, f"#{shipped.number} is shipped: it is left as it is.")
    sent = re.search(r'name="orders" value="([\d,]+)"', preview.content.decode()).group(1)
    assert sent == ",".join(str(o.pk) for o in orders)
    response = signed_in.post(
        url("bulk_orders", sandbox), {"action": "cancel", "orders": sent, "count": "2"}
    )
    assert response.status_code == 302
    assert not TimelineEvent.objects.filter(action=Action.CANCEL_ORDER, outcome=Outcome.REFUSED)


def test_bulk_preview_with_nothing_it_can_change_says_so(signed_in, sandbox):
    shipped = Order.objects.filter(account__sandbox=sandbox, status=OrderStatus.SHIPPED).first()
    response = signed_in.get(url("bulk_orders", sandbox, query=f"action=ship&order={shipped.pk}"))
    assert response.status_code == 400
    assert shown(response, "None of the selected orders is awaiting shipment: nothing to ship.")


def _confirm_form(preview) -> dict[str, str]:
    """The hidden fields of the preview's confirmation form, as the browser would send them."""
    body = preview.content.decode()
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', body))


def test_the_same_bulk_ship_confirmed_twice_ships_once_and_refuses_nothing(signed_in, sandbox):
    """RULEBOOK §9: the confirmation sent again (a second tab, Back then confirm) has the effect
    of one: the orders keep their first tracking numbers and no refusal lands on the timeline."""
    orders = waiting(sandbox, 2)
    query = "action=ship" + "".join(f"&order={o.pk}" for o in orders)
    form = _confirm_form(signed_in.get(url("bulk_orders", sandbox, query=query)))
    assert form["orders"] == ",".join(str(o.pk) for o in orders)
    assert signed_in.post(url("bulk_orders", sandbox), form).status_code == 302
    numbers = [Order.objects.get(pk=o.pk).tracking_number for o in orders]
    again = signed_in.post(url("bulk_orders", sandbox), form)
    assert again.status_code == 302
    assert [Order.objects.get(pk=o.pk).tracking_number for o in orders] == numbers
    assert not TimelineEvent.objects.filter(action=Action.SHIP_ORDER, outcome=Outcome.REFUSED)
    done = TimelineEvent.objects.filter(action=Action.SHIP_ORDER, outcome=Outcome.DONE)
    assert done.count() == 2


def test_the_way_back_is_gone_once_a_deletion_is_cancelled(signed_in, trainee, sandbox):
    """Cancelling says the trainee is not closing the account after all: no page keeps calling
    them "getting the account ready to close"."""
    open_checklist_then_request(signed_in, trainee, sandbox)
    cancelled = signed_in.post(url("cancel_deletion", sandbox), follow=True)
    assert shown(cancelled, "Deletion cancelled")
    assert not back_link(cancelled)
    assert not back_link(signed_in.get(url("orders", sandbox)))
