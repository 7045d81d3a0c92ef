"""The trainer's view of a cohort: trainees x assigned scenarios, mistakes, pass rates.

A fixed number of queries whatever the cohort's size: the members, the assignments and one
read of their attempts at the assigned scenarios; everything else is worked out here.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from statistics import median
from typing import Any

from django.db.models import F

from training.models import Attempt

from .catalogue import title_of
from .models import Assignment, Cohort

NOT_STARTED, IN_PROGRESS, PASSED, FAILED = "not_started", "in_progress", "passed", "failed"
STATE_LABELS = {
    NOT_STARTED: "Not started",
    IN_PROGRESS: "In progress",
    PASSED: "Passed",
    FAILED: "Failed",
}
STATE_TONES = {PASSED: "text-bg-success", FAILED: "text-bg-danger", IN_PROGRESS: "text-bg-warning"}
ATTEMPT_FIELDS = (
    "id",
    "trainee_id",
    "scenario_slug",
    "started_at",
    "finished_at",
    "score",
    "passed",
    "result",
    "sandbox_started_at",
    "sandbox_finished_at",
    "hints_used",
    "feedback",
)


@dataclass
class Cell:
    """One trainee at one scenario: the state, the best score and the best attempt's times."""

    attempts: int = 0
    finished: int = 0
    open: int = 0
    best: dict | None = None  # the finished attempt with the highest score (the first of a tie)
    passed: bool = False

    @property
    def state(self) -> str:
        if self.passed:
            return PASSED
        if self.open:
            return IN_PROGRESS
        if self.finished:
            return FAILED
        return NOT_STARTED

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def tone(self) -> str:
        """The badge class of the state on the pages."""
        return STATE_TONES.get(self.state, "text-bg-light")

    @property
    def score(self) -> int | None:
        return self.best["score"] if self.best else None

    @property
    def best_id(self) -> int | None:
        return self.best["id"] if self.best else None

    @property
    def real_time(self) -> timedelta | None:
        return self.best["finished_at"] - self.best["started_at"] if self.best else None

    @property
    def sandbox_time(self) -> timedelta | None:
        if (
            not self.best
            or not self.best["sandbox_started_at"]
            or not self.best["sandbox_finished_at"]
        ):
            return None
        return self.best["sandbox_finished_at"] - self.best["sandbox_started_at"]

    def add(self, attempt: dict) -> None:
        self.attempts += 1
        if attempt["finished_at"] is None:
            self.open += 1
            return
        self.finished += 1
        self.passed = self.passed or bool(attempt["passed"])
        if self.best is None or (attempt["score"] or 0) > (self.best["score"] or 0):
            self.best = attempt


def cells_for(attempts: list[dict]) -> dict[tuple[int, str], Cell]:
    """Cells by (trainee id, scenario slug), the attempts read oldest first."""
    cells: dict[tuple[int, str], Cell] = defaultdict(Cell)
    for attempt in sorted(attempts, key=lambda a: (a["started_at"], a["id"])):
        cells[(attempt["trainee_id"], attempt["scenario_slug"])].add(attempt)
    return cells


def attempts_of(trainee_ids, slugs, *, cohort: Cohort | None = None) -> list[dict]:
    """The attempts of these trainees at these scenarios; with a cohort, only those made for
    its assignments (what its trainers see), else all of them (what the trainee sees)."""
    attempts = Attempt.objects.filter(trainee_id__in=trainee_ids, scenario_slug__in=slugs)
    if cohort is not None:
        attempts = attempts.filter(cohort=cohort)
    return list(attempts.values(*ATTEMPT_FIELDS))


def cohort_assigning(trainee, slug: str) -> Cohort | None:
    """The cohort an attempt at `slug` is made for: of the trainee's cohorts that assign it, the
    one due first (the one their list of assignments shows); None in free play."""
    assignment = (
        Assignment.objects.filter(cohort__memberships__trainee=trainee, scenario_slug=slug)
        .order_by(F("due_on").asc(nulls_last=True), "id")
        .select_related("cohort")
        .first()
    )
    return assignment.cohort if assignment else None


@dataclass
class Column:
    slug: str
    title: str
    due_on: Any
    passed: int = 0
    attempted: int = 0
    trainees: int = 0
    finished: int = 0  # trainees with a finished attempt

    @property
    def pass_rate(self) -> int:
        """Per cent of the trainees who finished it that passed it (those who never started or
        are still playing do not count); 0 when nobody finished."""
        return round(100 * self.passed / self.finished) if self.finished else 0


@dataclass
class Miss:
    slug: str
    scenario: str
    objective: str
    section: str
    lesson: str
    missed: int
    out_of: int


@dataclass
class Progress:
    columns: list[Column]
    rows: list[tuple[Any, list[Cell]]]  # (trainee, one cell per column)
    misses: list[Miss] = field(default_factory=list)
    items: list["Item"] = field(default_factory=list)


@dataclass
class Item:
    """One objective across the cohort's finished attempts (item analysis)."""

    scenario: str
    objective: str
    finished: int  # finished attempts at its scenario
    met: int
    met_with_hint: int  # met in an attempt that took a hint
    sandbox_to_it: str  # median sandbox time from the start to the step that met it
    real_of_attempts: str  # median real time of the attempts that met it
    before_miss: list[str]  # the steps most often taken in the attempts that missed it


