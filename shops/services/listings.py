"""A listing's status (active, sold out, removed): the way to pause sales without closing."""

from accounts.models import AccountStatus
from lifecycle.core import Actor, check_actor, lifecycle_service, lock_account, record, refuse
from lifecycle.errors import Code
from lifecycle.transitions import Action, transition_for
from shops.models import ListingStatus, Product

from .checks import check_shop_linked


@lifecycle_service(Action.CHANGE_LISTING)
def change_listing_status(*, actor: Actor, product: Product | int, status: str) -> Product:
    """Mark a listing active, sold out or removed: the way to pause sales without closing."""
    pk = product.pk if isinstance(product, Product) else product
    account = lock_account(Product.objects.values_list("account_id", flat=True).get(pk=pk))
    product = Product.objects.select_for_update().get(pk=pk)
    context = {"account": account, "subject": product, "state": product.listing_status}
    check_actor(actor, transition_for(Action.CHANGE_LISTING), account)
    if status not in ListingStatus.values:
        refuse(Code.UNKNOWN_LISTING_STATUS, "Choose active, sold out or removed.", **context)
    if product.listing_status == status:
        return product
    if account.status == AccountStatus.DELETED:
        refuse(Code.ACCOUNT_DELETED, "This account was deleted; nothing can change.", **context)
    # An unlinked shop's inventory is out of the Seller Center's reach until it is relinked (§3).
    check_shop_linked(account, product.shop_id, context)
    if status == ListingStatus.ACTIVE and product.stock == 0:
        refuse(
            Code.LISTING_NEEDS_STOCK,
            f"{product.title} has no stock: add stock before listing it again.",
            **context,
        )
    before = product.listing_status
    product.listing_status = status
    product.save(update_fields=["listing_status"])
    record(
        actor=actor,
        action=Action.CHANGE_LISTING,
        subject=product,
        before=before,
        after=status,
        account=account,
    )
    return product
