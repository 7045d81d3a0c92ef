"""The controls a page offers the trainee, each asked of its declared transition's guards.

A control the guards refuse now is shown disabled, with the refusal's sentence beside it (the
same sentence the action would answer with) and the time it changes. The rows are read as the
services lock them, without the locks: a page reads, it changes nothing.
"""

from accounts.models import SellerAccount
from lifecycle.core import Actor, Offer, account_rows, offer
from lifecycle.services.deletion import open_request
from lifecycle.transitions.deletion import REQUEST_DELETION
from lifecycle.transitions.export import REQUEST_EXPORT
from lifecycle.transitions.link import UNLINK_SHOP
from shops.models import Shop, ShopLink


def _owner(account: SellerAccount) -> Actor:
    """The trainee the pages are for: a sandbox's pages are its owner's only."""
    return Actor.trainee(account.sandbox.owner)


def unlink_offer(account: SellerAccount, shop: Shop, link: ShopLink | None) -> Offer:
    """Unlinking `shop` (linked by `link`) now: the cool-down and the 180-day limit."""
    rows = account_rows(account, shop, link=link)
    return offer(UNLINK_SHOP, rows, actor=_owner(account))


def export_offer(account: SellerAccount) -> Offer:
    """Asking for a new export now: one in flight at a time, one new per cool-down."""
    return offer(REQUEST_EXPORT, account_rows(account), actor=_owner(account))


def deletion_offer(account: SellerAccount) -> Offer:
    """Requesting the deletion now: the orders and campaigns that block it (the password and
    the acknowledgement are what its form asks)."""
    rows = account_rows(account, request=open_request(account))
    return offer(REQUEST_DELETION, rows, actor=_owner(account))
