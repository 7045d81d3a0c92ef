"""The one domain error: each refusal carries a code (tests check it) and a sentence to act on."""

from enum import StrEnum
from typing import Any


class Code(StrEnum):
    NOT_YOUR_SANDBOX = "not_your_sandbox"
    NOT_ALLOWED_FOR_ACTOR = "not_allowed_for_actor"
    INVALID_STATE = "invalid_state"
    ACCOUNT_NOT_ACTIVE = "account_not_active"
    ACCOUNT_DELETED = "account_deleted"
    SHOP_LINKED_ELSEWHERE = "shop_linked_elsewhere"
    SHOP_NOT_LINKED = "shop_not_linked"
    SHOP_OTHER_SANDBOX = "shop_other_sandbox"
    NEVER_LINKED = "never_linked"
    CONFIRMATION_REQUIRED = "confirmation_required"
    UNLINK_TOO_SOON = "unlink_too_soon"
    UNLINK_LIMIT_REACHED = "unlink_limit_reached"
    CATEGORY_REQUIRED = "category_required"
    CATEGORY_NOT_ALLOWED = "category_not_allowed"
    UNKNOWN_CATEGORY = "unknown_category"
    UNKNOWN_TYPE = "unknown_type"
    UNKNOWN_EDITION = "unknown_edition"
    ORDERS_AWAITING_SHIPMENT = "orders_awaiting_shipment"
    CAMPAIGNS_ACTIVE = "campaigns_active"
    CONSEQUENCES_NOT_ACKNOWLEDGED = "consequences_not_acknowledged"
    WRONG_PASSWORD = "wrong_password"  # nosec B105  # an error code, not a password
    TOKEN_INVALID = "token_invalid"  # nosec B105  # an error code
    TOKEN_USED = "token_used"  # nosec B105  # an error code
    TOKEN_EXPIRED = "token_expired"  # nosec B105  # an error code
    REQUEST_CLOSED = "request_closed"
    NOT_DUE = "not_due"
    NO_OPEN_REQUEST = "no_open_request"
    LISTING_NEEDS_STOCK = "listing_needs_stock"
    UNKNOWN_LISTING_STATUS = "unknown_listing_status"
    # Day-to-day Seller Center work (lifecycle.services.commerce).
    INPUT_REQUIRED = "input_required"
    SANDBOX_NAME_TAKEN = "sandbox_name_taken"
    SANDBOX_IN_USE = "sandbox_in_use"
    FEATURE_NOT_IN_TYPE = "feature_not_in_type"
    SOUND_NOT_COMMERCIAL = "sound_not_commercial"
    UNKNOWN_SOUND = "unknown_sound"
    LIVE_IN_THE_PAST = "live_in_the_past"
    APP_NOT_CONNECTED = "app_not_connected"
    UNKNOWN_APP = "unknown_app"
    CLOCK_BACKWARDS = "clock_backwards"
    CLOCK_MOVED_ALREADY = "clock_moved_already"
    NOTHING_SCHEDULED = "nothing_scheduled"
    EXPORT_IN_FLIGHT = "export_in_flight"
    EXPORT_TOO_SOON = "export_too_soon"
    EXPORT_NOT_RETRYABLE = "export_not_retryable"
    EXPORT_NOT_READY = "export_not_ready"
    EXPORT_EXPIRED = "export_expired"
    EXPORT_FILE_MISSING = "export_file_missing"
    EXPORT_RESENDS_USED_UP = "export_resends_used_up"
    REASON_REQUIRED = "reason_required"
    OVERRIDE_NOT_PERMITTED = "override_not_permitted"
    MISSING_RIGHT = "missing_right"  # a staff action posted without its admin permission
    NOT_CONFIRMED = "not_confirmed"


class LifecycleError(Exception):
    """A refused action. `message` is one sentence that says why and what to do instead."""

    def __init__(self, code: StrEnum, message: str, **details: Any) -> None:
        # `code` is a member of an app's code enum: `Code`, or another app's (the cohorts').
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details
        self.recorded = False  # True once its timeline event is written (lifecycle.core)

    def __str__(self) -> str:
        return self.message
