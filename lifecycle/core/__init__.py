"""The engine every state change runs through: who acts, row locks, `apply`, refusals, events.

`lifecycle.services` and `shops.services` build on it; it imports neither, so the shop's
services can use it without a cycle through `lifecycle.services`.
"""

from .actors import Actor, check_override, check_person, refuse
from .engine import (
    THE_EVENT,
    CascadeRefused,
    Caused,
    Change,
    FollowUp,
    apply,
    applying,
    lifecycle_service,
)
from .events import record, subject_of
from .locks import account_rows, lock_account, lock_owned, lock_sandbox, lock_sandbox_of
from .offers import Offer, offer

__all__ = [
    "THE_EVENT",
    "Actor",
    "CascadeRefused",
    "Caused",
    "Change",
    "FollowUp",
    "Offer",
    "account_rows",
    "applying",
    "apply",
    "check_override",
    "check_person",
    "lifecycle_service",
    "lock_account",
    "lock_owned",
    "lock_sandbox",
    "lock_sandbox_of",
    "offer",
    "record",
    "refuse",
    "subject_of",
]
