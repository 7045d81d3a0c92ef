"""What a page asks of a row's declared machine, instead of comparing state strings.

`{% if order|allows:"ship_order" %}`: the row is in a source state of the declared transition
(the page's control follows the declaration when its sources change).
`{% if p|in_state:"active" %}`: the row's machine is in that state; a state the machine does
not declare is an error when the page renders, so a renamed state fails the page's tests
instead of hiding a control.
`{{ job|tone }}`: the badge class the machine declares for the row's state.
"""

from django import template
from django.db import models

from lifecycle.transitions import BY_KEY, MACHINES, Machine

register = template.Library()


def machine_of_row(row: models.Model) -> Machine:
    """The declared machine whose state lives in a field of `row`'s model (the first declared,
    for a model with two: an account's status before its type)."""
    for machine in MACHINES.values():
        if machine.model is type(row) and machine.core_writes and machine.field:
            return machine
    raise LookupError(f"No declared machine keeps its state on {type(row).__name__}.")


def _state(row: models.Model, machine: Machine) -> str:
    return getattr(row, machine.field)


@register.filter
def in_state(row: models.Model | None, state: str) -> bool:
    """The row's machine is in `state` (a missing row, a page without an account, is in none)."""
    if row is None:
        return False
    machine = machine_of_row(row)
    if state not in machine.states:
        raise ValueError(f"{state!r} is not a state of the {machine.name} machine.")
    return _state(row, machine) == state


@register.filter
def allows(row: models.Model | None, action: str) -> bool:
    """The row is in a state the declared transition `action` starts from."""
    transition = BY_KEY[action]
    if row is None:
        return False
    machine = machine_of_row(row)
    if transition.machine != machine.name:
        raise ValueError(f"{action} is not a transition of the {machine.name} machine.")
    return _state(row, machine) in transition.sources


@register.filter
def tone(row: models.Model) -> str:
    """The Bootstrap badge class of the row's state, as its machine declares it."""
    machine = machine_of_row(row)
    return machine.tones.get(_state(row, machine), machine.tones.get("", "text-bg-light"))
