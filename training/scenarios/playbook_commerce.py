"""The steps on the shop's goods: orders and inquiries, products, the studio's videos and lives.

Each calls the service its page calls, like the steps of `playbook`; `player` is a
`training.script.Player`, `actor` is who takes the step.
"""

from datetime import timedelta

from shops.models import Inquiry, Order, OrderStatus, Product
from shops.services.orders_bulk import carrier_tracking_number
from studio.models import LiveSession, ProductLink, Video
from training import moves

from .steps import span, step, words


def _product(player, sku: str) -> Product:
    return Product.objects.get(account=player.account, sku=sku)


def _awaiting(player, shop: str | None) -> list[Order]:
    found = Order.objects.filter(account=player.account, status=OrderStatus.AWAITING_SHIPMENT)
    if shop:
        found = found.filter(shop__name=shop)
    return list(found.order_by("placed_at", "id"))


def _video(player, title: str) -> Video:
    return Video.objects.get(account=player.account, title=title)


def _of(step) -> str:
    return f" of {step.shop}" if step.shop else ""


# --- Orders and inquiries ----------------------------------------------------------------------


@step(
    "ship_orders",
    say=lambda s: f"Orders → select every order awaiting shipment{_of(s)} → ship (labels)",
)
def ship_orders(player, step, actor):
    moves.ship_orders(actor=actor, orders=_awaiting(player, step.shop))


@step(
    "cancel_orders",
    say=lambda s: f"Orders → select every order awaiting shipment{_of(s)} → cancel",
)
def cancel_orders(player, step, actor):
    moves.cancel_orders(actor=actor, orders=_awaiting(player, step.shop))


@step(
    "ship_order",
    say=lambda s: f"Orders → the oldest order awaiting shipment{_of(s)} → ship it",
)
def ship_order(player, step, actor):
    order = _awaiting(player, step.shop)[0]
    moves.ship_order(actor=actor, order=order, tracking_number=carrier_tracking_number())


@step(
    "cancel_order",
    say=lambda s: f"Orders → the oldest order awaiting shipment{_of(s)} → cancel it",
)
def cancel_order(player, step, actor):
    moves.cancel_order(actor=actor, order=_awaiting(player, step.shop)[0])


@step(
    "reply_inquiry",
    needs=("text",),
    say=lambda s: f"Inquiries → the oldest unanswered one → reply “{s.text}”",
)
def reply_inquiry(player, step, actor):
    inquiry = (
        Inquiry.objects.filter(account=player.account, replied_at=None)
        .order_by("received_at", "id")
        .first()
    )
    moves.reply_inquiry(actor=actor, inquiry=inquiry, reply=step.text)


# --- Products ----------------------------------------------------------------------------------


@step(
    "change_listing",
    needs=("sku", "status"),
    say=lambda s: f"Products → {s.sku} → mark {words(s.status)}",
)
def change_listing(player, step, actor):
    moves.change_listing_status(actor=actor, product=_product(player, step.sku), status=step.status)


def _edit_said(s) -> str:
    changes = []
    if s.title is not None:
        changes.append(f"title “{s.title}”")
    if s.price is not None:
        changes.append(f"price {s.price}")
    if s.stock is not None:
        changes.append(f"stock {s.stock}")
    return f"Products → {s.sku} → edit: {', '.join(changes) or 'save unchanged'}"


@step("edit_product", needs=("sku",), say=_edit_said)
def edit_product(player, step, actor):
    product = _product(player, step.sku)
    moves.edit_product(
        actor=actor,
        product=product,
        title=product.title if step.title is None else step.title,
        price=product.price if step.price is None else step.price,
        stock=product.stock if step.stock is None else step.stock,
    )


# --- Studio ------------------------------------------------------------------------------------


@step(
    "pick_sound",
    needs=("video", "sound"),
    say=lambda s: f"Videos → {s.video} → pick the sound {s.sound}",
)
def pick_sound(player, step, actor):
    moves.pick_sound(actor=actor, video=_video(player, step.video), sound=step.sound)


@step(
    "add_product_link",
    needs=("video", "sku"),
    say=lambda s: f"Videos → {s.video} → tag the product {s.sku}",
)
def add_product_link(player, step, actor):
    video = _video(player, step.video)
    moves.add_product_link(actor=actor, video=video, product=_product(player, step.sku))


@step(
    "remove_product_link",
    needs=("video", "sku"),
    say=lambda s: f"Videos → {s.video} → remove the tag of {s.sku}",
)
def remove_product_link(player, step, actor):
    link = ProductLink.objects.get(video=_video(player, step.video), product__sku=step.sku)
    moves.remove_product_link(actor=actor, link=link)


@step(
    "schedule_live",
    needs=("title", "hours"),
    say=lambda s: f"Live → schedule “{s.title}” in {span(s.hours)}",
)
def schedule_live(player, step, actor):
    starts = moves.clock_now(player.sandbox)
    moves.schedule_live_session(
        actor=actor,
        account=player.account,
        title=step.title,
        starts_at=starts + timedelta(hours=step.hours),
    )


@step("cancel_live", needs=("title",), say=lambda s: f"Live → cancel “{s.title}”")
def cancel_live(player, step, actor):
    session = LiveSession.objects.filter(account=player.account, title=step.title).last()
    moves.cancel_live_session(actor=actor, session=session)
