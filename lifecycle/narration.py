"""A timeline event told in words: its change and the side effects it records (RULEBOOK §8).

The timeline stores states and parameters as codes ("deletion_requested", a clock offset, a list
of campaign ids) so that tests and support tools can match them exactly. Trainees read them here,
in words: "Active → Deletion requested", "clock moved 7 days", "sent: Confirm the deletion …".
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.template.defaultfilters import filesizeformat
from django.utils.translation import ngettext

from accounts.models import AccountStatus, ConnectedApp
from accounts.types import AccountType, Feature
from lifecycle.actions import label_of
from lifecycle.datetimes import duration
from lifecycle.models import ExportStatus, Outcome, TimelineEvent
from lifecycle.money import format_money
from lifecycle.transitions import Action
from lifecycle.wording import count
from shops.models import CampaignStatus, ListingStatus, OrderStatus

# Every state code any machine writes, with its words. Codes shared by two machines ("active")
# mean the same word in both.
STATE_WORDS: dict[str, str] = {
    **dict(AccountStatus.choices),
    **dict(AccountType.choices),
    **dict(ListingStatus.choices),
    **dict(OrderStatus.choices),
    **dict(CampaignStatus.choices),
    **dict(ExportStatus.choices),
    "new": "Not requested",
    "none": "None",
    "linked": "Linked",
    "unlinked": "Unlinked",
    "connected": "Connected",
    "disconnected": "Disconnected",
    "open": "Open",
    "answered": "Answered",
    "sent": "Sent",
    "hidden": "Hidden",
    "shown": "Shown",
    "scheduled": "Scheduled",
    "cancelled": "Cancelled",
    "picked": "Picked",
}

EMAIL_KINDS = {
    "deletion_confirmation": "the deletion confirmation link",
    "deletion_reminder": "a deletion reminder",
    "deletion_lapsed": "the deletion lapse notice",
    "export_ready": "the export download link",
    "export_failed": "the export failure notice",
}

VISIBILITY_WORDS = (
    ("hidden_product_links", "%(n)d product link hidden", "%(n)d product links hidden"),
    ("shown_product_links", "%(n)d product link shown again", "%(n)d product links shown again"),
    ("hidden_live_sessions", "%(n)d live session hidden", "%(n)d live sessions hidden"),
    ("shown_live_sessions", "%(n)d live session shown again", "%(n)d live sessions shown again"),
)

REASONS = {"account deleted": "ended because the account was deleted"}

# What finalization removed, by the key its event records: (one, many).
REMOVED_WORDS = {
    "orders": ("order", "orders"),
    "inquiries": ("inquiry", "inquiries"),
    "customers": ("customer", "customers"),
    "campaigns": ("campaign", "campaigns"),
    "products": ("product", "products"),
    "videos": ("video", "videos"),
    "live_sessions": ("live session", "live sessions"),
    "exports": ("export", "exports"),
    "inbox": ("inbox message", "inbox messages"),
    "app_authorizations": ("app authorization", "app authorizations"),
}


@dataclass
class Told:
    change: str = ""
    effects: list[str] = field(default_factory=list)


def state_words(code: str) -> str:
    if code in STATE_WORDS:
        return STATE_WORDS[code]
    return code.replace("_", " ").capitalize() if code else "None"


def tell(event: TimelineEvent) -> Told:
    """The change column and the side-effect lines of one event."""
    params = event.params or {}
    told = Told(change=_change(event, params))
    if event.outcome == Outcome.DONE:
        told.effects = _effects(event, params)
    return told


def _change(event: TimelineEvent, params: dict) -> str:
    if event.outcome == Outcome.REFUSED:
        return ""  # nothing changed; the outcome column says why
    if event.action == Action.ADVANCE_CLOCK:
        moved = params.get("by_seconds")
        return f"clock moved {duration(timedelta(seconds=moved))}" if moved else "clock moved"
    if event.action == Action.SEND_EMAIL:
        subject = params.get("subject") or EMAIL_KINDS.get(params.get("kind", ""), "an email")
        return f"sent: {subject}"
    if event.action == Action.RESET_DEMO:
        return "demo sandbox rebuilt"
    if "after_words" in params:  # the service wrote the change in words itself
        return f"{params.get('before_words') or 'None'} → {params['after_words']}"
    if event.before == event.after:
        return ""
    if not event.before:
        return state_words(event.after)
    return f"{state_words(event.before)} → {state_words(event.after)}"


def _count(n: int, one: str, many: str) -> str:
    return ngettext(one, many, n) % {"n": n}


def _effects(event: TimelineEvent, params: dict) -> list[str]:
    lines = []
    paused = params.get("paused_campaigns") or []
    if paused:
        lines.append(
            _count(len(paused), "%(n)d active campaign paused", "%(n)d active campaigns paused")
        )
    for key, one, many in VISIBILITY_WORDS:
        if params.get(key):
            lines.append(_count(params[key], one, many))
    for key, verb in (("gained", "gained"), ("lost", "lost")):
        if params.get(key):
            lines.append(f"{verb}: {', '.join(_feature_words(f) for f in params[key])}")
    removed = params.get("removed") or {}
    parts = [
        count(n, *REMOVED_WORDS.get(k, (k.replace("_", " "),) * 2)) for k, n in removed.items() if n
    ]
    if parts:
        lines.append("removed for good: " + ", ".join(parts))
    if "recipients" in params:
        lines.append(_count(params["recipients"], "to %(n)d customer", "to %(n)d customers"))
    if params.get("tracking_number"):
        lines.append(f"tracking number {params['tracking_number']}")
    for name, (before, after) in (params.get("changes") or {}).items():  # a product's edit
        if name == "price":
            before, after = format_money(before), format_money(after)
        lines.append(f"{name} {before} → {after}")
    if params.get("budget"):
        lines.append(f"budget {format_money(params['budget'])}")
    if params.get("size_bytes"):
        lines.append(f"ZIP of {filesizeformat(params['size_bytes'])}")
    # A job's own reason has its own line; a support agent's reason is internal (RULEBOOK §11).
    if params.get("reason") in REASONS:
        lines.append(REASONS[params["reason"]])
    if params.get("app") and event.action != Action.SEND_EMAIL:
        app = params["app"]
        lines.append(dict(ConnectedApp.choices).get(app, app))
    if params.get("starts_at_words"):
        lines.append(f"starts {params['starts_at_words']}")
    # A cascade's cause is {"action", "event"}; an export sent again names its cause in words.
    cause = params.get("cause")
    if isinstance(cause, dict) and cause.get("action"):  # a move another action caused
        lines.append(f"caused by: {label_of(cause['action']).lower()}")
    return lines


def _feature_words(value: str) -> str:
    """Older events stored feature labels, newer ones may store codes: both read as words."""
    return Feature(value).label if value in Feature.values else value
