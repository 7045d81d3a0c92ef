"""Telling customers about the closure (RULEBOOK §5): no announcement, queued, sent.

The announcement's state lives in its timeline events, so its events chain among themselves and
never break the account status's chain.
"""

from lifecycle.actions import Action
from lifecycle.errors import Code

from .base import (
    EVERYONE,
    NOT_DELETED,
    Done,
    Kind,
    Machine,
    Refusal,
    Rows,
    Transition,
    account_in,
)

NONE, QUEUED, SENT = "no announcement", "announcement queued", "announcement sent"

ANNOUNCEMENT = Machine(
    "announcement",
    (NONE, QUEUED, SENT),
    lambda rows: rows.memo["latest"].after if rows.memo.get("latest") is not None else NONE,
    core_writes=False,
    with_account=True,
    kind=Kind(lambda rows: rows.seller, lambda rows: "announcement"),
)

_GATE = account_in(
    NOT_DELETED,
    lambda rows: Refusal(Code.ACCOUNT_DELETED, "This account was deleted; it has no customers."),
)


def _queued_already(rows: Rows) -> Done | None:
    latest = rows.memo.get("latest")
    return Done(latest) if latest is not None and latest.after == QUEUED else None


QUEUE_ANNOUNCEMENT = Transition(
    Action.NOTIFY_CUSTOMERS,
    "announcement",
    (NONE, SENT),
    QUEUED,
    EVERYONE,
    gate=_GATE,
    done=_queued_already,  # a second click while one is queued changes nothing
    event="announcement",
)
# Sending the queued announcement `inputs["announcement"]`; a duplicate delivery sends nothing.
SEND_ANNOUNCEMENT = Transition(
    Action.NOTIFY_CUSTOMERS,
    "announcement",
    (NONE, QUEUED, SENT),
    SENT,
    EVERYONE,
    gate=_GATE,
    done=lambda rows: Done(0) if rows.memo.get("sent_already") else None,
    event="announcement",
    name="send_announcement",
)

MACHINES = (ANNOUNCEMENT,)
TRANSITIONS = (QUEUE_ANNOUNCEMENT, SEND_ANNOUNCEMENT)
