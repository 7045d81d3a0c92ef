"""The vocabulary of the timeline: every action a trainee, support agent or job can take.

A registry, not the `action` field's choices: each app registers its own vocabulary (a
`TextChoices`) with `register`, the lifecycle's `Action` here, the training layer's in its
`AppConfig.ready()`. A new action is then a member of its app's vocabulary and needs no
migration; an action nobody registered is refused when its event is written
(`TimelineEvent.save`). Its own module so that the models and the declared machines in
`lifecycle.transitions` (which import the models) do not import each other.
"""

from django.core.exceptions import ImproperlyConfigured
from django.db import models

_LABELS: dict[str, str] = {}


class UnknownAction(ValueError):
    """An event names an action no app registered."""


def register(vocabulary: type[models.TextChoices]) -> None:
    """Add an app's actions to the timeline's vocabulary (twice the same is harmless)."""
    for value, label in vocabulary.choices:
        known = _LABELS.setdefault(value, str(label))
        if known != str(label):
            raise ImproperlyConfigured(
                f"Timeline action {value!r} is registered twice: as {known!r} and {label!r}."
            )


def unregister(vocabulary: type[models.TextChoices]) -> None:
    """Take an app's actions off (a test's throw-away vocabulary)."""
    for value in vocabulary.values:
        _LABELS.pop(value, None)


def is_known(action: str) -> bool:
    return action in _LABELS


def label_of(action: str) -> str:
    """The action as the pages name it; an unknown one (an old event's) as its value."""
    return _LABELS.get(action, action)


def action_choices() -> list[tuple[str, str]]:
    """Every registered action and its label, for a filter's choices."""
    return list(_LABELS.items())


def check_known(action: str) -> None:
    if action not in _LABELS:
        raise UnknownAction(
            f"{action!r} is not a timeline action: add it to its app's vocabulary, registered "
            "with lifecycle.actions.register."
        )


class Action(models.TextChoices):
    LINK_SHOP = "link_shop", "Link shop"
    UNLINK_SHOP = "unlink_shop", "Unlink shop"
    RELINK_SHOP = "relink_shop", "Relink shop"
    SWITCH_TYPE = "switch_type", "Switch account type"
    DEACTIVATE = "deactivate", "Deactivate account"
    REACTIVATE = "reactivate", "Reactivate account"
    REQUEST_DELETION = "request_deletion", "Request deletion"
    CONFIRM_DELETION = "confirm_deletion", "Confirm deletion"
    LAPSE_DELETION = "lapse_deletion", "Deletion request lapsed"
    CANCEL_DELETION = "cancel_deletion", "Cancel deletion"
    FINALIZE_DELETION = "finalize_deletion", "Finalize deletion"
    CHANGE_LISTING = "change_listing", "Change listing status"
    EDIT_PRODUCT = "edit_product", "Edit product"
    REMOVE_APP_ACCESS = "remove_app_access", "Remove app access"
    GRANT_APP_ACCESS = "grant_app_access", "Grant app access"
    ADVANCE_CLOCK = "advance_clock", "Advance the clock"
    # Day-to-day Seller Center work (orders, inquiries, campaigns).
    SHIP_ORDER = "ship_order", "Ship order"
    CANCEL_ORDER = "cancel_order", "Cancel order"
    REPLY_INQUIRY = "reply_inquiry", "Reply to inquiry"
    CREATE_CAMPAIGN = "create_campaign", "Create campaign"
    START_CAMPAIGN = "start_campaign", "Start campaign"
    PAUSE_CAMPAIGN = "pause_campaign", "Pause campaign"
    END_CAMPAIGN = "end_campaign", "End campaign"
    # What the account type unlocks on the shop's videos (RULEBOOK §4; studio.services).
    PICK_SOUND = "pick_sound", "Pick a sound"
    ADD_PRODUCT_LINK = "add_product_link", "Add product link"
    REMOVE_PRODUCT_LINK = "remove_product_link", "Remove product link"
    SCHEDULE_LIVE = "schedule_live", "Schedule live session"
    CANCEL_LIVE = "cancel_live", "Cancel live session"
    # Data exports, announcements and emails (RULEBOOK §5, §6).
    REQUEST_EXPORT = "request_export", "Request data export"
    EXPORT_READY = "export_ready", "Export ready"
    EXPORT_FAILED = "export_failed", "Export failed"
    RETRY_EXPORT = "retry_export", "Retry data export"
    RESEND_EXPORT = "resend_export", "Send data export again"
    DOWNLOAD_EXPORT = "download_export", "Download data export"
    EXPIRE_EXPORT = "expire_export", "Export expired"
    NOTIFY_CUSTOMERS = "notify_customers", "Notify customers"
    SEND_EMAIL = "send_email", "Send email"
    RESET_DEMO = "reset_demo", "Reset demo sandbox"
    CREATE_SANDBOX = "create_sandbox", "Create sandbox"
    RENAME_SANDBOX = "rename_sandbox", "Rename sandbox"
    DELETE_SANDBOX = "delete_sandbox", "Delete sandbox"
    # Support desk actions (the admin's case page).
    RESEND_CONFIRMATION = "resend_confirmation", "Resend the confirmation email"
    RUN_DUE_WORK = "run_due_work", "Run what is due now"


register(Action)
