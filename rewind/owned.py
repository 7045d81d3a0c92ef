"""Which models hold a sandbox's rows: found from the foreign keys, never listed by hand.

A model holds rows of a sandbox when one of its foreign keys, deleted with its target
(CASCADE), leads to the sandbox directly or through a model that does (an order through its
account). A new model is then copied by every checkpoint without anyone adding it here; one
that points at a sandbox without being part of it is named in NOT_HELD with why, and
tests/rewind/test_owned.py fails for a model that is neither.
"""

from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.db import models

from accounts.models import Sandbox

# Models that refer to a sandbox but are not what it holds.
NOT_HELD: dict[str, str] = {
    "training.attempt": "a play of a scenario in the sandbox; a rewind makes a new attempt",
    "rewind.checkpoint": "a copy of the sandbox kept beside it, not inside it",
}


@dataclass(frozen=True)
class Held:
    model: type[models.Model]
    path: str  # the lookup from the model to its sandbox's id: "account__sandbox_id"

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    def rows_of(self, sandbox_id: int) -> models.QuerySet:
        return self.model._base_manager.filter(**{self.path: sandbox_id}).order_by("pk")


def target_of(field: models.ForeignKey) -> type[models.Model]:
    """The model a foreign key points at (a name only before the apps are loaded)."""
    model = field.related_model
    if isinstance(model, str):
        raise TypeError(f"{field} is not resolved yet.")
    return model


def _foreign_keys(model: type[models.Model]) -> list[models.ForeignKey]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey)]


@cache
def held_models() -> tuple[Held, ...]:
    """Every model holding sandbox rows, each after the model its path goes through."""
    found: dict[type[models.Model], str] = {Sandbox: "id"}
    order: list[Held] = []
    candidates = [m for m in apps.get_models() if m._meta.label_lower not in NOT_HELD]
    changed = True
    while changed:
        changed = False
        for model in candidates:
            if model in found:
                continue
            for field in _foreign_keys(model):
                target = target_of(field)
                if field.remote_field.on_delete is models.CASCADE and target in found:
                    through = "_id" if target is Sandbox else f"__{found[target]}"
                    found[model] = path = f"{field.name}{through}"
                    order.append(Held(model, path))
                    changed = True
                    break
    return tuple(order)


def held_labels() -> dict[str, Held]:
    return {held.label: held for held in held_models()}


def refers_to_a_sandbox(model: type[models.Model]) -> bool:
    """Whether any foreign key of the model leads to a sandbox or a row one holds."""
    targets = {Sandbox} | {held.model for held in held_models()}
    return any(target_of(field) in targets for field in _foreign_keys(model))
