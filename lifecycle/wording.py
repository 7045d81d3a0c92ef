"""How the Seller Center words a count: "1 order", "2 orders", never "1 orders" or "order(s)".

Every count a page, an email or a refusal states goes through `count` (Python) or Django's
`pluralize` (templates), both on `ngettext`, so the singular and the plural are written once each.
Durations and relative times are `lifecycle.datetimes`'s.
"""

from django.utils.translation import ngettext


def count(n: float, one: str, many: str = "") -> str:
    """ "1 order", "2 orders": `n` and the noun (with its words) in the form that number takes.

    `many` defaults to `one` + "s"; irregular plurals name it ("inquiry", "inquiries"). A
    fraction is written short ("1.5 days")."""
    number = f"{n:g}" if isinstance(n, float) else str(n)
    return f"{number} {ngettext(one, many or f'{one}s', n)}"


def noun(n: float, one: str, many: str = "") -> str:
    """The noun alone in the form `n` takes: "column" or "columns"."""
    return ngettext(one, many or f"{one}s", n)


def hours_of(span) -> str:
    """A settings duration in whole hours, as the rules state it: "24 hours", "1 hour"."""
    return count(int(span.total_seconds() // 3600), "hour")


def days_of(span) -> str:
    """A settings duration in whole days: "30 days", "1 day"."""
    return count(span.days, "day")
