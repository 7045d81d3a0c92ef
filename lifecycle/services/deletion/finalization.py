"""Finalizing a due deletion: the tombstone, the ended links and grants, the scrubbed timeline."""

from accounts.models import SellerAccount
from lifecycle.core import (
    Actor,
    Change,
    account_rows,
    apply,
    lifecycle_service,
    lock_account,
    record,
)
from lifecycle.transitions import LINKED, UNLINKED, Action, Rows
from lifecycle.transitions.deletion import FINALIZE_DELETION

from .checklist import open_request
from .purge import purge_account_data, scrub_timeline

DELETED_NAME = "Deleted seller"


@lifecycle_service(Action.FINALIZE_DELETION)
def finalize_deletion(*, actor: Actor, account: SellerAccount | int) -> SellerAccount:
    """Delete the account for good: a tombstone, a scrubbed timeline, its small rows removed.

    Its commerce rows (orders, products, customers...) are counted here and removed after the
    commit by `purge_deleted_account`, in short batches, so no transaction holds locks for long:
    the sweep does it right after, and finishes any purge a crash cut short. There is no other
    way to purge, for the tests either.
    """
    account = lock_account(account)
    rows = account_rows(account, request=open_request(account))
    return apply(FINALIZE_DELETION, rows, actor=actor, effect=_finalize)


def _finalize(rows: Rows, target: str) -> Change:
    account, now = rows.account, rows.now
    _end_links_and_grants(rows)
    removed = purge_account_data(account)
    rows.request.closed_at = now
    account.display_name = DELETED_NAME
    account.contact_email = ""
    account.deleted_at = now
    scrub_timeline(account)
    return Change(
        result=account,
        fields=("display_name", "contact_email", "deleted_at"),
        request_fields=("closed_at", "updated"),
        params={"request_id": rows.request.pk, "removed": removed},
    )


def _end_links_and_grants(rows: Rows) -> None:
    """End the account's shop links and app grants, each with its own event.

    Without these events a shop's (or an app's) timeline would still end in "linked"
    ("connected") while it no longer is, and its next event would not follow on from it.
    """
    account, actor = rows.account, rows.actor
    for link in account.shop_links.live().select_related("shop"):
        link.unlinked_at = rows.now
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
