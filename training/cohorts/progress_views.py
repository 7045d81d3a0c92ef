"""The trainer's view of a cohort: the grid, its CSV, the commonest misses, one attempt.

Each page loads the cohort through `cohort_page` (404 unless you run it); an attempt is shown
only when it was made for one of the cohort's assignments, by a member.
"""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.text import slugify

from lifecycle.models import TimelineEvent
from lifecycle.spreadsheet import SafeWriter
from lifecycle.web import sends_file, wants_partial
from training.models import Attempt

from . import catalogue
from .grid import Criteria, Grid, GridFilter, shown
from .progress import Progress, cohort_progress, duration_text
from .web import CohortRequest, cohort_page

BAR_WIDTH = 300  # the chart's 100 %, in SVG units


def _chart(columns) -> dict:
    bars = [
        {
            "title": c.title,
            "rate": c.pass_rate,
            "passed": c.passed,
            "trainees": c.trainees,
            "finished": c.finished,
            "width": round(BAR_WIDTH * c.passed / c.finished) if c.finished else 0,
            "y": 8 + 34 * i,
        }
        for i, c in enumerate(columns)
    ]
    return {"bars": bars, "height": 16 + 34 * len(bars), "full": BAR_WIDTH}


def _asked(request: CohortRequest, grid: Progress) -> tuple[GridFilter, Grid]:
    """The filter form of the request (its query string) and the grid it asks for."""
    form = GridFilter(request.GET or None, columns=grid.columns)
    asked = shown(grid.columns, grid.rows, Criteria.of(form), timezone.localdate())
    return form, asked


@cohort_page
def progress(request: CohortRequest) -> HttpResponse:
    """The grid (sorted and filtered as the query string asks), the pass rates, the misses and
    the item analysis; an htmx request from the filter form gets the grid's region alone."""
    cohort = request.cohort
    grid = cohort_progress(cohort, catalogue.scenarios())
    form, asked = _asked(request, grid)
    context = {
        "cohort": cohort,
        "grid": grid,
        "shown": asked,
        "filter": form,
        "query": request.GET.urlencode(),
        "chart": _chart(grid.columns),
    }
    if wants_partial(request):
        return render(request, "training/trainer/partials/progress_grid.html", context)
    return render(request, "training/trainer/progress.html", context)


@sends_file
@cohort_page
def progress_csv(request: CohortRequest) -> HttpResponse:
    """The grid as CSV: one row per trainee, five columns per assigned scenario; sorted and
    filtered as the page's query string asks, so the file holds what the page shows."""
    cohort = request.cohort
    _, grid = _asked(request, cohort_progress(cohort, catalogue.scenarios()))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slugify(cohort.slug)}-progress.csv"'
    writer = SafeWriter(response)  # usernames and emails are people's own input
    header = ["username", "email"]
    for column in grid.columns:
        header += [
            f"{column.slug} state",
            f"{column.slug} best score",
            f"{column.slug} attempts",
            f"{column.slug} real time (s)",
            f"{column.slug} sandbox time (s)",
        ]
    writer.writerow(header)
    for trainee, cells in grid.rows:
        row = [trainee.username, trainee.email]
        for cell in cells:
            row += [
                cell.state,
                "" if cell.score is None else cell.score,
                cell.attempts,
                "" if cell.real_time is None else int(cell.real_time.total_seconds()),
                "" if cell.sandbox_time is None else int(cell.sandbox_time.total_seconds()),
            ]
        writer.writerow(row)
    return response


@cohort_page
def attempt_detail(request: CohortRequest, attempt_id: int) -> HttpResponse:
    cohort = request.cohort
    attempt = get_object_or_404(
        Attempt.objects.select_related("trainee"),
        pk=attempt_id,
        cohort=cohort,
        trainee__in=cohort.trainees.all(),
        scenario_slug__in=cohort.assignments.values("scenario_slug"),
    )
    scenario = catalogue.scenarios().get(attempt.scenario_slug)
    events = (
        TimelineEvent.objects.filter(
            sandbox_id=attempt.sandbox_id, id__gt=attempt.baseline_event_id
        ).order_by("id")
        if attempt.sandbox_id
        else TimelineEvent.objects.none()
    )
    objectives = [
        {"objective": o, "outcome": (attempt.result or {}).get(o.id) or {}}
        for o in (scenario.objectives if scenario else [])
    ]
    return render(
        request,
        "training/trainer/attempt.html",
        {
            "cohort": cohort,
            "attempt": attempt,
            "scenario": scenario,
            "events": events,
            "objectives": objectives,
            "solution": scenario.solution if scenario else [],
            "real_time": duration_text(attempt.real_duration),
            "sandbox_time": duration_text(attempt.sandbox_duration),
        },
    )
