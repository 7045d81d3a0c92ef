"""Listing status and connected-app access: small changes that never touch the account status."""

from accounts.models import AccountStatus, AppAuthorization, ConnectedApp, SellerAccount
from lifecycle.errors import Code
from lifecycle.transitions import Action, transition_for
from shops.models import ListingStatus, Product

from ._core import Actor, check_actor, lifecycle_service, lock_account, record, refuse
from .commerce import check_shop_linked


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


def _app_or_refuse(app: str, context: dict) -> None:
    if app not in ConnectedApp.values:
        refuse(Code.UNKNOWN_APP, "That app is not one the Seller Center connects to.", **context)


@lifecycle_service(Action.REMOVE_APP_ACCESS)
def remove_app_access(*, actor: Actor, account: SellerAccount, app: str) -> AppAuthorization:
    """End an app's authorization; the history stays and access can be granted again."""
    account = lock_account(account)
    live = account.app_authorizations.filter(app=app, revoked_at__isnull=True).first()
    state = "connected" if live else "disconnected"
    context = {"account": account, "machine": f"app:{app}", "state": state}
    check_actor(actor, transition_for(Action.REMOVE_APP_ACCESS), account)
    _app_or_refuse(app, context)
    # A deleted account's authorizations were purged: say it was deleted, not "not connected".
    if account.status == AccountStatus.DELETED:
        refuse(Code.ACCOUNT_DELETED, "This account was deleted; nothing can change.", **context)
    if live is None:
        last = account.app_authorizations.filter(app=app).order_by("-granted_at").first()
        if last is not None:
            return last  # removed already
        refuse(
            Code.APP_NOT_CONNECTED,
            f"{ConnectedApp(app).label} has no access to remove.",
            **context,
        )
    live.revoked_at = account.sandbox.now()
    live.save(update_fields=["revoked_at"])
    record(
        actor=actor,
        action=Action.REMOVE_APP_ACCESS,
        subject=account,
        machine=f"app:{app}",
        before="connected",
        after="disconnected",
        account=account,
        params={"app": app, "authorization_id": live.pk},
    )
    return live


@lifecycle_service(Action.GRANT_APP_ACCESS)
def grant_app_access(
    *, actor: Actor, account: SellerAccount, app: str, scopes: str = "read"
) -> AppAuthorization:
    account = lock_account(account)
    live = account.app_authorizations.filter(app=app, revoked_at__isnull=True).first()
    state = "connected" if live else "disconnected"
    context = {"account": account, "machine": f"app:{app}", "state": state}
    check_actor(actor, transition_for(Action.GRANT_APP_ACCESS), account)
    _app_or_refuse(app, context)
    if live is not None:
        return live
    if account.status != AccountStatus.ACTIVE:
        refuse(
            Code.ACCOUNT_NOT_ACTIVE,
            f"The account is {account.get_status_display().lower()}: only an active account "
            "can connect apps.",
            **context,
        )
    grant = AppAuthorization.objects.create(
        account=account, app=app, scopes=scopes, granted_at=account.sandbox.now()
    )
    record(
        actor=actor,
        action=Action.GRANT_APP_ACCESS,
        subject=account,
        machine=f"app:{app}",
        before="disconnected",
        after="connected",
        account=account,
        params={"app": app, "authorization_id": grant.pk},
    )
    return grant
