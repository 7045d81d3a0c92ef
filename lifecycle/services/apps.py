"""Connected-app access (RULEBOOK §5): granting and removing an app's authorization, as the app
machine in `accounts.transitions.account` declares."""

from accounts.models import AppAuthorization, SellerAccount
from accounts.transitions.account import GRANT_APP_ACCESS, REMOVE_APP_ACCESS
from lifecycle.core import Actor, Change, account_rows, apply, lifecycle_service, lock_account
from lifecycle.transitions import Action, Rows


def _rows(account: SellerAccount, app: str, **inputs) -> Rows:
    account = lock_account(account)
    grant = account.app_authorizations.live().filter(app=app).first()
    return account_rows(account, inputs={"app": app, **inputs}, grant=grant)


def _revoke(rows: Rows, target: str) -> Change:
    grant = rows.grant
    assert grant is not None  # nosec B101  # the source check found it connected
    grant.revoked_at = rows.now
    grant.save(update_fields=["revoked_at"])
    return Change(result=grant, params={"app": grant.app, "authorization_id": grant.pk})


@lifecycle_service(Action.REMOVE_APP_ACCESS)
def remove_app_access(*, actor: Actor, account: SellerAccount, app: str) -> AppAuthorization:
    """End an app's authorization; the history stays and access can be granted again."""
    return apply(REMOVE_APP_ACCESS, _rows(account, app), actor=actor, effect=_revoke)


def _grant(rows: Rows, target: str) -> Change:
    grant = AppAuthorization.objects.create(
        account=rows.seller,
        app=rows.inputs["app"],
        scopes=rows.inputs["scopes"],
        granted_at=rows.now,
    )
    return Change(result=grant, params={"app": grant.app, "authorization_id": grant.pk})


@lifecycle_service(Action.GRANT_APP_ACCESS)
def grant_app_access(
    *, actor: Actor, account: SellerAccount, app: str, scopes: str = "read"
) -> AppAuthorization:
    return apply(GRANT_APP_ACCESS, _rows(account, app, scopes=scopes), actor=actor, effect=_grant)
