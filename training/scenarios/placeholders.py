"""Numbers of the rules in a scenario's text: written as placeholders, filled from the rules in
force, so a rule change changes the brief, the hints and the lessons with it.

`{grace}` in a brief reads "30 days" while the edition's DELETION_GRACE is 30 days. Every text
of a file may use them (brief, titles, lessons, hints, a step's `why`, `counts_when.text`). An
unknown placeholder is refused when the file is read; `typed_numbers` finds a rule's number typed
where its placeholder belongs, which `manage.py scenarios check` refuses.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from editions import registry as editions
from lifecycle.wording import count


def _days(span: timedelta) -> int:
    return span.days


def _hours(span: timedelta) -> int:
    return int(span.total_seconds() // 3600)


@dataclass(frozen=True)
class Placeholder:
    name: str
    rule: str  # the rule of the edition (editions.base.RULE_KINDS)
    number: Callable[[Any], int]
    unit: str  # "day", "hour", "time", or "" for a bare number

    def value(self) -> int:
        return self.number(editions.default().number(self.rule))

    def text(self) -> str:
        n = self.value()
        return count(n, self.unit) if self.unit else str(n)

    def typed(self) -> re.Pattern:
        """The rule's number as a writer would type it: "30 days", "30-day", "3 times"."""
        n = self.value()
        if self.unit in ("day", "hour"):
            return re.compile(rf"\b{n}[- ]{self.unit}s?\b")
        if self.unit == "time":
            return re.compile(rf"\b({n} times|(limit|most) of {n})\b")
        return re.compile(rf"\b(limit|most|at most|only) (of )?{n}\b")


PLACEHOLDERS = {
    p.name: p
    for p in (
        Placeholder("grace", "DELETION_GRACE", _days, "day"),
        Placeholder("link_valid", "DELETION_LINK_VALID_FOR", _hours, "hour"),
        Placeholder("unlink_cooldown", "UNLINK_COOLDOWN", _hours, "hour"),
        Placeholder("unlink_limit", "UNLINK_LIMIT", lambda n: n, "time"),
        Placeholder("unlink_window", "UNLINK_WINDOW", _days, "day"),
        Placeholder("export_fresh", "EXPORT_FRESH_FOR", _days, "day"),
        Placeholder("export_cooldown", "EXPORT_COOLDOWN", _hours, "hour"),
        Placeholder("notify_window", "NOTIFY_CUSTOMERS_WINDOW", _days, "day"),
    )
}
# `{grace}` says "30 days"; `{grace.n}` the bare number ("a 30-day grace period").
FIELD = re.compile(r"\{([a-z_]+)(\.n)?\}")


def values() -> dict[str, str]:
    found = {}
    for name, p in PLACEHOLDERS.items():
        found[name] = p.text()
        found[f"{name}.n"] = str(p.value())
    return found


def unknown(text: str) -> list[str]:
    return sorted({m.group(1) for m in FIELD.finditer(text) if m.group(1) not in PLACEHOLDERS})


def fill(text: str, filled: dict[str, str] | None = None) -> str:
    filled = values() if filled is None else filled
    return FIELD.sub(lambda m: filled[m.group(1) + (m.group(2) or "")], text)


def typed_numbers(text: str) -> list[str]:
    """'“30 days” is {grace}': each rule number typed in `text` instead of its placeholder."""
    bare = FIELD.sub("", text)
    found: dict[tuple[int, str], list[str]] = {}
    for p in PLACEHOLDERS.values():
        for m in p.typed().finditer(bare):
            found.setdefault((m.start(), m.group(0)), []).append(f"{{{p.name}}}")
    return [f"“{typed}” is {' or '.join(names)}" for (_, typed), names in sorted(found.items())]


def hours(name: str) -> float:
    """A duration placeholder's length in hours (a `within` predicate's `rule`)."""
    span = editions.default().number(PLACEHOLDERS[name].rule)
    return span.total_seconds() / 3600


def strings(data: Any) -> list[str]:
    """Every string of a file's data, in order."""
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for v in data.values() for s in strings(v)]
    if isinstance(data, list):
        return [s for v in data for s in strings(v)]
    return []


def filled_data(data: Any, filled: dict[str, str]) -> Any:
    """The file's data with every placeholder filled, and each `within` predicate's `rule` turned
    into its hours."""
    if isinstance(data, str):
        return fill(data, filled)
    if isinstance(data, dict):
        data = dict(data)
        if data.get("kind") == "within" and isinstance(data.get("rule"), str):
            if "hours" in data:
                raise ValueError("a within predicate takes hours or rule, not both")
            if data["rule"] in PLACEHOLDERS:
                data["hours"] = hours(data["rule"])
        return {k: filled_data(v, filled) for k, v in data.items()}
    if isinstance(data, list):
        return [filled_data(v, filled) for v in data]
    return data
