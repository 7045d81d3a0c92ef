"""Numbers of the rules in a scenario's text: written as placeholders, filled from the rules in
force, so a rule change changes the brief, the hints and the lessons with it.

`{grace}` in a brief reads "30 days" while the edition's DELETION_GRACE is 30 days. Every text
of a file may use them (brief, titles, lessons, hints, a step's `why`, `counts_when.text`). An
unknown placeholder is refused when the file is read; `typed_numbers` finds a rule's number typed
where its placeholder belongs, which `manage.py scenarios check` refuses.

Times follow the rules too: a step's `hours`, the world's days ago and the time budget may be
written as a sum of durations, `"{grace} + 1h"` or `"{unlink_window} - 20d"` (`SPANS`), so a
scenario whose steps wait for a rule still plays right when the rule's number changes.
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

    def rule_value(self) -> Any:
        """The rule's own value (a duration, or a count): where every use reads it from."""
        return editions.default().number(self.rule)

    def value(self) -> int:
        return self.number(self.rule_value())

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
    return _rule_span(name).total_seconds() / 3600


def _rule_span(name: str) -> timedelta:
    placeholder = PLACEHOLDERS.get(name)
    if placeholder is None or placeholder.unit not in ("day", "hour"):
        durations = ", ".join(f"{{{p.name}}}" for p in PLACEHOLDERS.values() if p.unit != "time")
        raise ValueError(f"{{{name}}} is not a duration: expected one of {durations}")
    span = placeholder.rule_value()
    assert isinstance(span, timedelta)  # nosec B101  # a day or hour placeholder's rule is one
    return span


# The fields that take a time written from the rules, and the unit each is counted in.
SPANS = {
    "hours": timedelta(hours=1),  # a step's clock move
    "time_budget_days": timedelta(days=1),
    "linked_days_ago": timedelta(days=1),
    "unlinked_days_ago": timedelta(days=1),
    "days_ago": timedelta(days=1),
    "age_days": timedelta(days=1),
}
UNITS = {"d": timedelta(days=1), "h": timedelta(hours=1), "min": timedelta(minutes=1)}
TERM = re.compile(
    r"\s*(?:(?P<sign>[+-])\s*)?(?:\{(?P<name>[a-z_]+)\}|(?P<n>\d+(?:\.\d+)?)\s*(?P<unit>d|h|min)\b)\s*"
)


def span_of(expression: str) -> timedelta:
    """`"{grace} + 1h"` as a duration: durations of the rules (`{grace}`) and numbers with a
    unit (`20d`, `1h`, `30min`), added or taken away, left to right."""
    total, at = timedelta(0), 0
    while at < len(expression):
        term = TERM.match(expression, at)
        if term is None or (at and term.group("sign") is None):
            raise ValueError(
                f"{expression!r}: expected durations joined by + or -, each a placeholder "
                "({grace}) or a number with its unit (20d, 1h, 30min)"
            )
        found = term.group("name")
        part = _rule_span(found) if found else float(term.group("n")) * UNITS[term.group("unit")]
        total += -part if term.group("sign") == "-" else part
        at = term.end()
    return total


def _counted(field: str, expression: str) -> float | int:
    """The expression in the field's unit (hours, or days): a whole number when it is one."""
    try:
        n = span_of(expression) / SPANS[field]
    except ValueError as err:
        raise ValueError(f"{field}: {err}") from err
    return int(n) if n == int(n) else n


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
    """The file's data with every placeholder filled, each time written from the rules (`SPANS`)
    counted in its field's unit, and each `within` predicate's `rule` turned into its hours."""
    if isinstance(data, str):
        return fill(data, filled)
    if isinstance(data, dict):
        data = {
            k: _counted(k, v) if k in SPANS and isinstance(v, str) else v for k, v in data.items()
        }
        if data.get("kind") == "within" and isinstance(data.get("rule"), str):
            if "hours" in data:
                raise ValueError("a within predicate takes hours or rule, not both")
            if data["rule"] in PLACEHOLDERS:
                data["hours"] = hours(data["rule"])
        return {k: filled_data(v, filled) for k, v in data.items()}
    if isinstance(data, list):
        return [filled_data(v, filled) for v in data]
    return data
