"""The controls a page offers the trainee, each asked of its declared transition's guards.

A control the guards refuse now is shown disabled, with the refusal's sentence beside it (the
same sentence the action would answer with) and the time it changes. The rows are read as the
services lock them, without the locks: a page reads, it changes nothing.
"""

from typing import Any

from accounts.models import SellerAccount
from lifecycle.core import Actor, Offer, account_rows, offer
from lifecycle.models import DeletionRequest, ExportJob, ExportStatus
from lifecycle.services.deletion import open_request
from lifecycle.transitions.deletion import REQUEST_DELETION
from lifecycle.transitions.export import REQUEST_EXPORT, RETRY_EXPORT
from shops.models import Shop, ShopLink
from shops.transitions.link import UNLINK_SHOP

UNREAD = object()  # the open request was not read by the caller


def _owner(account: SellerAccount, actor: Actor | None) -> Actor:
    """Who the page is for: the signed-in trainee (`actor`), who owns the sandbox."""
    return actor or Actor.trainee(account.sandbox.owner)


def unlink_offer(
    account: SellerAccount, shop: Shop, link: ShopLink | None, *, actor: Actor | None = None
) -> Offer:
    """Unlinking `shop` (linked by `link`) now: the cool-down and the 180-day limit."""
    rows = account_rows(account, shop, link=link)
    return offer(UNLINK_SHOP, rows, actor=_owner(account, actor))


def export_offer(account: SellerAccount, *, actor: Actor | None = None) -> Offer:
    """Asking for a new export now: one in flight at a time, one new per cool-down."""
    return offer(REQUEST_EXPORT, account_rows(account), actor=_owner(account, actor))


def with_retry_offers(
    account: SellerAccount, jobs: list[ExportJob], *, actor: Actor | None = None
) -> list[ExportJob]:
    """`jobs`, each failed one carrying `retry_offer`: Retry is refused while another export
    is in flight, or once the account is gone."""
    for job in jobs:
        if job.status == ExportStatus.FAILED:
            rows = account_rows(account, job)
            job.retry_offer = offer(  # type: ignore[attr-defined]  # for the template
                RETRY_EXPORT, rows, actor=_owner(account, actor)
            )
    return jobs


def deletion_offer(
    account: SellerAccount,
    *,
    actor: Actor | None = None,
    request: DeletionRequest | None | object = UNREAD,
    checklist: dict[str, Any] | None = None,
) -> Offer:
    """Requesting the deletion now: the orders and campaigns that block it (the password and
    the acknowledgement are what its form asks). A page that read the open request and the
    checklist already passes them, so they are not read twice."""
    if request is UNREAD:
        request = open_request(account)
    rows = account_rows(account, request=request)
    if checklist is not None:
        rows.memo["checklist"] = checklist  # what the guards read (transitions.deletion)
    return offer(REQUEST_DELETION, rows, actor=_owner(account, actor))
