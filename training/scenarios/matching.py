"""What predicates read and answer: the facts of an attempt, which of its events count (`Match`),
the verdict, and the words a verdict is told in (never a code, never a raw status)."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from lifecycle.actions import label_of
from training.facts import Fact, FinalState

from .fields import ActionName, CodeName, Strict


@dataclass(frozen=True)
class Verdict:
    met: bool
    evidence: tuple[int, ...] = ()  # ids of the events that show it, in order
    note: str = ""
    # Whether nothing the trainee does later can change it: an event is on the record for good
    # (met), or a move that must not be made was made (missed for good). The final state can
    # always change, so a verdict on it is never settled.
    settled: bool = False
    # Not met yet, but the trainee's part is done: what still has to follow ("you ask for the
    # deletion"). The panel shows it as "done, counts when ...".
    halfway: str = ""


@dataclass(frozen=True)
class Facts:
    events: Sequence[Fact]
    state: FinalState
    extra: dict = field(default_factory=dict)
    final: bool = True  # the attempt is over: its state "ended" so, rather than "is" so now

    @property
    def ended(self) -> str:
        return "ended" if self.final else "is"


class Match(Strict):
    """Which timeline events count: every field given must agree."""

    action: ActionName
    outcome: Literal["done", "refused"] | None = None  # default: refused when `code` is given
    code: CodeName | None = None
    subject: str | None = None  # the event's subject label: a shop's name, an app's label
    actor: Literal["trainee", "staff", "job", "person"] | None = None  # person: trainee or staff
    before: str | None = None
    after: str | None = None

    @property
    def wanted_outcome(self) -> str:
        return self.outcome or ("refused" if self.code else "done")

    def matches(self, event: Fact) -> bool:
        if event.action != self.action or event.outcome != self.wanted_outcome:
            return False
        if self.code is not None and event.code != self.code:
            return False
        if self.subject is not None and event.subject_label != self.subject:
            return False
        if self.actor == "person":
            if event.actor_kind not in ("trainee", "staff"):
                return False
        elif self.actor is not None and event.actor_kind != self.actor:
            return False
        if self.before is not None and event.before != self.before:
            return False
        return self.after is None or event.after == self.after

    def find(self, events: Sequence[Fact]) -> list[Fact]:
        return [e for e in events if self.matches(e)]

    def describe(self) -> str:
        parts = [label_of(self.action)]
        if self.subject:
            parts.append(f"of {self.subject}")
        if self.wanted_outcome == "refused":
            parts.append(f"refused {refusal_words(self.code)}" if self.code else "refused")
        if self.actor:
            parts.append(f"by {ACTOR_WORDS[self.actor]}")
        return " ".join(parts)


# A refusal's code in words, for the feedback: never the code itself.
CODE_WORDS = {
    "orders_awaiting_shipment": "while orders await shipment",
    "campaigns_active": "while a campaign runs",
    "unlink_too_soon": "in the cool-down after linking",
    "unlink_limit_reached": "at the unlink limit",
    "token_used": "with a link used already",  # nosec B105  # words, not a secret
    "token_invalid": "with a link that is not valid",  # nosec B105  # words, not a secret
    "feature_not_in_type": "because the account type does not allow it",
    "token_expired": "with an expired link",  # nosec B105  # words, not a secret
}
ACTOR_WORDS = {
    "trainee": "you",
    "staff": "support staff",
    "job": "the platform",
    "person": "a person",
}


def refusal_words(code: str) -> str:
    return CODE_WORDS.get(code, f"({code.replace('_', ' ')})")


def status_words(value: str, choices) -> str:
    """A status in the pages' words ("Sold out"), lower-cased inside a sentence."""
    return dict(choices).get(value, value.replace("_", " ")).lower()


def none_found(what: str) -> Verdict:
    return Verdict(False, (), f"The timeline has no “{what}”.")
