"""The vocabulary objectives are written in: predicates over the timeline and the final state.

Every predicate is pure: `check(events, state)` reads only the facts it is given (training.facts)
and answers a Verdict (met or not, the events that show it, one sentence of what happened).
docs/scenarios.md documents each kind; a scenario file may use nothing else.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Annotated, Literal, Union

from pydantic import Field, PositiveFloat, model_validator

from accounts.models import AccountStatus, ConnectedApp
from accounts.types import AccountType, Category
from lifecycle.actions import label_of
from lifecycle.transitions import Action
from lifecycle.wording import count
from shops.models import CampaignStatus, ListingStatus, OrderStatus
from training.facts import Fact, FinalState

from .fields import (
    ActionName,
    AppName,
    CampaignStatusName,
    CategoryName,
    CodeName,
    ListingName,
    OrderStatusName,
    StatusName,
    Strict,
    TypeName,
)
from .steps import span


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


class OnState(Strict):
    """A predicate over the final state only: it reads no event."""

    def matchers(self) -> list[Match]:
        return []


def _none(what: str) -> Verdict:
    return Verdict(False, (), f"The timeline has no “{what}”.")


class Happened(Strict):
    """At least one matching event."""

    kind: Literal["happened"]
    event: Match

    def matchers(self) -> list[Match]:
        return [self.event]

    def check(self, facts: Facts) -> Verdict:
        found = self.event.find(facts.events)
        if not found:
            return _none(self.event.describe())
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
            return _none(self.then.describe())
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
        return self.hours

    def matchers(self) -> list[Match]:
        return [self.first, self.then]

    def check(self, facts: Facts) -> Verdict:
        events = list(facts.events)
        firsts = [(i, e) for i, e in enumerate(events) if self.first.matches(e)]
        thens = [(i, e) for i, e in enumerate(events) if self.then.matches(e)]
        if not firsts:
            return _none(self.first.describe())
        if not thens:
            return _none(self.then.describe())
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


class ShopLinked(OnState):
    """At the end, the shop is (or is not) linked to the account."""

    kind: Literal["shop_linked"]
    shop: str
    linked: bool = True

    def check(self, facts: Facts) -> Verdict:
        now = facts.state.shops.get(self.shop, False)
        word = "linked" if now else "unlinked"
        return Verdict(now == self.linked, (), f"{self.shop} {facts.ended} {word}.")


class AccountStatusIs(OnState):
    """At the end, the account's status is one of `status`."""

    kind: Literal["account_status"]
    status: list[StatusName] = Field(min_length=1)

    def check(self, facts: Facts) -> Verdict:
        now = facts.state.account_status
        said = status_words(now, AccountStatus.choices)
        return Verdict(now in self.status, (), f"The account {facts.ended} {said}.")


class AccountTypeIs(OnState):
    """At the end, the account has this type (and this category, when given)."""

    kind: Literal["account_type"]
    type: TypeName
    category: CategoryName | None = None

    def check(self, facts: Facts) -> Verdict:
        state = facts.state
        met = state.account_type == self.type and self.category in (None, state.category)
        shown = status_words(state.account_type, AccountType.choices)
        if state.category:
            shown += f" ({status_words(state.category, Category.choices)})"
        return Verdict(met, (), f"The account {facts.ended} {shown}.")


class AppConnected(OnState):
    """At the end, the app has (or has not) access."""

    kind: Literal["app_connected"]
    app: AppName
    connected: bool = True

    def check(self, facts: Facts) -> Verdict:
        now = facts.state.apps.get(self.app, False)
        word = "has access" if now else "has no access"
        name = dict(ConnectedApp.choices).get(self.app, self.app)
        return Verdict(now == self.connected, (), f"{name} {word}.")


class Listings(OnState):
    """At the end, the listing `sku` (every listing when no sku is given) has one of `status`."""

    kind: Literal["listings"]
    status: list[ListingName] = Field(min_length=1)
    sku: str | None = None

    def check(self, facts: Facts) -> Verdict:
        listings = facts.state.listings
        chosen = {self.sku: listings.get(self.sku, "")} if self.sku else dict(listings)
        wrong = sorted(sku for sku, status in chosen.items() if status not in self.status)
        words = [status_words(s, ListingStatus.choices) for s in self.status]
        if not chosen:
            return Verdict(False, (), "No such listing.")
        if wrong:
            shown = ", ".join(
                f"{sku} is {status_words(chosen[sku], ListingStatus.choices)}" for sku in wrong
            )
            return Verdict(False, (), f"Not {' or '.join(words)}: {shown}.")
        return Verdict(True, (), f"{count(len(chosen), 'listing')} {' or '.join(words)}.")


class Orders(OnState):
    """At the end, at most `at_most` orders have `status`."""

    kind: Literal["orders"]
    status: OrderStatusName
    at_most: int = Field(default=0, ge=0)

    def check(self, facts: Facts) -> Verdict:
        found = facts.state.orders.get(self.status, 0)
        said = status_words(self.status, OrderStatus.choices)
        return Verdict(found <= self.at_most, (), f"{count(found, 'order')} {said}.")


class Campaigns(OnState):
    """At the end, the campaign called `name` has one of `status`."""

    kind: Literal["campaign"]
    name: str
    status: list[CampaignStatusName] = Field(min_length=1)

    def check(self, facts: Facts) -> Verdict:
        now = facts.state.campaigns.get(self.name)
        if now is None:
            return Verdict(False, (), f"No campaign called {self.name}.")
        said = status_words(now, CampaignStatus.choices)
        return Verdict(now in self.status, (), f"{self.name} {facts.ended} {said}.")


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
            return _none("deletion request")
        last = requests[-1]
        recorded = bool((last.params.get("checklist") or {}).get(self.item))
        word = "done" if recorded else "not done"
        item = {"data_exported": "the data export", "customers_notified": "notifying customers"}
        note = f"At the request, {item[self.item]} was {word}."
        return Verdict(recorded == self.value, (last.id,), note)


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
    model.model_fields["kind"].annotation.__args__[0]: model
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
