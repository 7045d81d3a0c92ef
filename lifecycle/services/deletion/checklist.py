"""What must be done before a deletion can be requested, and the account's open request.

The checklist's facts and its blocking rows are declared with the deletion's guards
(`lifecycle.transitions.deletion`); they are re-exported here for the pages that show them.
"""

from accounts.models import SellerAccount
from lifecycle.models import DeletionRequest
from lifecycle.transitions.deletion import deletion_checklist

__all__ = ["deletion_checklist", "open_request"]


def open_request(account: SellerAccount) -> DeletionRequest | None:
    return account.deletion_requests.open().first()
