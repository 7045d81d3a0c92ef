"""What grading reads: the attempt's timeline events and the world's final state, as plain values.

Nothing here touches the database, so grading (training.grading) is a pure function of these.
`training.observe` reads them from a sandbox.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Fact:
    """One timeline event (lifecycle.models.TimelineEvent), as grading sees it."""

    id: int
    action: str
    at: datetime  # sandbox time
    outcome: str = "done"
    code: str = ""
    actor_kind: str = "trainee"
    subject_type: str = ""
    subject_label: str = ""
    before: str = ""
    after: str = ""
    params: Mapping[str, Any] = field(default_factory=dict)
    message: str = ""
    label: str = ""  # the action's label, for feedback
    said: str = ""  # the event in the trainee's words ("Move the clock forward 30 days")

    def describe(self) -> str:
        text = self.said or f"{self.label or self.action}: {self.subject_label}".rstrip(": ")
        if self.outcome == "refused":
            return f"{text} — refused: {self.message.rstrip('.')}"
        return text


@dataclass(frozen=True)
class FinalState:
    """The world as the attempt left it."""

    now: datetime
    account_status: str = "active"
    account_type: str = "personal"
    category: str = ""
    shops: Mapping[str, bool] = field(default_factory=dict)  # shop name -> linked to the account
    apps: Mapping[str, bool] = field(default_factory=dict)  # app -> access granted now
    listings: Mapping[str, str] = field(default_factory=dict)  # sku -> listing status
    campaigns: Mapping[str, str] = field(default_factory=dict)  # name -> status
    orders: Mapping[str, int] = field(default_factory=dict)  # status -> how many
