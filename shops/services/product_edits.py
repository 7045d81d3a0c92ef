"""Editing a product: its title, price and stock (the listing's status has its own service)."""

from decimal import Decimal

from django.db.models import F

from lifecycle.core import Actor, Caused, Change, account_rows, apply, lifecycle_service, lock_owned
from lifecycle.models import Outcome, TimelineEvent
from lifecycle.transitions import Action, Rows
from shops.models import ListingStatus, Product
from shops.transitions.product import CHANGE_LISTING, EDIT_PRODUCT

EDITED = ("title", "price", "stock")


def sold_out_by_stock(product: Product) -> bool:
    """Whether the listing's last change of status was the sold-out that stock 0 caused (an
    older record wrote it as the edit's own move)."""
    last = (
        TimelineEvent.objects.filter(
            subject_type="product", subject_id=product.pk, outcome=Outcome.DONE
        )
        .exclude(before=F("after"))
        .order_by("-id")
        .values_list("action", "params")
        .first()
    )
    if last is None:
        return False
    action, params = last
    cause = (params or {}).get("cause") or {}
    return action == Action.EDIT_PRODUCT or cause.get("action") == Action.EDIT_PRODUCT


def _listing_move(rows: Rows, stock_before: int) -> tuple[Caused, ...]:
    """What the new stock does to the listing, as the listing machine's own move: an active
    listing left with no stock is sold out (nothing is on sale that cannot be sent); one that
    stock 0 sold out is back on sale when restocked. One the seller marked sold out or removed
    keeps its status."""
    product = rows.subject
    status = product.listing_status
    if status == ListingStatus.ACTIVE and product.stock == 0:
        target = ListingStatus.SOLD_OUT
    elif (
        status == ListingStatus.SOLD_OUT
        and stock_before == 0
        and product.stock > 0
        and sold_out_by_stock(product)
    ):
        target = ListingStatus.ACTIVE
    else:
        return ()
    inputs = {"status": target, "target": target}
    return (Caused(CHANGE_LISTING, account_rows(rows.seller, product, inputs=inputs), _moved),)


def _moved(rows: Rows, target: str) -> Change:
    return Change(result=rows.subject, params={"product_id": rows.subject.pk})


def _edit(rows: Rows, target: str) -> Change:
    product = rows.subject
    stock_before = product.stock
    changes = {}
    for name in EDITED:
        before, after = getattr(product, name), rows.memo[name]
        if before != after:
            as_json = str if isinstance(after, Decimal) else (lambda v: v)
            changes[name] = [as_json(before), as_json(after)]
            setattr(product, name, after)
    return Change(
        result=product,
        fields=tuple(changes),
        params={"product_id": product.pk, "changes": changes},
        caused=_listing_move(rows, stock_before),
    )


@lifecycle_service(Action.EDIT_PRODUCT)
def edit_product(
    *,
    actor: Actor,
    product: Product | int,
    title: str,
    price: Decimal | str,
    stock: int | str,
) -> Product:
    """Change a product's title, price and stock; a listing left with no stock is sold out, and
    back on sale when restocked (each the listing's own event, after the edit's)."""
    account, product = lock_owned(Product, product)
    inputs = {"title": title, "price": price, "stock": stock}
    rows = account_rows(account, product, inputs=inputs)
    return apply(EDIT_PRODUCT, rows, actor=actor, effect=_edit)
