"""Reads for the Seller Center: what the pages show, in a few queries that do not grow with rows.

Writes go through `lifecycle.services`; nothing here changes state. One module per page area.
"""

from .analytics import LINE_TOTAL, analytics, bar_chart
from .closing import close_account_preview, close_checklist
from .dashboard import dashboard_counts
from .diagram import (
    ACTION_PAGES,
    SHORT_LABELS,
    STATE_POSITIONS,
    AvailableAction,
    available_actions,
    state_diagram,
)
from .exports import with_flight_words
from .layout import (
    CLOCK_STEPS,
    layout_context,
    request_layout,
    rule_numbers,
    sandbox_account,
    sandbox_version,
)
from .links import (
    ShopLinkState,
    connected_apps,
    export_downloaded_recently,
    linked_shop_ids,
    shop_link_states,
)
from .offers import deletion_offer, export_offer, unlink_offer, with_retry_offers

__all__ = [
    "ACTION_PAGES",
    "CLOCK_STEPS",
    "LINE_TOTAL",
    "SHORT_LABELS",
    "STATE_POSITIONS",
    "AvailableAction",
    "ShopLinkState",
    "analytics",
    "available_actions",
    "bar_chart",
    "close_account_preview",
    "close_checklist",
    "connected_apps",
    "dashboard_counts",
    "deletion_offer",
    "export_offer",
    "with_flight_words",
    "with_retry_offers",
    "export_downloaded_recently",
    "layout_context",
    "linked_shop_ids",
    "request_layout",
    "rule_numbers",
    "sandbox_account",
    "sandbox_version",
    "shop_link_states",
    "state_diagram",
    "unlink_offer",
]
