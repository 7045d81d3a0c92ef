"""An attempt's steps, each with "Try again from before this step" (RULEBOOK §11)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from training.models import Attempt

from .attempts import CannotRewind, rewind_attempt
from .branches import branch_of, branch_words, rewindable, steps_with_rewind


def _attempt(request: HttpRequest, attempt_id: int) -> Attempt:
    return get_object_or_404(
        Attempt.objects.select_related("sandbox", "branch"), pk=attempt_id, trainee=request.user
    )


@login_required
def attempt_steps(request: HttpRequest, attempt_id: int) -> HttpResponse:
    """The attempt's timeline of the trainee's steps, oldest first."""
    attempt = _attempt(request, attempt_id)
    branch = branch_of(attempt)
    context = {
        "attempt": attempt,
        "steps": steps_with_rewind(attempt),
        "branch": branch,
        "branch_words": branch_words(branch),
    }
    return render(request, "rewind/attempt_steps.html", context)


@login_required
@require_POST
def attempt_rewind(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = _attempt(request, attempt_id)
    trainee = attempt.trainee  # the signed-in user: `_attempt` found it among theirs
    try:
        event_id = int(request.POST.get("before", ""))
    except ValueError:
        event_id = 0
    if event_id not in rewindable(attempt):
        messages.error(request, "There is no record of the sandbox before that step.")
        return redirect("attempt_steps", attempt.pk)
    try:
        branch = rewind_attempt(trainee=trainee, attempt=attempt, before_event=event_id)
    except (CannotRewind, PermissionDenied) as err:
        messages.error(request, str(err))
        return redirect("attempt_steps", attempt.pk)
    step = branch.branch.before_step
    messages.success(
        request,
        f"A new attempt from before step {step}: the sandbox is as it was then, clock included.",
    )
    return redirect("attempt", branch.pk)
