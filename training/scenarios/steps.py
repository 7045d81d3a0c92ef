"""One step of a script (a reference solution, an alternative, or the careless run), and the one
registry of every step a script can take.

Each entry of `STEPS` is one thing a seller (or a support agent) can do in the simulator: what
the step needs besides `do`, how the trainee says it (`say`), and how it is played (`run`),
through the same service the page calls. `training.script` plays a step by looking it up here;
a step not in the registry is refused when the file is read, never skipped when it is played.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, NonNegativeInt, PositiveFloat, model_validator

from lifecycle.wording import count

from .fields import AppName, CategoryName, ListingName, Strict, TypeName


@dataclass(frozen=True)
class StepKind:
    name: str
    needs: tuple[str, ...]
    run: Callable[[Any, "Step", Any], None]  # (player, step, actor)
    say: Callable[["Step"], str]
    staff: Callable[["Step"], str] | None = None  # how it reads when support staff take it


STEPS: dict[str, StepKind] = {}


def step(
    name: str,
    *,
    needs: tuple[str, ...] = (),
    say: Callable[["Step"], str],
    staff: Callable[["Step"], str] | None = None,
):
    """Register the function that plays the step `name`; each name once."""

    def register(run: Callable) -> Callable:
        if name in STEPS:
            raise ValueError(f"the step {name} is registered twice")
        STEPS[name] = StepKind(name, needs, run, say, staff)
        return run

    return register


def _known(name: str) -> str:
    if name not in STEPS:
        raise ValueError(f"expected a step, one of: {', '.join(sorted(STEPS))} (got {name!r})")
    return name


class Step(Strict):
    do: Annotated[str, AfterValidator(_known)]
    by: Literal["seller", "staff"] = "seller"
    shop: str | None = None
    hours: PositiveFloat | None = None
    type: TypeName | None = None
    category: CategoryName | None = None
    name: str | None = None
    budget: Decimal = Field(default=Decimal("50"), ge=0)
    sku: str | None = None
    status: ListingName | None = None
    app: AppName | None = None
    title: str | None = None
    price: Decimal | None = Field(default=None, ge=0)
    stock: NonNegativeInt | None = None
    text: str | None = None  # a reply to an inquiry
    video: str | None = None  # a video's title
    sound: str | None = None  # a key of studio.sounds.LIBRARY
    link: Literal["newest", "first"] = "newest"  # which emailed confirmation link
    page: Literal["linked_accounts", "shop_settings"] = "linked_accounts"  # where an unlink is
    why: str = ""  # shown beside the step: what a careful seller is thinking
    reason: str | None = None  # a staff step's reason, recorded on its event

    @model_validator(mode="after")
    def _has_what_it_needs(self):
        kind = STEPS[self.do]
        missing = [f for f in kind.needs if getattr(self, f) is None]
        if missing:
            raise ValueError(f"expected {', '.join(missing)} for a {self.do} step")
        if self.by == "staff" and not (self.reason or "").strip():
            raise ValueError("expected a reason for a staff step: staff always say why they act")
        if self.by == "staff" and kind.staff is None:
            raise ValueError(f"expected a step support staff can take ({', '.join(STAFF_STEPS)})")
        return self

    @property
    def kind(self) -> StepKind:
        return STEPS[self.do]

    def describe(self) -> str:
        staff = self.kind.staff  # a staff step has one: `_has_what_it_needs` checked it
        if self.by == "staff" and staff is not None:
            return staff(self)
        return self.kind.say(self)


def words(value: str | None) -> str:
    """A value of the domain's vocabulary in words: "sold_out" is "sold out"."""
    return (value or "").replace("_", " ")


def span(hours: float | None) -> str:
    """'20 days and 1 hour', '19 hours': a clock move in words."""
    days, rest = divmod(round((hours or 0) * 60), 24 * 60)
    whole_hours, minutes = divmod(rest, 60)
    parts = [count(days, "day")] if days else []
    if whole_hours:
        parts.append(count(whole_hours, "hour"))
    if minutes:
        parts.append(count(minutes, "minute"))
    if not parts:
        return "0 hours"
    return " and ".join([", ".join(parts[:-1]), parts[-1]] if len(parts) > 1 else parts)


# The bodies of the steps are in training.scenarios.playbook, which registers them with `step`.
from . import playbook  # noqa: E402,F401

STAFF_STEPS = tuple(sorted(name for name, kind in STEPS.items() if kind.staff))
