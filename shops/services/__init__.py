"""The shop's own services: orders, inquiries, campaigns, listings and product edits.

They run on the same core as the lifecycle services (`lifecycle.core.apply`): one transaction,
the account row locked, the declared checks in order, one timeline event. Their machines are
declared in `shops.transitions.shop` and `shops.transitions.product`.
"""

from .campaigns import create_campaign, end_campaign, pause_campaign, start_campaign
from .inquiries import reply_inquiry
from .listings import change_listing_status
from .orders import cancel_order, ship_order
from .orders_bulk import cancel_orders, ship_orders
from .product_edits import edit_product

__all__ = [
    "cancel_order",
    "cancel_orders",
    "change_listing_status",
    "create_campaign",
    "edit_product",
    "end_campaign",
    "pause_campaign",
    "reply_inquiry",
    "ship_order",
    "ship_orders",
    "start_campaign",
]