def cohort_progress(cohort: Cohort, scenarios: dict[str, Any]) -> Progress:
    memberships = list(cohort.memberships.select_related("trainee").order_by("trainee__username"))
    columns = [
        Column(
            slug=a.scenario_slug,
            title=title_of(a.scenario_slug, scenarios),
            due_on=a.due_on,
            trainees=len(memberships),
        )
        for a in cohort.assignments.all()
    ]
    trainees = [m.trainee for m in memberships]
    attempts = (
        attempts_of([t.pk for t in trainees], [c.slug for c in columns], cohort=cohort)
        if columns
        else []
    )
    cells = cells_for(attempts)
    rows = []
    for trainee in trainees:
        row = [cells.get((trainee.pk, c.slug)) or Cell() for c in columns]
        for column, cell in zip(columns, row, strict=True):
            column.passed += cell.state == PASSED
            column.attempted += cell.attempts > 0
            column.finished += cell.finished > 0
        rows.append((trainee, row))
    return Progress(
        columns=columns,
        rows=rows,
        misses=missed_objectives(attempts, scenarios),
        items=item_analysis(attempts, scenarios),
    )


def _median(spans: list[timedelta]) -> timedelta | None:
    return timedelta(seconds=median(s.total_seconds() for s in spans)) if spans else None


def _to_it(attempt: dict, evidence: list[int]) -> timedelta | None:
    """Sandbox time from the attempt's start to the last step that showed the objective met."""
    at = {step["id"]: step["at"] for step in (attempt["feedback"] or {}).get("steps", [])}
    times = [datetime.fromisoformat(at[i]) for i in evidence if i in at]
    if not times or not attempt["sandbox_started_at"]:
        return None
    return max(times) - attempt["sandbox_started_at"]


def item_analysis(attempts: list[dict], scenarios: dict[str, Any]) -> list[Item]:
    """Per objective of each scenario: how many finished attempts met it, how many of those took
    a hint, the median time to it, and the steps most often taken where it was missed."""
    finished = [a for a in attempts if a["finished_at"] and a["scenario_slug"] in scenarios]
    items = []
    for slug in sorted({a["scenario_slug"] for a in finished}):
        mine = [a for a in finished if a["scenario_slug"] == slug]
        for objective in scenarios[slug].objectives:
            met: list[tuple[dict, list[int]]] = []
            missed_steps: Counter[str] = Counter()
            for attempt in mine:
                outcome = (attempt["result"] or {}).get(objective.id) or {}
                if outcome.get("met"):
                    met.append((attempt, outcome.get("evidence", [])))
                else:
                    steps = {s["text"] for s in (attempt["feedback"] or {}).get("steps", [])}
                    missed_steps.update(steps)
            to_it = [t for a, ev in met if (t := _to_it(a, ev)) is not None]
            real = [a["finished_at"] - a["started_at"] for a, _ in met]
            items.append(
                Item(
                    scenario=scenarios[slug].title,
                    objective=objective.title,
                    finished=len(mine),
                    met=len(met),
                    met_with_hint=sum(1 for a, _ in met if a.get("hints_used")),
                    sandbox_to_it=duration_text(_median(to_it)),
                    real_of_attempts=duration_text(_median(real)),
                    before_miss=[text for text, _ in missed_steps.most_common(3)],
                )
            )
    return items


def missed_objectives(attempts: list[dict], scenarios: dict[str, Any]) -> list[Miss]:
    """Objectives missed in finished attempts, commonest first, each with its lesson."""
    finished: Counter[str] = Counter()
    missed: Counter = Counter()
    for attempt in attempts:
        if attempt["finished_at"] is None or attempt["scenario_slug"] not in scenarios:
            continue
        finished[attempt["scenario_slug"]] += 1
        for objective in scenarios[attempt["scenario_slug"]].objectives:
            outcome = (attempt["result"] or {}).get(objective.id) or {}
            if not outcome.get("met"):
                missed[(attempt["scenario_slug"], objective.id)] += 1
    ranked = sorted(missed.items(), key=lambda item: (-item[1], item[0]))
    return [
        Miss(
            slug=slug,
            scenario=scenarios[slug].title,
            objective=scenarios[slug].objective(objective_id).title,
            section=scenarios[slug].objective(objective_id).section,
            lesson=scenarios[slug].objective(objective_id).lesson,
            missed=count,
            out_of=finished[slug],
        )
        for (slug, objective_id), count in ranked
    ]


def trainee_assignments(trainee) -> list[dict[str, Any]]:
    """A trainee's assigned scenarios across their cohorts, each with its state: three queries.

    A scenario assigned by two cohorts shows once, with the earliest due date.
    """
    from .catalogue import scenarios as catalogue

    assignments: dict[str, Any] = {}
    for assignment in Assignment.objects.filter(
        cohort__memberships__trainee=trainee
    ).select_related("cohort"):
        kept = assignments.get(assignment.scenario_slug)
        if kept is None or (
            assignment.due_on and (not kept.due_on or assignment.due_on < kept.due_on)
        ):
            assignments[assignment.scenario_slug] = assignment
    if not assignments:
        return []
    cells = cells_for(attempts_of([trainee.pk], list(assignments)))
    known = catalogue()
    items = [
        {
            "slug": slug,
            "title": known[slug].title if slug in known else slug,
            "cohort": assignment.cohort,
            "due_on": assignment.due_on,
            "cell": cells.get((trainee.pk, slug)) or Cell(),
            "playable": slug in known,
        }
        for slug, assignment in assignments.items()
    ]
    return sorted(items, key=lambda i: (i["due_on"] is None, i["due_on"] or 0, i["title"]))


def duration_text(span: timedelta | None) -> str:
    """A duration as a trainer reads it: "3 d 2 h", "2 h 05 min", "45 s"; "" for none."""
    if span is None:
        return ""
    seconds = int(span.total_seconds())
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes:02d} min"
    if minutes:
        return f"{minutes} min"
    return f"{seconds} s"
