"""Editing a product: its title, price and stock (the listing's status has its own service)."""

from decimal import Decimal

from lifecycle.core import Actor, Change, account_rows, apply, lifecycle_service, lock_owned
from lifecycle.transitions import Action, Rows
from lifecycle.transitions.product import EDIT_PRODUCT
from shops.models import Product

EDITED = ("title", "price", "stock")


def _edit(rows: Rows, target: str) -> Change:
    product = rows.subject
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
    """Change a product's title, price and stock; a listing left with no stock is sold out."""
    account, product = lock_owned(Product, product)
    inputs = {"title": title, "price": price, "stock": stock}
    rows = account_rows(account, product, inputs=inputs)
    return apply(EDIT_PRODUCT, rows, actor=actor, effect=_edit)
