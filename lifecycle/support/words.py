"""Stored values in the words support reads: states by their labels, clock moves as times."""

from django.utils.dateparse import parse_datetime

from accounts.models import AccountStatus
from accounts.types import AccountType
from lifecycle.models import ExportStatus, TimelineEvent
from lifecycle.services.links import when
from shops.transitions.link import LINKED, UNLINKED

# Every stored state value, in words (the timeline's before and after).
STATE_WORDS: dict[str, str] = {
    **dict(AccountStatus.choices),
    **dict(AccountType.choices),
    **{k: f"export {v.lower()}" for k, v in ExportStatus.choices},
    LINKED: "linked",
    UNLINKED: "unlinked",
    "new": "no export yet",
    "sent": "sent",
    "none": "no announcement",
    "queued": "queued",
}


def event_change(event: TimelineEvent) -> str:
    """What an event changed, in words; a clock move as the times it went from and to (its
    stored states are offsets, which mean nothing to a reader)."""
    params = event.params or {}
    if event.subject_type == "sandbox":
        start = parse_datetime(params.get("from", ""))
        end = parse_datetime(params.get("to", ""))
        return f"{when(start)} → {when(end)}" if start and end else ""
    before = STATE_WORDS.get(event.before, event.before)
    after = STATE_WORDS.get(event.after, event.after)
    if not before and not after:
        return ""
    return after if before == after else f"{before or '–'} → {after or '–'}"
