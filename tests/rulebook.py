"""The rules' numbers as the pages and refusals word them, read from the default edition (the one
the tests' sandboxes are played under unless a test picks another).

A test that checks a sentence naming a rule ("24 hours after it was linked") builds the number
from here, so a change of the rule fails only the tests about behaviour, not every sentence.
`changed_rules(...)` plays a test under other numbers: the default edition with those changed.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

import pytest

from editions import registry
from editions.base import Edition
from lifecycle.wording import count


def rule(name: str) -> Any:
    """A rule's number in the default edition."""
    return registry.default().number(name)


def hours_of(name: str) -> str:
    """A duration rule in whole hours: "24 hours"."""
    return count(int(rule(name).total_seconds() // 3600), "hour")


def days_of(name: str) -> str:
    """A duration rule in whole days: "180 days"."""
    return count(rule(name).days, "day")


def each_in_days(name: str) -> list[str]:
    """A rule of several durations, each in whole days: ["7 days", "1 day"]."""
    return [count(d.days, "day") for d in rule(name)]


def times_of(name: str) -> str:
    """A count rule as a number of times: "3 times"."""
    return count(rule(name), "time")


def _changed(key: str, numbers: dict[str, Any]) -> Edition:
    before = registry.get(key)
    rules = {**before.rules}
    for name, value in numbers.items():
        rules[name] = replace(rules[name], value=value)
    return replace(before, rules=rules)


@contextmanager
def changed_rules(edition: str = "", **numbers: Any) -> Iterator[None]:
    """The edition (the default one unless named) with these numbers instead of its own, until
    the block ends: `with changed_rules(UNLINK_LIMIT=1): ...`."""
    key = edition or registry.default_key()
    every = registry.editions()
    before = every[key]
    every[key] = _changed(key, numbers)
    try:
        yield
    finally:
        every[key] = before


def change_rules(monkeypatch: pytest.MonkeyPatch, edition: str = "", **numbers: Any) -> None:
    """The same for the rest of the test: `change_rules(monkeypatch, DELETION_GRACE=...)`."""
    key = edition or registry.default_key()
    monkeypatch.setitem(registry.editions(), key, _changed(key, numbers))
