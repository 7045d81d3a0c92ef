"""The support admin: shared pieces (`base`), and one module per noun: the timeline, deletion
requests, exports, the inbox and notes. Importing this package registers them all.

Support staff look things up here and act only through a short whitelist of admin actions, each
calling one lifecycle service with the staff member as actor (RULEBOOK §1). Lifecycle fields are
read-only, saves write only the fields the form changed (never a stale status over a fresh one),
and nothing is deleted through the admin: removal is finalization's job.
"""

from .base import ReadOnlyInline, SupportAdmin, ViewOnlyAdmin, sandbox_time_column
from .deletions import DeletionRequestAdmin, EmailsOwed, FinalizesSoon, finalizing_within
from .exports import RETRY, ExportJobAdmin, Stuck, export_state, stuck_exports
from .inbox import InboxMessageAdmin, SupportNoteAdmin
from .timeline import EVENTS_SHOWN, TimelineEventAdmin, timeline_excerpt

__all__ = [
    "EVENTS_SHOWN",
    "RETRY",
    "DeletionRequestAdmin",
    "EmailsOwed",
    "ExportJobAdmin",
    "FinalizesSoon",
    "InboxMessageAdmin",
    "ReadOnlyInline",
    "Stuck",
    "SupportAdmin",
    "SupportNoteAdmin",
    "TimelineEventAdmin",
    "ViewOnlyAdmin",
    "export_state",
    "finalizing_within",
    "sandbox_time_column",
    "stuck_exports",
    "timeline_excerpt",
]
