"""The shape of an edition: its rules (each a number in words, with its source), its account types
and their features. An edition module declares one `Edition`; `editions.registry` checks every
declaration against this shape when the app starts."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from typing import Any

from lifecycle.wording import count


class Source(StrEnum):
    """Where a rule comes from (the rulebook's marks)."""

    ARTICLE = "source"
    PLATFORM = "platform"
    SIM = "sim"

    @property
    def words(self) -> str:
        return SOURCE_WORDS[self]


SOURCE_WORDS = {
    Source.ARTICLE: "the source article",
    Source.PLATFORM: "a published platform rule",
    Source.SIM: "a simulator choice where the published rules are silent",
}


Number = timedelta | int | tuple[timedelta, ...]


@dataclass(frozen=True)
class RuleKind:
    """What a rule's number is: its Python type and how the pages word it."""

    name: str
    kind: type  # timedelta, int, or tuple (of timedeltas)
    unit: str  # "hour", "day" or a counted noun ("unlink", "time")


# Every rule number an edition declares, with its kind. A rule read by the code and missing here
# stops the start-up (the registry's check); an edition missing one stops it too.
RULE_KINDS: dict[str, RuleKind] = {
    k.name: k
    for k in (
        RuleKind("UNLINK_COOLDOWN", timedelta, "hour"),
        RuleKind("UNLINK_LIMIT", int, "unlink"),
        RuleKind("UNLINK_WINDOW", timedelta, "day"),
        RuleKind("EXPORT_FRESH_FOR", timedelta, "day"),
        RuleKind("DELETION_LINK_VALID_FOR", timedelta, "hour"),
        RuleKind("DELETION_GRACE", timedelta, "day"),
        RuleKind("DELETION_REMINDERS", tuple, "day"),
        RuleKind("EXPORT_COOLDOWN", timedelta, "hour"),
        RuleKind("EXPORT_LINK_VALID_FOR", timedelta, "day"),
        RuleKind("NOTIFY_CUSTOMERS_WINDOW", timedelta, "day"),
    )
}


@dataclass(frozen=True)
class Rule:
    """One rule: its number, the rule in words (`{n}` where the number goes) and its source."""

    value: Number
    says: str
    source: Source
    section: str = ""  # the rulebook's section ("§3")


@dataclass(frozen=True)
class AccountTypeRule:
    """An account type of the edition: its label, the features it unlocks, whether it needs a
    category."""

    label: str
    features: frozenset[str]
    needs_category: bool = False
    source: Source = Source.ARTICLE


@dataclass(frozen=True)
class Edition:
    key: str  # stored on each sandbox: never change it once sandboxes use it
    name: str
    summary: str
    rules: Mapping[str, Rule]
    account_types: Mapping[str, AccountTypeRule]
    sources: tuple[str, ...] = field(default=())  # where the edition's published rules are read

    def number(self, name: str) -> Any:
        """A rule's number (a timedelta, an int or a tuple of timedeltas: `RULE_KINDS`)."""
        return self.rules[name].value

    def words(self, name: str) -> str:
        """A rule's number as the pages state it: "24 hours", "3 unlinks", "7 days and 1 day"."""
        return number_in_words(name, self.rules[name].value)

    def sentence(self, name: str) -> str:
        """The rule in words with its number filled in."""
        return self.rules[name].says.replace("{n}", self.words(name))


def number_in_words(name: str, value: Number) -> str:
    unit = RULE_KINDS[name].unit
    if isinstance(value, tuple):
        return " and ".join(number_in_words(name, part) for part in value) or "none"
    if isinstance(value, timedelta):
        if unit == "hour":
            return count(int(value.total_seconds() // 3600), "hour")
        return count(value.days, "day")
    return count(value, unit)
