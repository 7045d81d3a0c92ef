"""The coaching panel beside every page of a sandbox played as a scenario, and on the attempt's
page: each objective's state in words, the sandbox time used against the brief's budget, what
the record shows (Check my work), and the solution once the trainee asks for it (practice).

Graded afresh on each page and each poll, with the same points finishing would give.
"""

from dataclasses import dataclass
from datetime import timedelta

from . import grading, play
from .models import Attempt
from .scenarios import Scenario, get

# Below this share of the time budget left, the panel warns.
WARN_WHEN_LEFT = 0.25

STATE_WORDS = {
    grading.MET: "Met",
    grading.NOT_YET: "Not yet",
    grading.MISSED: "Missed",
    grading.WAITING: "Done, counts when",
}


@dataclass(frozen=True)
class Clock:
    used: str  # "12 days and 3 hours"
    budget: str  # "30 days", or "" without a budget
    left: str  # "17 days and 21 hours"
    warning: str  # a sentence when the budget is nearly or wholly used, else ""


def is_practice(attempt: Attempt) -> bool:
    return bool((attempt.feedback or {}).get("practice"))


def clock(scenario: Scenario, took: timedelta | None) -> Clock:
    used = took or timedelta(0)
    words = grading.days_and_hours(used)
    if scenario.time_budget_days is None:
        return Clock(words, "", "", "")
    budget = timedelta(days=scenario.time_budget_days)
    left = budget - used
    # Real seconds pass on the sandbox clock too: "12 hours" left, not "11 hours" and 59 minutes.
    left_words = grading.days_and_hours(timedelta(hours=round(left.total_seconds() / 3600)))
    budget_words = grading.days_and_hours(budget)
    if left < timedelta(0):
        warning = (
            f"Over the time budget: the brief allowed {budget_words}, so the attempt cannot pass."
        )
    elif left <= budget * WARN_WHEN_LEFT:
        warning = (
            f"Only {left_words} of sandbox time left: past {budget_words} the attempt cannot pass."
        )
    else:
        warning = ""
    return Clock(words, budget_words, left_words if left > timedelta(0) else "", warning)


def lines(grade: grading.Grade) -> list[dict]:
    """Each line with its state in words, for the templates."""
    shown = []
    for line in grade.lines:
        if line.kind == "forbidden":
            state = "Avoided so far" if line.met else "Made"
        elif line.state == grading.WAITING:
            state = f"Done, counts when {line.counts_when}"
        else:
            state = STATE_WORDS.get(line.state, "")
        shown.append({"line": line, "state": state, "code": line.state or "missed"})
    return shown


def context(attempt: Attempt) -> dict:
    """What the panel shows for an open attempt."""
    scenario = get(attempt.scenario_slug)
    grade = play.current_grade(attempt)
    practice = is_practice(attempt)
    return {
        "scenario_attempt": attempt,
        "scenario": scenario,
        "scenario_title": scenario.title,
        "scenario_pass_mark": scenario.pass_mark,
        "scenario_grade": grade,
        "panel_lines": lines(grade) if grade else [],
        "panel_clock": clock(scenario, grade.took if grade else None),
        "panel_practice": practice,
        "panel_solution": scenario.solution if practice else [],
    }
