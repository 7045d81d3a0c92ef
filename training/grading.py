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

# An objective's state: met (its points count), not yet (it can still be met), missed (it cannot
# be met any more, or the attempt is over), waiting (done, but it counts only when ...).
MET, NOT_YET, MISSED, WAITING = "met", "not_yet", "missed", "waiting"


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
    state: str = ""  # MET, NOT_YET, MISSED or WAITING; a forbidden move: MET (avoided) or MISSED
    required: bool = False  # an objective the attempt fails without
    fails: bool = False  # a forbidden move that fails the attempt when made
    counts_when: str = ""  # WAITING: what makes it count ("you ask for the deletion")

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
            "state": self.state,
            "required": self.required,
            "fails": self.fails,
            "counts_when": self.counts_when,
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
    final: bool = True  # graded as finished (else: the live grade of an attempt under way)
    failed_because: tuple[str, ...] = field(default=())  # required missed, failing moves made

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


def _state(verdict, counts: bool | None, final: bool) -> str:
    """An objective's state from its verdict and whether its `counts_when` holds (None: none)."""
    if verdict.met and counts is not False:
        return MET
    if final or (not verdict.met and verdict.settled):
        return MISSED
    return WAITING if verdict.met or verdict.halfway else NOT_YET


def days_and_hours(span: timedelta) -> str:
    """'30 days and 1 hour', '2 hours', 'under an hour': a sandbox span in words."""
    hours = int(span.total_seconds() // 3600)
    days, hours = divmod(hours, 24)
    parts = [count(days, "day")] if days else []
    if hours:
        parts.append(count(hours, "hour"))
    return " and ".join(parts) or "under an hour"


def grade(
    scenario: Scenario,
    events: Sequence[Fact],
    state: FinalState,
    *,
    hints_used: int = 0,
    took: timedelta | None = None,
    final: bool = True,
) -> Grade:
    """Score out of 100: the weights of the objectives met (as a share of all weights), less the
    cost of the hints taken and the penalty of each forbidden move made; pass at the pass mark,
    within the time budget when the scenario has one, with every required objective met and no
    failing move made.

    An objective gives points only once it counts (its `counts_when` holds): one that could not
    have been failed yet gives none. `final=False` grades an attempt under way (the panel):
    what can still be met is "not yet" instead of missed."""
    facts = Facts(events=tuple(events), state=state, final=final)
    lines: list[Line] = []
    total = scenario.total_weight
    for objective in scenario.objectives:
        verdict = objective.predicate.check(facts)
        when = objective.counts_when
        counts = None if when is None else when.predicate.check(facts).met
        state_now = _state(verdict, counts, final)
        share = _share(objective.weight, total)
        note = verdict.note
        if verdict.met and when is not None and counts is False:
            note = f"{note} It counts when {when.text}.".strip()
        lines.append(
            Line(
                id=objective.id,
                title=objective.title,
                kind="objective",
                met=state_now == MET,
                points=share if state_now == MET else 0,
                section=objective.section,
                lesson=objective.lesson,
                note=note,
                evidence=verdict.evidence,
                state=state_now,
                required=objective.required,
                counts_when=verdict.halfway or (when.text if when is not None else ""),
            )
        )
    penalty = 0
    for move in scenario.forbidden:
        made = move.event.find(facts.events)
        cost = move.penalty * len(made)
        penalty += cost
        times = "once" if len(made) == 1 else count(len(made), "time")
        note = f"Made {times}: {made[0].describe()}." if made else "Not made."
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
                state=MISSED if made else MET,
                fails=move.fail,
            )
        )
    earned = min(100, sum(line.points for line in lines if line.kind == "objective"))
    if all(line.met for line in lines if line.kind == "objective"):
        earned = 100  # rounding of the shares never costs a perfect run a point
    hint_cost = sum(h.cost for h in scenario.hints[:hints_used])
    score = max(0, min(100, earned - hint_cost - penalty))
    budget = scenario.time_budget_days
    over = False
    notes = []
    if budget is not None and took is not None and took > timedelta(days=budget):
        over = True
        notes.append(
            f"The attempt took {days_and_hours(took)} of sandbox time; the brief allowed "
            f"{count(budget, 'day') if budget != int(budget) else count(int(budget), 'day')}."
        )
    failed_because = []
    for line in lines:
        if line.kind == "objective" and line.required and not line.met and final:
            failed_because.append(f"The required objective “{line.title}” was not met.")
        elif line.kind == "forbidden" and line.fails and not line.met:
            failed_because.append(f"“{line.title}” fails the attempt whatever the score.")
    return Grade(
        score=score,
        passed=score >= scenario.pass_mark and not over and not failed_because,
        final=final,
        failed_because=tuple(failed_because),
        lines=tuple(lines),
        earned=earned,
        hint_cost=hint_cost,
        penalty=penalty,
        over_budget=over,
        took=took,
        notes=tuple(notes),
    )
