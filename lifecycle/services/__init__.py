"""Every change of lifecycle state goes through one of these services.

Views, admin actions, Celery tasks and management commands call them; none changes state itself.
"""

from ._core import Actor, lifecycle_service
from .account import deactivate_account, reactivate_account, switch_account_type
from .clock import advance_clock, scheduled_events
from .deletion import (
    cancel_deletion,
    confirm_deletion,
    deletion_checklist,
    deletion_token,
    finalize_deletion,
    lapse_deletion,
    open_request,
    request_deletion,
)
from .due import run_due_work
from .links import link_shop, relink_shop, unlink_shop
from .listings import change_listing_status, grant_app_access, remove_app_access

__all__ = [
    "Actor",
    "advance_clock",
    "cancel_deletion",
    "change_listing_status",
    "confirm_deletion",
    "deactivate_account",
    "deletion_checklist",
    "deletion_token",
    "finalize_deletion",
    "grant_app_access",
    "lapse_deletion",
    "lifecycle_service",
    "link_shop",
    "open_request",
    "reactivate_account",
    "relink_shop",
    "remove_app_access",
    "request_deletion",
    "run_due_work",
    "scheduled_events",
    "switch_account_type",
    "unlink_shop",
]
