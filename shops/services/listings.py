"""A listing's status (active, sold out, removed): the way to pause sales without closing."""

from lifecycle.core import Actor, account_rows, apply, lifecycle_service, lock_owned
from lifecycle.transitions import Action
from shops.models import Product
from shops.transitions.product import CHANGE_LISTING


@lifecycle_service(Action.CHANGE_LISTING)
def change_listing_status(*, actor: Actor, product: Product | int, status: str) -> Product:
    """Mark a listing active, sold out or removed: the way to pause sales without closing."""
    account, product = lock_owned(Product, product)
    rows = account_rows(account, product, inputs={"status": status, "target": status})
    return apply(CHANGE_LISTING, rows, actor=actor)
