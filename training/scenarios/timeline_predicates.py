"""Predicates over the timeline: what happened, what never did, and in which order or time."""

from typing import Literal

from pydantic import Field, PositiveFloat, model_validator

from lifecycle.actions import label_of
from lifecycle.transitions import Action
from training.facts import Fact

from .fields import ActionName, Strict
from .matching import Facts, Match, Verdict, none_found
from .steps import span


class Happened(Strict):
    """At least one matching event."""

    kind: Literal["happened"]
    event: Match

    def matchers(self) -> list[Match]:
        return [self.event]

    def check(self, facts: Facts) -> Verdict:
        found = self.event.find(facts.events)
        if not found:
            return none_found(self.event.describe())
        return Verdict(True, tuple(e.id for e in found), f"{found[0].describe()}.", settled=True)


class Never(Strict):
    """No matching event: a move that must not be made, or a refusal that must not happen."""

    kind: Literal["never"]
    event: Match

    def matchers(self) -> list[Match]:
        return [self.event]

    def check(self, facts: Facts) -> Verdict:
        found = self.event.find(facts.events)
        if found:
            return Verdict(False, tuple(e.id for e in found), f"{found[0].describe()}.", True)
        return Verdict(True, (), f"The timeline has no “{self.event.describe()}”.")


class Only(Strict):
    """Every change made by `actor` is one of `actions` ("change nothing else"): any other action
    of theirs that was done misses it, whichever it is, including actions added later. A refused
    attempt changed nothing and does not count."""

    kind: Literal["only"]
    actor: Literal["trainee", "staff", "job", "person"]
    actions: list[ActionName] = Field(min_length=1)

    def matchers(self) -> list[Match]:
        return [
            Match(action=a, actor=self.actor, outcome="done")
            for a in Action.values
            if a not in self.actions
        ]

    def _theirs(self, event: Fact) -> bool:
        if self.actor == "person":
            return event.actor_kind in ("trainee", "staff")
        return event.actor_kind == self.actor

    def check(self, facts: Facts) -> Verdict:
        # Any registered action, not only the lifecycle's (a restore of a checkpoint, say).
        found = [
            e
            for e in facts.events
            if e.outcome == "done" and e.action not in self.actions and self._theirs(e)
        ]
        if found:
            return Verdict(False, tuple(e.id for e in found), f"{found[0].describe()}.", True)
        allowed = ", ".join(label_of(a).lower() for a in self.actions)
        return Verdict(True, (), f"No {self.actor} action other than: {allowed}.")


class Before(Strict):
    """A `first` event, then a `then` event. With then_occurrence = "first" (the default) the
    `first` event must come before the earliest `then` event; with "any", before any of them."""

    kind: Literal["before"]
    first: Match
    then: Match
    then_occurrence: Literal["first", "any"] = "first"
    then_said: str | None = None  # the `then` event as the panel says it ("you ask for ...")

    def matchers(self) -> list[Match]:
        return [self.first, self.then]

    def check(self, facts: Facts) -> Verdict:
        events = list(facts.events)
        thens = [i for i, e in enumerate(events) if self.then.matches(e)]
        firsts = [i for i, e in enumerate(events) if self.first.matches(e)]
        if not thens and firsts:
            said = self.then_said or f"“{self.then.describe()}” follows"
            note = f"{events[firsts[0]].describe()}; the timeline has no “{self.then.describe()}”."
            return Verdict(False, (events[firsts[0]].id,), note, halfway=said)
        if not thens:
            return none_found(self.then.describe())
        if not firsts:
            late = self.then_occurrence == "first"  # the earliest `then` had nothing before it
            note = f"{events[thens[0]].describe()} came before any “{self.first.describe()}”."
            return Verdict(False, (events[thens[0]].id,), note, settled=late)
        candidates = thens[:1] if self.then_occurrence == "first" else thens
        for t in candidates:
            earlier = [f for f in firsts if f < t]
            if earlier:
                return Verdict(
                    True, (events[earlier[0]].id, events[t].id), "In that order.", settled=True
                )
        return Verdict(
            False,
            (events[firsts[0]].id, events[thens[0]].id),
            f"{events[thens[0]].describe()} came before {self.first.describe()}.",
            settled=self.then_occurrence == "first",
        )


class Within(Strict):
    """A `then` event at most `hours` of sandbox time after a `first` event."""

    kind: Literal["within"]
    first: Match
    then: Match
    hours: PositiveFloat | None = None
    rule: Literal["grace", "link_valid", "unlink_cooldown", "export_cooldown"] | None = None

    @model_validator(mode="after")
    def _a_limit(self):
        # A `rule` is turned into its hours when the file is read (training.scenarios.load_file).
        if self.hours is None:
            raise ValueError("expected hours or rule (a rule's duration, e.g. grace)")
        return self

    @property
    def limit_hours(self) -> float:
        assert self.hours is not None  # nosec B101  # `_a_limit` refuses a file without it
        return self.hours

    def matchers(self) -> list[Match]:
        return [self.first, self.then]

    def check(self, facts: Facts) -> Verdict:
        events = list(facts.events)
        firsts = [(i, e) for i, e in enumerate(events) if self.first.matches(e)]
        thens = [(i, e) for i, e in enumerate(events) if self.then.matches(e)]
        if not firsts:
            return none_found(self.first.describe())
        if not thens:
            return none_found(self.then.describe())
        for i, f in firsts:
            for j, t in thens:
                if j > i and (t.at - f.at).total_seconds() <= self.limit_hours * 3600:
                    return Verdict(True, (f.id, t.id), "In time.", settled=True)
        return Verdict(
            False,
            (firsts[0][1].id,),
            f"{self.then.describe()} did not follow within {span(self.limit_hours)} of sandbox "
            "time.",
        )


class Checklist(Strict):
    """The checklist recorded with the last deletion request had `item` done (or not)."""

    kind: Literal["checklist"]
    item: Literal["data_exported", "customers_notified"]
    value: bool = True

    def matchers(self) -> list[Match]:
        return [Match(action="request_deletion")]

    def check(self, facts: Facts) -> Verdict:
        requests = Match(action="request_deletion").find(facts.events)
        if not requests:
            return none_found("deletion request")
        last = requests[-1]
        recorded = bool((last.params.get("checklist") or {}).get(self.item))
        word = "done" if recorded else "not done"
        item = {"data_exported": "the data export", "customers_notified": "notifying customers"}
        note = f"At the request, {item[self.item]} was {word}."
        return Verdict(recorded == self.value, (last.id,), note)
