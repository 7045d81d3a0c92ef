"""Grading: a pure function of the scenario, the attempt's events, its final state and its hints.

Nothing here reads the database or the clock: the same facts always give the same grade, and
events no objective or forbidden move matches cannot change it.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from lifecycle.wording import count
from training.facts import Fact, FinalState
from training.scenarios.predicates import Facts
from training.scenarios.schema import Scenario


@dataclass(frozen=True)
class Line:
    """One objective or forbidden move, graded."""

    id: str
    title: str
    kind: str  # "objective" or "forbidden"
    met: bool
    points: int
    section: str
    lesson: str
    note: str
    evidence: tuple[int, ...] = ()

    def as_json(self) -> dict:
        return {
            "kind": self.kind,
            "title": self.title,
            "met": self.met,
            "points": self.points,
            "section": self.section,
            "lesson": self.lesson,
            "note": self.note,
            "evidence": list(self.evidence),
        }


@dataclass(frozen=True)
class Grade:
    score: int
    passed: bool
    lines: tuple[Line, ...]
    earned: int  # points from objectives, out of 100
    hint_cost: int
    penalty: int
    over_budget: bool = False
    took: timedelta | None = None
    notes: tuple[str, ...] = field(default=())

    def line(self, line_id: str) -> Line:
        return next(line for line in self.lines if line.id == line_id)

    @property
    def missed(self) -> list[str]:
        return [line.id for line in self.lines if line.kind == "objective" and not line.met]

    @property
    def broken(self) -> list[str]:
        return [line.id for line in self.lines if line.kind == "forbidden" and not line.met]


def _share(weight: int, total: int) -> int:
    return round(100 * weight / total)


def grade(
    scenario: Scenario,
    events: Sequence[Fact],
    state: FinalState,
    *,
    hints_used: int = 0,
    took: timedelta | None = None,
) -> Grade:
    """Score out of 100: the weights of the objectives met (as a share of all weights), less the
    cost of the hints taken and the penalty of each forbidden move made; pass at the pass mark,
    and within the time budget when the scenario has one."""
    facts = Facts(events=tuple(events), state=state)
    lines: list[Line] = []
    total = scenario.total_weight
    for objective in scenario.objectives:
        verdict = objective.predicate.check(facts)
        share = _share(objective.weight, total)
        lines.append(
            Line(
                id=objective.id,
                title=objective.title,
                kind="objective",
                met=verdict.met,
                points=share if verdict.met else 0,
                section=objective.section,
                lesson=objective.lesson,
                note=verdict.note,
                evidence=verdict.evidence,
            )
        )
    penalty = 0
    for move in scenario.forbidden:
        made = move.event.find(facts.events)
        cost = move.penalty * len(made)
        penalty += cost
        note = f"Made {count(len(made), 'time')}: {made[0].describe()}." if made else "Not made."
        lines.append(
            Line(
                id=move.id,
                title=move.title,
                kind="forbidden",
                met=not made,
                points=-cost,
                section=move.section,
                lesson=move.lesson,
                note=note,
                evidence=tuple(e.id for e in made),
            )
        )
    earned = min(100, sum(line.points for line in lines if line.kind == "objective"))
    if all(line.met for line in lines if line.kind == "objective"):
        earned = 100  # rounding of the shares never costs a perfect run a point
    hint_cost = sum(h.cost for h in scenario.hints[:hints_used])
    score = max(0, min(100, earned - hint_cost - penalty))
    budget = scenario.time_budget_days
    over = budget is not None and took is not None and took > timedelta(days=budget)
    notes = []
    if over:
        notes.append(
            f"The attempt took {took.total_seconds() / 86400:.1f} sandbox days; the brief "
            f"allowed {budget:g}."
        )
    return Grade(
        score=score,
        passed=score >= scenario.pass_mark and not over,
        lines=tuple(lines),
        earned=earned,
        hint_cost=hint_cost,
        penalty=penalty,
        over_budget=over,
        took=took,
        notes=tuple(notes),
    )
