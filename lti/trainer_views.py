"""The trainer's pages of a course's cohort: scores sent to its grade book, its roster."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from lifecycle.errors import LifecycleError
from training.cohorts import catalogue
from training.cohorts.web import CohortRequest, cohort_page

from . import roster
from .models import ScoreSend, SendState

TONES = {
    SendState.QUEUED: "text-bg-secondary",
    SendState.SENT: "text-bg-success",
    SendState.FAILED: "text-bg-warning",
    SendState.GAVE_UP: "text-bg-danger",
    SendState.KEPT: "text-bg-light",
}


@cohort_page
def grades(request: CohortRequest) -> HttpResponse:
    """Each finished attempt's score on its way to the grade book: queued, sent, failed with
    the platform's answer (retried by the sweep), or kept back for a better one."""
    sends = list(
        ScoreSend.objects.filter(attempt__cohort=request.cohort)
        .select_related("attempt__trainee", "lti_user")
        .order_by("-queued_at", "-id")
    )
    for send in sends:
        send.tone = TONES[SendState(send.state)]  # type: ignore[attr-defined]
        send.title = catalogue.title_of(send.attempt.scenario_slug)  # type: ignore[attr-defined]
    return render(request, "lti/grades.html", {"cohort": request.cohort, "sends": sends})


@cohort_page
@require_POST
def sync_roster(request: CohortRequest) -> HttpResponse:
    """ "Sync the roster": the course's learners join the cohort; the page says who came, who
    left."""
    try:
        report = roster.sync_roster(actor=request.user, cohort=request.cohort)
    except LifecycleError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, report.sentence())
    return redirect("trainer_cohort", request.cohort.pk)
