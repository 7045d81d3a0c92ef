"""What a page offers: whether a declared transition would be refused now, and with what.

The same checks `apply` makes, in the declared order (who acts, the account's status, the
source, the guards), on rows read for the page, minus what the form itself asks: the checks of
its input, and the guards marked `asks` (a confirmation, the acknowledgement, the password).
A page shows a refused offer as a disabled control with the refusal's own sentence beside it,
and the time it changes when the refusal names one. The action still checks everything when it
is sent, and a refusal then is recorded on the timeline as any other.
"""

from dataclasses import dataclass, replace
from datetime import datetime

from lifecycle.transitions import Refusal, Rows, Transition

from .actors import Actor
from .engine import decide


@dataclass(frozen=True)
class Offer:
    transition: Transition
    refusal: Refusal | None = None

    @property
    def enabled(self) -> bool:
        return self.refusal is None

    @property
    def reason(self) -> str:
        """The sentence the action would be refused with now ("" when it would not be)."""
        return self.refusal.sentence if self.refusal else ""

    @property
    def changes_at(self) -> datetime | None:
        """When the refusal stops holding, when it says (a cool-down, a limit)."""
        return self.refusal.next_allowed_at if self.refusal else None

    @property
    def code(self) -> str:
        return str(self.refusal.code) if self.refusal else ""


def _unasked(transition: Transition) -> Transition:
    """The transition without the checks of what its form asks."""
    return replace(
        transition,
        inputs=(),
        done=None,
        guards=tuple(g for g in transition.guards if not getattr(g, "asks", False)),
    )


def offer(transition: Transition, rows: Rows, *, actor: Actor) -> Offer:
    """Would `transition` be refused on `rows` now (before its form is filled in), and why."""
    rows.actor = actor
    refusal, _done = decide(_unasked(transition), rows, actor)
    return Offer(transition, refusal)
