"""The shop's own services: orders, inquiries, campaigns and listings.

They run on the same core as the lifecycle services (`lifecycle.core.apply`): one transaction,
the account row locked, the declared checks in order, one timeline event. Their machines are
declared in `lifecycle.transitions.shop`.
"""

from .campaigns import create_campaign, end_campaign, pause_campaign, start_campaign
from .inquiries import reply_inquiry
from .listings import change_listing_status
from .orders import cancel_order, ship_order

__all__ = [
    "cancel_order",
    "change_listing_status",
    "create_campaign",
    "end_campaign",
    "pause_campaign",
    "reply_inquiry",
    "ship_order",
    "start_campaign",
]
