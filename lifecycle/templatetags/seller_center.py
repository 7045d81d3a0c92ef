"""Filters every Seller Center page uses to write times and timeline events the same way."""

from datetime import datetime, timedelta

from django import template

from lifecycle import datetimes, narration, rows

register = template.Library()


@register.filter
def when(moment: datetime | None) -> str:
    """A sandbox time as the clock writes it: "Tue 1 Dec 2026, 07:15"."""
    return datetimes.when(moment) if moment else ""


@register.filter
def machine_time(moment: datetime | None) -> str:
    """The value of a <time datetime="…"> attribute."""
    return datetimes.machine_time(moment) if moment else ""


@register.filter
def relative(moment: datetime | None, now: datetime | None) -> str:
    """ "in 6 days" or "3 hours ago", counted from `now` (the sandbox clock)."""
    if not moment or not now:
        return ""
    return datetimes.relative(moment, now)


@register.filter
def duration(span: timedelta | None) -> str:
    return datetimes.duration(span) if span is not None else ""


@register.filter
def tell(event) -> narration.Told:
    """A timeline event's change and side effects, in words."""
    return narration.tell(event)


@register.filter
def day(value) -> str:
    """A calendar day (an analytics day, say) in the clock's own shape: "Tue 1 Dec 2026"."""
    return datetimes.day(value) if value else ""


@register.filter
def number(value) -> str:
    """A count as the pages write it, with thousands separators: "18,549"."""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return value


@register.simple_tag
def row_url(name: str, *args) -> rows.RowUrl:
    """`{% row_url 'ship_order' sandbox.pk as ship %}` before a list, then `{{ ship|for_row:o.pk }}`
    in it: the URL reversed once per page, not once per row and action."""
    return rows.RowUrl.of(name, *args)


@register.filter
def for_row(url: rows.RowUrl, pk: int) -> str:
    return url.for_id(pk)
