"""Finalizing a due deletion: the tombstone, the ended links and grants, the scrubbed timeline."""

from collections.abc import Callable

from accounts.models import Sandbox, SellerAccount
from lifecycle.core import (
    Actor,
    Caused,
    Change,
    account_rows,
    apply,
    lifecycle_service,
    lock_account,
    record,
)
from lifecycle.transitions import Action, Rows
from lifecycle.transitions.deletion import FINALIZE_DELETION
from shops.models import Shop
from shops.transitions.link import END_LINK

from .checklist import open_request
from .purge import purge_account_data, scrub_timeline

DELETED_NAME = "Deleted seller"

# Called with (sandbox, what) in the finalization's transaction before anything is gone: an app
# above this one (rewind, its automatic checkpoint) registers here from its `ready()` instead of
# being imported from here (docs/architecture.md: no app imports an app above it).
BEFORE_FINALIZING: list[Callable[[Sandbox, str], object]] = []


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
    account, request, now = rows.seller, rows.deletion, rows.now
    # Irreversible from here, the purge after the commit included: the hooks run first (the
    # rewind app's automatic checkpoint of the sandbox).
    for hook in BEFORE_FINALIZING:
        hook(account.sandbox, f"{account.display_name} is deleted for good")
    ended = _links_to_end(rows)
    _end_grants(rows)
    removed = purge_account_data(account)
    request.closed_at = now
    account.display_name = DELETED_NAME
    account.contact_email = ""
    account.deleted_at = now
    scrub_timeline(account)
    return Change(
        result=account,
        fields=("display_name", "contact_email", "deleted_at"),
        request_fields=("closed_at", "updated"),
        params={"request_id": request.pk, "removed": removed},
        caused=ended,
    )


def _end_link(rows: Rows, target: str) -> Change:
    link = rows.live_link
    link.unlinked_at = rows.now
    link.save(update_fields=["unlinked_at"])
    return Change(result=link, params={"link_id": link.pk, "reason": "account deleted"})


def _links_to_end(rows: Rows) -> tuple[Caused, ...]:
    """The account's live links, locked (shop, then link): each is ended by the link machine's
    `END_LINK` after the deletion's event, with its own event naming it as the cause. Without
    them a shop's timeline would still end in "linked" while it no longer is."""
    account = rows.seller
    caused = []
    for link in account.shop_links.live().order_by("pk"):
        shop = Shop.objects.select_for_update().get(pk=link.shop_id)
        link_rows = account_rows(account, shop, link=shop.live_link())
        caused.append(Caused(END_LINK, link_rows, _end_link))
    return tuple(caused)


def _end_grants(rows: Rows) -> None:
    """End the account's app grants, each with its own event (their rows are purged next)."""
    account, actor = rows.seller, rows.acting
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
