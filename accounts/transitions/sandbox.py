"""The sandbox's own moves: its clock (RULEBOOK §7), which only moves forward, and a demo reset.

Their state is the clock's offset, so consecutive clock events chain exactly.
"""

from accounts.models import Sandbox
from lifecycle.actions import Action
from lifecycle.errors import Code
from lifecycle.transitions.base import (
    EVERYONE,
    Kind,
    Machine,
    Refusal,
    Rows,
    Subject,
    Transition,
    when,
)

ANY_TIME = "(any offset)"
LATER = "(a later offset)"

SANDBOX = Machine(
    "sandbox",
    (ANY_TIME,),
    lambda rows: str(rows.sandbox.clock_offset),
    core_writes=False,
    open_states=True,
    kind=Kind(lambda rows: rows.sandbox, on_account=False),
    subject=Subject(Sandbox, "sandbox", lambda sandbox: f"Sandbox {sandbox.name}"),
)


def from_this_reading(rows: Rows) -> Refusal | None:
    """A move names the clock reading it was made from (RULEBOOK §7): one made from a reading
    the clock has left was made already (a double click, a second tab), so it counts once."""
    reading = rows.inputs.get("reading")
    if reading is None or reading == rows.sandbox.clock_offset:
        return None
    return Refusal(
        Code.CLOCK_MOVED_ALREADY,
        f"The clock was moved from that time already: it now reads {when(rows.sandbox.now())}. "
        "Move it again from there if you want it later still.",
    )


def something_scheduled(rows: Rows) -> Refusal | None:
    if not rows.inputs.get("to_next") or rows.inputs.get("by") is not None:
        return None
    return Refusal(Code.NOTHING_SCHEDULED, "Nothing is scheduled in this sandbox.")


def forward(rows: Rows) -> Refusal | None:
    by = rows.inputs.get("by")
    if by is not None and by.total_seconds() > 0:
        return None
    return Refusal(Code.CLOCK_BACKWARDS, "The clock only moves forward: pick a later time.")


def a_demo(rows: Rows) -> Refusal | None:
    if rows.sandbox.is_demo:
        return None
    return Refusal(
        Code.INVALID_STATE,
        f"{rows.sandbox.name} is not a demo sandbox: only demo sandboxes can be reset.",
    )


ADVANCE_CLOCK = Transition(
    Action.ADVANCE_CLOCK,
    "sandbox",
    (ANY_TIME,),
    LATER,
    EVERYONE,
    guards=(from_this_reading, something_scheduled, forward),
    event="sandbox",
)
RESET_DEMO = Transition(
    Action.RESET_DEMO, "sandbox", (ANY_TIME,), ANY_TIME, EVERYONE, guards=(a_demo,), event="sandbox"
)

MACHINES = (SANDBOX,)
TRANSITIONS = (ADVANCE_CLOCK, RESET_DEMO)
