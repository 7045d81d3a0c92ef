"""The services a scenario's world and scripts call, imported in one place.

The world is built, and every script step is played, only through these: the same services the
Seller Center's pages and the support admin call.
"""

from lifecycle.exporting import build_export
from lifecycle.services import (
    Actor,
    advance_clock,
    cancel_deletion,
    confirm_deletion,
    deactivate_account,
    deletion_token,
    grant_app_access,
    link_shop,
    notify_customers,
    open_request,
    queue_customer_notice,
    reactivate_account,
    record_download,
    remove_app_access,
    request_deletion,
    request_export,
    send_deletion_confirmation,
    sweep_sandbox,
    switch_account_type,
    unlink_shop,
)
from shops.services import (
    cancel_order,
    change_listing_status,
    create_campaign,
    end_campaign,
    pause_campaign,
    ship_order,
    start_campaign,
)

__all__ = [
    "Actor",
    "advance_clock",
    "build_export",
    "cancel_deletion",
    "cancel_order",
    "change_listing_status",
    "confirm_deletion",
    "create_campaign",
    "deactivate_account",
    "deletion_token",
    "end_campaign",
    "grant_app_access",
    "link_shop",
    "notify_customers",
    "open_request",
    "pause_campaign",
    "queue_customer_notice",
    "reactivate_account",
    "record_download",
    "remove_app_access",
    "request_deletion",
    "request_export",
    "send_deletion_confirmation",
    "ship_order",
    "start_campaign",
    "sweep_sandbox",
    "switch_account_type",
    "unlink_shop",
]
