"""The rulebook's numbers as the pages and refusals word them, read from the settings.

A test that checks a sentence naming a rule ("24 hours after it was linked") builds the number
from here, so a change of the rule fails only the tests about behaviour, not every sentence.
"""

from lifecycle.conf import setting
from lifecycle.transitions.base import hours
from lifecycle.wording import count


def hours_of(name: str) -> str:
    """A duration setting in whole hours: "24 hours"."""
    return count(hours(name), "hour")


def days_of(name: str) -> str:
    """A duration setting in whole days: "180 days"."""
    return count(setting(name).days, "day")


def each_in_days(name: str) -> list[str]:
    """A setting of several durations, each in whole days: ["7 days", "1 day"]."""
    return [count(d.days, "day") for d in setting(name)]


def times_of(name: str) -> str:
    """A count setting as a number of times: "3 times"."""
    return count(setting(name), "time")
