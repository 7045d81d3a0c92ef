"""The services a scenario's world and scripts call, imported in one place.

The world is built, and every script step is played, only through these: the same services the
Seller Center's pages and the support admin call.
"""

from accounts.models import Sandbox
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
    open_confirmation_link,
    open_request,
    queue_customer_notice,
    reactivate_account,
    record_download,
    relink_shop,
    remove_app_access,
    request_deletion,
    request_export,
    retry_export,
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
    reply_inquiry,
    ship_order,
    start_campaign,
)
from shops.services.orders_bulk import cancel_orders, ship_orders
from shops.services.product_edits import edit_product
from studio.services import (
    add_product_link,
    cancel_live_session,
    pick_sound,
    remove_product_link,
    schedule_live_session,
)


def clock_now(sandbox: Sandbox):
    """The sandbox clock as it reads now (the row passed in may be older than the last move)."""
    return Sandbox.objects.get(pk=sandbox.pk).now()


__all__ = [
    "Actor",
    "add_product_link",
    "advance_clock",
    "build_export",
    "cancel_deletion",
    "cancel_live_session",
    "cancel_order",
    "cancel_orders",
    "change_listing_status",
    "clock_now",
    "confirm_deletion",
    "create_campaign",
    "deactivate_account",
    "deletion_token",
    "edit_product",
    "end_campaign",
    "grant_app_access",
    "link_shop",
    "notify_customers",
    "open_confirmation_link",
    "open_request",
    "pause_campaign",
    "pick_sound",
    "queue_customer_notice",
    "reactivate_account",
    "record_download",
    "relink_shop",
    "remove_app_access",
    "remove_product_link",
    "reply_inquiry",
    "request_deletion",
    "request_export",
    "retry_export",
    "schedule_live_session",
    "send_deletion_confirmation",
    "ship_order",
    "ship_orders",
    "start_campaign",
    "sweep_sandbox",
    "switch_account_type",
    "unlink_shop",
]
