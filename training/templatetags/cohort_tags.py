"""Template tags of the cohort pages: whether the first-visit tour starts on its own."""

from django import template

from training.cohorts.progress import duration_text
from training.cohorts.tour import tour_pending

register = template.Library()


@register.simple_tag(takes_context=True)
def tour_starts(context) -> bool:
    request = context.get("request")
    if request is None:
        return False
    known = getattr(request, "tour_pending", None)  # a context processor may have asked already
    return known if known is not None else tour_pending(request.user)


@register.filter
def duration(span) -> str:
    return duration_text(span)
