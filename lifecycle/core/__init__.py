"""The engine every state change runs through: who acts, row locks, refusals and the event.

`lifecycle.services` and `shops.services` build on it; it imports neither, so the shop's
services can use it without a cycle through `lifecycle.services`.
"""

from .apply import (
    Actor,
    check_actor,
    check_person,
    lifecycle_service,
    lock_account,
    lock_sandbox,
    lock_sandbox_of,
    record,
    refuse,
    subject_of,
)

__all__ = [
    "Actor",
    "check_actor",
    "check_person",
    "lifecycle_service",
    "lock_account",
    "lock_sandbox",
    "lock_sandbox_of",
    "record",
    "refuse",
    "subject_of",
]
