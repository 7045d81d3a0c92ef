"""The objectives checklist beside every page of a sandbox that is being played as a scenario.

It is graded afresh on every page, so it ticks after each action the trainee takes.
"""

from django.http import HttpRequest

from lifecycle.web import wants_partial

from . import play
from .models import Attempt
from .scenarios import get


def objectives(request: HttpRequest) -> dict:
    if wants_partial(request) or not request.user.is_authenticated:
        return {}
    match = request.resolver_match
    sandbox_id = match.kwargs.get("sandbox_id") if match else None
    if sandbox_id is None:
        return {}
    attempt = (
        Attempt.objects.filter(sandbox_id=sandbox_id, trainee=request.user, finished_at=None)
        .select_related("sandbox")
        .first()
    )
    if attempt is None:
        return {}
    scenario = get(attempt.scenario_slug)
    return {
        "scenario_attempt": attempt,
        "scenario_title": scenario.title,
        "scenario_pass_mark": scenario.pass_mark,
        "scenario_grade": play.current_grade(attempt),
    }
