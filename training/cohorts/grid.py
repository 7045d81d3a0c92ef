"""The trainer's grid sorted and filtered: a GET form, applied to the rows `cohort_progress`
read already (no query of its own, so the page's budget does not move).

A trainee's row is shown when one of the cells in view (the chosen scenario's, or every
assigned scenario's) matches every criterion given: its state, its best score within the
range, its due date. The rows are then sorted; ties keep the usernames' order.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django import forms

from lifecycle.wording import count

from .progress import FAILED, IN_PROGRESS, NOT_STARTED, PASSED, STATE_LABELS, Cell, Column

NOT_PASSED = "not_passed"
STATES = [
    ("", "Any state"),
    *((state, STATE_LABELS[state]) for state in (NOT_STARTED, IN_PROGRESS, FAILED, PASSED)),
    (NOT_PASSED, "Not passed yet"),
]
SOON = timedelta(days=7)
OVERDUE, DUE_SOON, DATED, UNDATED = "overdue", "soon", "dated", "undated"
DUES = [
    ("", "Any due date"),
    (OVERDUE, "Past its due date, not passed"),
    (DUE_SOON, f"Due within {SOON.days} days, not passed"),
    (DATED, "Has a due date"),
    (UNDATED, "Has no due date"),
]
BY_NAME, SCORE_HIGH, SCORE_LOW, NEXT_DUE, LEAST_PROGRESS = (
    "name",
    "score_high",
    "score_low",
    "due",
    "progress",
)
SORTS = [
    (BY_NAME, "Trainee, A to Z"),
    (SCORE_HIGH, "Best score, highest first"),
    (SCORE_LOW, "Best score, lowest first"),
    (NEXT_DUE, "Next due date first"),
    (LEAST_PROGRESS, "Least progress first"),
]
# How far a cell is along, for "least progress first".
PROGRESS_RANK = {NOT_STARTED: 0, FAILED: 1, IN_PROGRESS: 2, PASSED: 3}

SELECT = forms.Select(attrs={"class": "form-select"})
SCORE = forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric"})


class GridFilter(forms.Form):
    scenario = forms.ChoiceField(label="Scenario", required=False, widget=SELECT)
    state = forms.ChoiceField(label="State", choices=STATES, required=False, widget=SELECT)
    score_from = forms.IntegerField(
        label="Best score from", min_value=0, max_value=100, required=False, widget=SCORE
    )
    score_to = forms.IntegerField(
        label="Best score to", min_value=0, max_value=100, required=False, widget=SCORE
    )
    due = forms.ChoiceField(label="Due date", choices=DUES, required=False, widget=SELECT)
    sort = forms.ChoiceField(label="Sort by", choices=SORTS, required=False, widget=SELECT)

    def __init__(self, data: Any, *, columns: list[Column]) -> None:
        super().__init__(data)
        self.fields["scenario"].choices = [  # type: ignore[attr-defined]
            ("", "Every assigned scenario"),
            *((c.slug, c.title) for c in columns),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("score_from"), data.get("score_to")
        if low is not None and high is not None and low > high:
            self.add_error("score_to", f"Expected a score of at least {low}, the lowest asked.")
        return data


@dataclass(frozen=True)
class Criteria:
    scenario: str = ""
    state: str = ""
    score_from: int | None = None
    score_to: int | None = None
    due: str = ""
    sort: str = BY_NAME

    @classmethod
    def of(cls, form: GridFilter) -> "Criteria":
        """The form's criteria; none (the whole grid by name) when the form is not valid."""
        if not form.is_bound or not form.is_valid():
            return cls()
        data = form.cleaned_data
        return cls(
            scenario=data["scenario"] or "",
            state=data["state"] or "",
            score_from=data["score_from"],
            score_to=data["score_to"],
            due=data["due"] or "",
            sort=data["sort"] or BY_NAME,
        )

    @property
    def narrows(self) -> bool:
        """Whether some rows may be left out (the scenario alone only narrows the columns)."""
        return (
            bool(self.state or self.due) or self.score_from is not None or self.score_to is not None
        )


@dataclass
class Grid:
    columns: list[Column]
    rows: list[tuple[Any, list[Cell]]]
    out_of: int  # the cohort's trainees
    criteria: Criteria

    @property
    def summary(self) -> str:
        """'3 of 30 trainees match the filters.', or the cohort's size when nothing narrows."""
        everyone = count(self.out_of, "trainee")
        if not self.criteria.narrows:
            return f"{everyone}."
        n = len(self.rows)
        return f"{n} of {everyone} {'matches' if n == 1 else 'match'} the filters."


def _state_matches(cell: Cell, state: str) -> bool:
    if state == NOT_PASSED:
        return cell.state != PASSED
    return not state or cell.state == state


def _score_matches(cell: Cell, low: int | None, high: int | None) -> bool:
    if low is None and high is None:
        return True
    score = cell.score
    return score is not None and (low is None or score >= low) and (high is None or score <= high)


def _due_matches(cell: Cell, due_on: date | None, due: str, today: date) -> bool:
    if due == DATED:
        return due_on is not None
    if due == UNDATED:
        return due_on is None
    if due == OVERDUE:
        return due_on is not None and due_on < today and cell.state != PASSED
    if due == DUE_SOON:
        return due_on is not None and today <= due_on <= today + SOON and cell.state != PASSED
    return True


def matches(cell: Cell, column: Column, criteria: Criteria, today: date) -> bool:
    return (
        _state_matches(cell, criteria.state)
        and _score_matches(cell, criteria.score_from, criteria.score_to)
        and _due_matches(cell, column.due_on, criteria.due, today)
    )


def _sort_key(criteria: Criteria, columns: list[Column], today: date):
    """The key of a (trainee, cells) row for the chosen order; unscored rows and rows with
    nothing due go last whichever way scores are sorted."""

    def scores(cells: list[Cell]) -> list[int]:
        return [c.score for c in cells if c.score is not None]

    def key(row: tuple[Any, list[Cell]]) -> tuple:
        _, cells = row
        if criteria.sort in (SCORE_HIGH, SCORE_LOW):
            found = scores(cells)
            if not found:
                return (1, 0)
            total = sum(found)  # unfinished count as 0: the mean over the columns, times n
            return (0, -total if criteria.sort == SCORE_HIGH else total)
        if criteria.sort == NEXT_DUE:
            dues = [
                column.due_on
                for column, cell in zip(columns, cells, strict=True)
                if column.due_on is not None and cell.state != PASSED
            ]
            return (0, min(dues)) if dues else (1, today)
        if criteria.sort == LEAST_PROGRESS:
            return (sum(PROGRESS_RANK[c.state] for c in cells),)
        return ()

    return key


def shown(columns: list[Column], rows: list, criteria: Criteria, today: date) -> Grid:
    """The grid as asked: the columns in view, the matching rows, in the chosen order."""
    keep = [
        i for i, c in enumerate(columns) if not criteria.scenario or c.slug == criteria.scenario
    ]
    in_view = [columns[i] for i in keep]
    picked = []
    for trainee, cells in rows:
        mine = [cells[i] for i in keep]
        if not criteria.narrows or any(
            matches(cell, column, criteria, today)
            for column, cell in zip(in_view, mine, strict=True)
        ):
            picked.append((trainee, mine))
    picked.sort(key=_sort_key(criteria, in_view, today))  # stable: usernames break ties
    return Grid(columns=in_view, rows=picked, out_of=len(rows), criteria=criteria)
