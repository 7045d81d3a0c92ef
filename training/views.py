"""Training pages: pick a scenario, play it (brief, checklist, hints), finish, see the grade.

Each mutating view is POST-only, calls one function of training.play and redirects.
"""

from datetime import datetime, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from lifecycle.web import SignedInRequest

from . import panel, play
from .cohorts.progress import trainee_assignments
from .grading import days_and_hours
from .models import Attempt
from .scenarios import Forbidden, Objective, Scenario, get, load_all
from .scenarios.schema import section_words


def _scenario(slug: str) -> Scenario:
    try:
        return get(slug)
    except KeyError:
        raise Http404("No such scenario.") from None


def _attempt(request: SignedInRequest, attempt_id: int) -> Attempt:
    return get_object_or_404(  # its branch (rewind) too: the attempt's pages name it
        Attempt.objects.select_related("sandbox", "branch"), pk=attempt_id, trainee=request.user
    )


def sandbox_url(attempt: Attempt) -> str:
    """Where the attempt is played: the Seller Center, or the support admin's sandbox page."""
    if attempt.sandbox_id is None:
        return ""
    if get(attempt.scenario_slug).audience == "support":
        sandbox = attempt.sandbox
        account = sandbox.account if sandbox else None
        return reverse("support:case", args=[account.pk]) if account else ""
    return reverse("dashboard", args=[attempt.sandbox_id])


@login_required
def scenario_list(request: SignedInRequest) -> HttpResponse:
    scenarios = [s for s in load_all().values() if s.audience == "trainee" or request.user.is_staff]
    attempts: dict[str, list[Attempt]] = {}
    for attempt in Attempt.objects.filter(trainee=request.user):
        attempts.setdefault(attempt.scenario_slug, []).append(attempt)
    assigned = {a["slug"]: a for a in trainee_assignments(request.user)}
    # What a cohort assigned comes first, in the loader's order; then the rest.
    scenarios.sort(key=lambda s: s.slug not in assigned)
    rows = [(s, attempts.get(s.slug, []), assigned.get(s.slug)) for s in scenarios]
    return render(request, "training/scenario_list.html", {"rows": rows})


def _start(
    request: SignedInRequest, scenario: Scenario, restarted_from: Attempt | None = None
) -> HttpResponse:
    try:
        attempt = play.start_attempt(
            trainee=request.user, scenario=scenario, restarted_from=restarted_from
        )
    except PermissionDenied as err:
        messages.error(request, str(err))
        return redirect("training")
    messages.success(request, f"A fresh sandbox is ready for “{scenario.title}”.")
    return redirect("attempt", attempt.pk)


@login_required
@require_POST
def scenario_start(request: SignedInRequest, slug: str) -> HttpResponse:
    return _start(request, _scenario(slug))


@login_required
@require_POST
def attempt_restart(request: SignedInRequest, attempt_id: int) -> HttpResponse:
    """A new attempt at the same scenario; this one is kept as it is."""
    attempt = _attempt(request, attempt_id)
    return _start(request, _scenario(attempt.scenario_slug), restarted_from=attempt)


@login_required
def attempt_detail(request: SignedInRequest, attempt_id: int) -> HttpResponse:
    attempt = _attempt(request, attempt_id)
    if not attempt.is_open:
        return redirect("attempt_result", attempt.pk)
    scenario = _scenario(attempt.scenario_slug)
    context = {
        **panel.context(attempt),
        "attempt": attempt,
        "hints": scenario.hints[: attempt.hints_used],
        "next_hint": scenario.hints[attempt.hints_used]
        if attempt.hints_used < len(scenario.hints)
        else None,
        "play_url": sandbox_url(attempt),
    }
    return render(request, "training/attempt.html", context)


@login_required
def attempt_panel(request: SignedInRequest, attempt_id: int) -> HttpResponse:
    """The panel alone, polled by the pages beside it: it follows background work (a deletion
    finalized, an export ready) without a reload. A finished attempt's panel says so."""
    attempt = _attempt(request, attempt_id)
    if not attempt.is_open:
        return render(request, "training/partials/objectives_panel_done.html", {"attempt": attempt})
    context = {**panel.context(attempt), "poll": True}
    return render(request, "training/partials/panel_status.html", context)


@login_required
@require_POST
def attempt_solution(request: SignedInRequest, attempt_id: int) -> HttpResponse:
    """Show the solution: the attempt becomes practice."""
    attempt = play.show_solution(attempt=_attempt(request, attempt_id))
    messages.info(request, "The solution is shown: this attempt is now practice and cannot pass.")
    return redirect(f"{reverse('attempt', args=[attempt.pk])}#solution")


@login_required
@require_POST
def attempt_hint(request: SignedInRequest, attempt_id: int) -> HttpResponse:
    attempt = play.take_hint(attempt=_attempt(request, attempt_id))
    back = request.POST.get("next") or ""
    if back.startswith("/") and not back.startswith("//"):
        return redirect(back)
    return redirect("attempt", attempt.pk)


@login_required
@require_POST
def attempt_finish(request: SignedInRequest, attempt_id: int) -> HttpResponse:
    try:
        attempt = play.finish_attempt(attempt=_attempt(request, attempt_id))
    except PermissionDenied as err:
        messages.error(request, str(err))
        return redirect("training")
    return redirect("attempt_result", attempt.pk)


def _step_list(numbers: list[int]) -> str:
    """'step 2', 'steps 2 and 7', 'steps 1, 2 and 7'."""
    shown = [str(n) for n in numbers]
    if len(shown) == 1:
        return f"step {shown[0]}"
    return f"steps {', '.join(shown[:-1])} and {shown[-1]}"


def _timed(rows: list[dict]) -> list[dict]:
    return [{**row, "at": datetime.fromisoformat(row["at"])} for row in rows]


@login_required
def attempt_result(request: SignedInRequest, attempt_id: int) -> HttpResponse:
    attempt = _attempt(request, attempt_id)
    if attempt.is_open:
        return redirect("attempt", attempt.pk)
    scenario = _scenario(attempt.scenario_slug)
    feedback = attempt.feedback
    steps = _timed(feedback.get("steps", []))
    order = {step["id"]: n for n, step in enumerate(steps, start=1)}
    lines = []
    # In the file's order (the JSON column does not keep the order of its keys).
    items: list[Objective | Forbidden] = [*scenario.objectives, *scenario.forbidden]
    for item in items:
        line = attempt.result.get(item.id)
        if line is not None:
            done = [order[i] for i in line.get("evidence", []) if i in order]
            lines.append(
                {
                    "id": item.id,
                    **line,
                    "steps": _step_list(done) if done else "",
                    "section_words": section_words(line["section"]),
                }
            )
    objectives = [line for line in lines if line["kind"] == "objective"]
    took = feedback.get("took_seconds")
    context = {
        "attempt": attempt,
        "scenario": scenario,
        "objectives": objectives,
        "forbidden": [line for line in lines if line["kind"] == "forbidden"],
        "steps": steps,
        "setup": _timed(feedback.get("setup", [])),
        "account_name": scenario.world.display_name,
        "took": days_and_hours(timedelta(seconds=took)) if took is not None else "",
        "failed_because": feedback.get("failed_because", []),
        # The reference solution whenever an objective was missed, passed or not.
        "reference": scenario.solution if any(not o["met"] for o in objectives) else [],
        "play_url": sandbox_url(attempt),
    }
    return render(request, "training/result.html", context)
