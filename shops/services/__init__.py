"""The shop's own services: orders, inquiries, campaigns and listings.

They run on the same core as the lifecycle services (`lifecycle.core`): one transaction, the
account row locked, the actor and the guards checked, one timeline event.
"""

from .campaigns import create_campaign, end_campaign, pause_campaign, start_campaign
from .checks import check_shop_linked
from .inquiries import reply_inquiry
from .listings import change_listing_status
from .orders import cancel_order, ship_order

__all__ = [
    "cancel_order",
    "change_listing_status",
    "check_shop_linked",
    "create_campaign",
    "end_campaign",
    "pause_campaign",
    "reply_inquiry",
    "ship_order",
    "start_campaign",
]
