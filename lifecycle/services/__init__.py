"""Every change of lifecycle state goes through one of these services.

Views, admin actions, Celery tasks and management commands call them; none changes state itself.
The shop's own services (orders, inquiries, campaigns, listings) live in `shops.services` and are
re-exported here, so one import reaches every service.
"""

from lifecycle.core import Actor, lifecycle_service, record
from shops.services import (
    cancel_order,
    change_listing_status,
    create_campaign,
    end_campaign,
    pause_campaign,
    reply_inquiry,
    ship_order,
    start_campaign,
)

from .account import deactivate_account, reactivate_account, switch_account_type
from .announcements import notify_customers, queue_customer_notice
from .apps import grant_app_access, remove_app_access
from .clock import advance_clock, scheduled_events
from .deletion import (
    cancel_deletion,
    confirm_deletion,
    deletion_checklist,
    deletion_token,
    finalize_deletion,
    lapse_deletion,
    open_confirmation_link,
    open_request,
    purge_deleted_account,
    request_deletion,
    request_for_token,
)
from .due import run_due_work, sandboxes_with_due_work, sweep_sandbox, sweep_sandboxes
from .emails import send_deletion_confirmation, send_deletion_reminder, send_lapse_notice
from .exports import (
    expire_export,
    export_progress,
    fail_export,
    give_up_export,
    mark_export_ready,
    record_download,
    request_export,
    requeue_export,
    resend_export,
    retry_export,
    start_export,
)
from .links import link_shop, relink_shop, unlink_shop
from .sandboxes import create_sandbox, reset_demo_sandbox

__all__ = [
    "Actor",
    "advance_clock",
    "cancel_deletion",
    "cancel_order",
    "change_listing_status",
    "confirm_deletion",
    "create_sandbox",
    "create_campaign",
    "deactivate_account",
    "deletion_checklist",
    "deletion_token",
    "end_campaign",
    "expire_export",
    "export_progress",
    "fail_export",
    "finalize_deletion",
    "give_up_export",
    "grant_app_access",
    "lapse_deletion",
    "lifecycle_service",
    "link_shop",
    "mark_export_ready",
    "notify_customers",
    "open_request",
    "pause_campaign",
    "purge_deleted_account",
    "queue_customer_notice",
    "reactivate_account",
    "record",
    "record_download",
    "relink_shop",
    "remove_app_access",
    "reply_inquiry",
    "request_deletion",
    "request_export",
    "open_confirmation_link",
    "request_for_token",
    "requeue_export",
    "resend_export",
    "reset_demo_sandbox",
    "retry_export",
    "run_due_work",
    "sandboxes_with_due_work",
    "scheduled_events",
    "send_deletion_confirmation",
    "send_deletion_reminder",
    "send_lapse_notice",
    "ship_order",
    "start_campaign",
    "start_export",
    "sweep_sandbox",
    "sweep_sandboxes",
    "switch_account_type",
    "unlink_shop",
]
