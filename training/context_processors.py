"""The objectives checklist beside every page of a sandbox that is being played as a scenario.

It is graded afresh on every page, so it ticks after each action the trainee takes.
"""

from django.db.models import Exists, OuterRef, Subquery
from django.http import HttpRequest

from accounts.models import User
from lifecycle.web import wants_partial

from . import panel
from .cohorts.models import TourState
from .cohorts.roles import shows_trainer_pages
from .models import Attempt


def objectives(request: HttpRequest) -> dict:
    if wants_partial(request) or not request.user.is_authenticated:
        return {}
    match = request.resolver_match
    sandbox_id = match.kwargs.get("sandbox_id") if match else None
    if sandbox_id is None:
        return {}
    # The open attempt and whether the tour was closed, in one query (every page asks both);
    # the tour's tag reads the answer kept on the request instead of asking again.
    seen, attempt_id = (
        User.objects.filter(pk=request.user.pk)
        .annotate(
            tour_seen=Exists(TourState.objects.filter(person=OuterRef("pk"))),
            attempt_id=Subquery(
                Attempt.objects.filter(sandbox_id=sandbox_id, trainee=OuterRef("pk"))
                .filter(finished_at=None)
                .values("pk")[:1]
            ),
        )
        .values_list("tour_seen", "attempt_id")
        .get()
    )
    setattr(request, "tour_pending", not seen)  # noqa: B010  # the tour's tag reads it back
    if attempt_id is None:
        return {}
    attempt = Attempt.objects.select_related("sandbox").get(pk=attempt_id)
    return panel.context(attempt)


def trainer_nav(request: HttpRequest) -> dict:
    """`trainer_nav`: whether the top bar leads to the trainer's pages (no query: the session)."""
    return {"trainer_nav": shows_trainer_pages(request)}
