"""How the Seller Center writes times and durations: one format, everywhere.

Every domain time is sandbox time (RULEBOOK §7), written the way the clock in the top bar writes
it. Pages, refusal sentences, emails and the admin all go through `when`, so one screen never
shows a date in two formats; `relative` and `duration` say the same in words ("in 6 days"),
never as Python's `timedelta` text ("6 days, 0:00:00").
"""

from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import ngettext

SANDBOX_DATETIME = "D j M Y, H:i"  # Tue 1 Dec 2026, 07:15
SANDBOX_DAY = "D j M Y"
MACHINE_DATETIME = "Y-m-d\\TH:i:sO"  # for <time datetime="…">

_UNITS = (
    (86400, "%(n)d day", "%(n)d days"),
    (3600, "%(n)d hour", "%(n)d hours"),
    (60, "%(n)d minute", "%(n)d minutes"),
    (1, "%(n)d second", "%(n)d seconds"),
)


def when(moment: datetime) -> str:
    """A sandbox time as the clock writes it."""
    return date_format(timezone.localtime(moment), SANDBOX_DATETIME)


def machine_time(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), MACHINE_DATETIME)


def duration(span: timedelta, *, parts: int = 2) -> str:
    """A length of time in words, its largest `parts` units: "7 days", "1 day 6 hours"."""
    seconds = abs(int(span.total_seconds()))
    words = []
    for size, one, many in _UNITS:
        count, seconds = divmod(seconds, size)
        if count:
            words.append(ngettext(one, many, count) % {"n": count})
        if len(words) == parts:
            break
    return " ".join(words) or ngettext("%(n)d second", "%(n)d seconds", 0) % {"n": 0}


def relative(moment: datetime, now: datetime) -> str:
    """How far `moment` is from `now` in words: "in 6 days", "3 hours ago", "now".

    Rounded to the unit it ends on, so a deadline 29 days 23:59 away reads "in 30 days".
    """
    span = moment - now
    seconds = abs(span.total_seconds())
    if seconds < 30:
        return "now"
    # Under two days the hours matter ("in 1 day 6 hours"); beyond, whole days read better.
    unit = 60 if seconds < 3600 else 3600 if seconds < 2 * 86400 else 86400
    words = duration(timedelta(seconds=max(round(seconds / unit), 1) * unit))
    return f"in {words}" if span > timedelta(0) else f"{words} ago"


def day(value: date) -> str:
    """A calendar day in the clock's shape, without the time."""
    return date_format(value, SANDBOX_DAY)
