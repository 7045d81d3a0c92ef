"""A scenario file's schema: brief, world, objectives, forbidden moves, hints, scripts."""

from typing import Literal

from pydantic import Field, PositiveInt, model_validator

from .fields import WRITTEN_FOR, EditionKey, Strict
from .predicates import Match, Predicate
from .steps import Step
from .world import World

# The rulebook's sections by number, as the result page names them beside a lesson.
SECTIONS = {
    "§1": "Who is in it",
    "§2": "What is in a sandbox",
    "§3": "Linking, unlinking, relinking a shop",
    "§4": "Account types",
    "§5": "Account status",
    "§6": "Data export",
    "§7": "The simulated clock",
    "§8": "The timeline",
    "§9": "Errors",
    "§10": "What it looks like",
    "§11": "Training",
    "§12": "Editions of the rules",
}


def section_words(section: str) -> str:
    """'§5, Account status' (a subsection keeps its number: '§5.2, Account status')."""
    title = SECTIONS.get(section.split(".")[0])
    return f"{section}, {title}" if title else section


SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
SECTION = r"^§\d+(\.\d+)?$"


class CountsWhen(Strict):
    """When an objective that holds starts to count: until `predicate` holds, it gives no points
    (it could not have been failed yet). `text` ends "done, counts when ..." on the panel."""

    text: str = Field(min_length=1)  # e.g. "you ask for the deletion"
    predicate: Predicate


class Objective(Strict):
    id: str = Field(pattern=SLUG)
    title: str = Field(min_length=1)
    weight: PositiveInt = Field(le=100)
    section: str = Field(pattern=SECTION)  # of the rulebook, e.g. "§3"
    lesson: str = Field(min_length=1)  # shown when it is missed: what a careful seller does
    predicate: Predicate
    required: bool = False  # the attempt fails without it, whatever the score
    counts_when: CountsWhen | None = None


class Forbidden(Strict):
    """A move that costs `penalty` points each time it is on the timeline."""

    id: str = Field(pattern=SLUG)
    title: str = Field(min_length=1)
    event: Match
    penalty: int = Field(ge=0, le=100)
    section: str = Field(pattern=SECTION)
    lesson: str = Field(min_length=1)
    fail: bool = False  # made once, the attempt fails whatever the score


class Hint(Strict):
    text: str = Field(min_length=1)
    cost: int = Field(ge=0, le=100)


class Careless(Strict):
    """A careless run the tests play: it must fail and miss exactly these objectives."""

    steps: list[Step] = Field(min_length=1)
    misses: list[str] = Field(default_factory=list)
    breaks: list[str] = Field(default_factory=list)  # forbidden moves it makes

    @model_validator(mode="after")
    def _fails_somehow(self):
        if not self.misses and not self.breaks:
            raise ValueError("expected the careless run to miss an objective or make a move")
        return self


class Alternative(Strict):
    """Another right way to the same end: played like the reference, it must score 100."""

    title: str = Field(min_length=1)
    steps: list[Step] = Field(min_length=1)


class Scenario(Strict):
    slug: str = Field(pattern=SLUG, max_length=80)
    title: str = Field(min_length=1, max_length=80)
    audience: Literal["trainee", "support"]
    # The editions of the rules it is written for (RULEBOOK §12): it runs only under them.
    editions: list[EditionKey] = Field(default_factory=lambda: list(WRITTEN_FOR), min_length=1)
    brief: str = Field(min_length=1)
    pass_mark: int = Field(ge=1, le=100)
    time_budget_days: float | None = Field(default=None, gt=0)
    world: World
    objectives: list[Objective] = Field(min_length=1)
    forbidden: list[Forbidden] = Field(default_factory=list)
    hints: list[Hint] = Field(default_factory=list)
    solution: list[Step] = Field(min_length=1)
    alternatives: list[Alternative] = Field(default_factory=list)
    careless: Careless
    # Whether an attempt rewound to before one of its steps can pass ("graded") or is practice.
    rewind: Literal["practice", "graded"] = "graded"

    @model_validator(mode="after")
    def _consistent(self):
        ids = [o.id for o in self.objectives] + [f.id for f in self.forbidden]
        if len(set(ids)) != len(ids):
            raise ValueError("expected each objective and forbidden move id once")
        unknown = sorted(set(self.careless.misses) - {o.id for o in self.objectives})
        unknown += sorted(set(self.careless.breaks) - {f.id for f in self.forbidden})
        if unknown:
            raise ValueError(f"expected careless.misses/breaks to name ids of this file: {unknown}")
        shops = {s.name for s in self.world.shops}
        videos = self.world.videos_titles()
        alternatives = [s for a in self.alternatives for s in a.steps]
        for step in [*self.solution, *alternatives, *self.careless.steps]:
            if step.video is not None and step.video not in videos:
                raise ValueError(f"expected a step's video to be one of the world's: {step.video}")
            if step.shop is not None and step.shop not in shops:
                raise ValueError(f"expected a step's shop to be one of: {', '.join(sorted(shops))}")
            if step.sku is not None and step.sku not in self.world.skus():
                raise ValueError(f"expected a step's sku to be one of the world's: {step.sku}")
        if self.world.deletion is not None and self.audience != "support":
            raise ValueError(
                "expected world.deletion only in support scenarios (a trainee requests their own)"
            )
        return self

    @property
    def total_weight(self) -> int:
        return sum(o.weight for o in self.objectives)

    def runs(self) -> dict[str, list[Step]]:
        """Every script of the file by name: the reference, each alternative, the careless run."""
        found = {"reference": list(self.solution)}
        for n, alternative in enumerate(self.alternatives, start=1):
            found[f"alternative {n}"] = list(alternative.steps)
        found["careless"] = list(self.careless.steps)
        return found

    def objective(self, objective_id: str) -> Objective:
        return next(o for o in self.objectives if o.id == objective_id)
