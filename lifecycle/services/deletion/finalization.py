"""Finalizing a due deletion: the tombstone, the ended links and grants, the scrubbed timeline."""

from accounts.models import AccountStatus, SellerAccount
from lifecycle.core import Actor, check_actor, lifecycle_service, lock_account, record, refuse
from lifecycle.errors import Code
from lifecycle.models import DeletionStatus
from lifecycle.services.links import when
from lifecycle.transitions import LINKED, UNLINKED, Action, transition_for

from .checklist import open_request
from .purge import purge_account_data, scrub_timeline

DELETED_NAME = "Deleted seller"


@lifecycle_service(Action.FINALIZE_DELETION)
def finalize_deletion(
    *, actor: Actor, account: SellerAccount | int, purge: bool = True
) -> SellerAccount:
    """Remove the account's commerce data for good; keep a tombstone and a scrubbed timeline.

    With purge=False (the sweep) the bulk rows are only counted here, and removed after the
    commit by `purge_deleted_account` in short batches, so no transaction holds locks for long.
    """
    account = lock_account(account)
    context = {"account": account}
    check_actor(actor, transition_for(Action.FINALIZE_DELETION), account)
    if account.status == AccountStatus.DELETED:
        return account
    request = open_request(account)
    if account.status != AccountStatus.DELETION_SCHEDULED or request is None:
        refuse(
            Code.INVALID_STATE,
            "Only an account whose deletion was confirmed can be finalized.",
            **context,
        )
    now = account.sandbox.now()
    if now < request.scheduled_for:
        refuse(
            Code.NOT_DUE,
            f"The deletion is scheduled for {when(request.scheduled_for)}.",
            **context,
        )
    _record_side_effects(actor=actor, account=account, now=now)
    removed = purge_account_data(account, bulk=purge)
    request.status = DeletionStatus.FINALIZED
    request.closed_at = now
    request.save(update_fields=["status", "closed_at", "updated"])
    account.status = AccountStatus.DELETED
    account.display_name = DELETED_NAME
    account.contact_email = ""
    account.deleted_at = now
    account.save(
        update_fields=[
            "status",
            "display_name",
            "contact_email",
            "deleted_at",
        ]
    )
    scrub_timeline(account)
    record(
        actor=actor,
        action=Action.FINALIZE_DELETION,
        subject=account,
        before=AccountStatus.DELETION_SCHEDULED,
        after=AccountStatus.DELETED,
        account=account,
        params={"request_id": request.pk, "removed": removed},
    )
    return account


def _record_side_effects(*, actor: Actor, account: SellerAccount, now) -> None:
    """End the account's shop links and app grants, each with its own event.

    Without these events a shop's (or an app's) timeline would still end in "linked"
    ("connected") while it no longer is, and its next event would not follow on from it.
    """
    for link in account.shop_links.live().select_related("shop"):
        link.unlinked_at = now
        link.save(update_fields=["unlinked_at"])
        record(
            actor=actor,
            action=Action.UNLINK_SHOP,
            subject=link.shop,
            before=LINKED,
            after=UNLINKED,
            account=account,
            params={"link_id": link.pk, "reason": "account deleted"},
        )
    for grant in account.app_authorizations.live():
        record(
            actor=actor,
            action=Action.REMOVE_APP_ACCESS,
            subject=account,
            machine=f"app:{grant.app}",
            before="connected",
            after="disconnected",
            account=account,
            params={"app": grant.app, "authorization_id": grant.pk, "reason": "account deleted"},
        )
