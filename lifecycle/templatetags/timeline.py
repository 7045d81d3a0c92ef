"""How the timeline words a change: the states as the declared machines name them."""

from django import template

from lifecycle.transitions import machine_of, state_label

register = template.Library()


@register.filter
def change(event) -> str:
    """ "Active → Deactivated" for an event that moved its subject; "" for one that did not."""
    if event.before == event.after:
        return ""
    machine = machine_of(event.subject_type)
    return f"{state_label(machine, event.before)} → {state_label(machine, event.after)}"
