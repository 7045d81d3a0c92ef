"""Requesting, confirming, lapsing, cancelling and finalizing an account deletion (RULEBOOK §5).

One module per part of the deletion's life: the checklist before it, the request, the emailed
confirmation, its closing (lapse, cancel), the finalization and the purge of the data.
"""

from .checklist import deletion_checklist, open_request
from .closing import cancel_deletion, lapse_deletion
from .confirmation import (
    TOKEN_SALT,
    confirm_deletion,
    confirmation_refusal,
    deletion_token,
    open_confirmation_link,
    request_for_token,
)
from .finalization import DELETED_NAME, finalize_deletion
from .purge import (
    PERSONAL_KEYS,
    REDACTED,
    bulk_data,
    purge_account_data,
    purge_deleted_account,
    scrub_timeline,
)
from .request import request_deletion

__all__ = [
    "DELETED_NAME",
    "PERSONAL_KEYS",
    "REDACTED",
    "TOKEN_SALT",
    "bulk_data",
    "cancel_deletion",
    "confirm_deletion",
    "confirmation_refusal",
    "deletion_checklist",
    "deletion_token",
    "finalize_deletion",
    "lapse_deletion",
    "open_request",
    "purge_account_data",
    "purge_deleted_account",
    "request_deletion",
    "open_confirmation_link",
    "request_for_token",
    "scrub_timeline",
]
