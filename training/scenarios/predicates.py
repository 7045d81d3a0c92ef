"""The vocabulary objectives are written in: predicates over the timeline and the final state.

Every predicate is pure: `check(events, state)` reads only the facts it is given (training.facts)
and answers a Verdict (met or not, the events that show it, one sentence of what happened).
docs/scenarios.md documents each kind; a scenario file may use nothing else. The predicates over
the timeline are in `timeline_predicates`, those over the final state in `state_predicates`;
this module joins them with `all` and `any` into `Predicate`, the union a file's objective takes.
"""

from typing import Annotated, Literal, Union, get_args

from pydantic import Field

from .fields import Strict
from .matching import (
    ACTOR_WORDS,
    CODE_WORDS,
    Facts,
    Match,
    Verdict,
    refusal_words,
    status_words,
)
from .state_predicates import (
    AccountStatusIs,
    AccountTypeIs,
    AppConnected,
    Campaigns,
    Listings,
    OnState,
    Orders,
    ShopLinked,
)
from .timeline_predicates import Before, Checklist, Happened, Never, Only, Within

__all__ = [
    "ACTOR_WORDS",
    "CODE_WORDS",
    "KINDS",
    "AccountStatusIs",
    "AccountTypeIs",
    "AllOf",
    "AnyOf",
    "AppConnected",
    "Before",
    "Campaigns",
    "Checklist",
    "Facts",
    "Happened",
    "Listings",
    "Match",
    "Never",
    "OnState",
    "Only",
    "Orders",
    "Predicate",
    "ShopLinked",
    "Verdict",
    "Within",
    "refusal_words",
    "status_words",
]


class AllOf(Strict):
    """Every predicate in `of` holds."""

    kind: Literal["all"]
    of: list["Predicate"] = Field(min_length=1)

    def matchers(self) -> list[Match]:
        return [m for p in self.of for m in p.matchers()]

    def check(self, facts: Facts) -> Verdict:
        verdicts = [p.check(facts) for p in self.of]
        evidence = tuple(i for v in verdicts for i in v.evidence)
        missed = [v.note for v in verdicts if not v.met]
        note = " ".join(missed) if missed else " ".join(v.note for v in verdicts)
        if missed:
            settled = any(v.settled for v in verdicts if not v.met)
        else:
            settled = all(v.settled for v in verdicts)
        return Verdict(not missed, evidence, note, settled)


class AnyOf(Strict):
    """At least one predicate in `of` holds."""

    kind: Literal["any"]
    of: list["Predicate"] = Field(min_length=1)

    def matchers(self) -> list[Match]:
        return [m for p in self.of for m in p.matchers()]

    def check(self, facts: Facts) -> Verdict:
        verdicts = [p.check(facts) for p in self.of]
        for v in verdicts:
            if v.met:
                return v
        settled = all(v.settled for v in verdicts)
        return Verdict(False, (), " ".join(v.note for v in verdicts), settled)


Predicate = Annotated[
    Union[  # noqa: UP007  (a discriminated union of models)
        Happened,
        Never,
        Only,
        Before,
        Within,
        ShopLinked,
        AccountStatusIs,
        AccountTypeIs,
        AppConnected,
        Listings,
        Orders,
        Campaigns,
        Checklist,
        AllOf,
        AnyOf,
    ],
    Field(discriminator="kind"),
]
AllOf.model_rebuild()
AnyOf.model_rebuild()

KINDS = {
    get_args(model.model_fields["kind"].annotation)[0]: model
    for model in (
        Happened,
        Never,
        Only,
        Before,
        Within,
        ShopLinked,
        AccountStatusIs,
        AccountTypeIs,
        AppConnected,
        Listings,
        Orders,
        Campaigns,
        Checklist,
        AllOf,
        AnyOf,
    )
}
