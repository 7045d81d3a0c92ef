"""Connected-app access (RULEBOOK §5): granting and removing an app's authorization."""

from accounts.models import AccountStatus, AppAuthorization, ConnectedApp, SellerAccount
from lifecycle.core import Actor, check_actor, lifecycle_service, lock_account, record, refuse
from lifecycle.errors import Code
from lifecycle.transitions import Action, transition_for


def _app_or_refuse(app: str, context: dict) -> None:
    if app not in ConnectedApp.values:
        refuse(Code.UNKNOWN_APP, "That app is not one the Seller Center connects to.", **context)


@lifecycle_service(Action.REMOVE_APP_ACCESS)
def remove_app_access(*, actor: Actor, account: SellerAccount, app: str) -> AppAuthorization:
    """End an app's authorization; the history stays and access can be granted again."""
    account = lock_account(account)
    live = account.app_authorizations.live().filter(app=app).first()
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
    live = account.app_authorizations.live().filter(app=app).first()
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
