"""The machines every app registers, and what the engine and the pages read from them.

Each app declares its machines next to its models (`accounts/transitions/`, `shops/transitions/`,
`studio/transitions.py`, the lifecycle app's own in this package) and registers them with
`register` when its module is imported; the apps' `ready()` import them. A machine carries its
event kind and how its subject is named, so a new subject edits nothing here nor in the core.

Reading anything here first imports every installed app's `transitions` module (the way the
admin finds `admin.py`), so a page or a test asking early sees the whole declaration.
"""

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, overload

from django.db import models

from .base import PREVIOUS, Kind, Machine, Subject, Transition

# Where the account's pages list each group of its transitions (`register(..., rank=)`): the
# links 10, the account's status and type 20, the deletion request 30, a listing's status 40,
# the apps' access 50, the announcement 60, the exports 70, the shop's orders, inquiries and
# campaigns 80, the product's edit 90. Equal ranks keep the order they were registered in.


@dataclass
class _Entry:
    transition: Transition
    offered: bool  # listed with the account's actions (BY_ACTION); else found by key only
    rank: int
    seq: int


_machines: dict[str, Machine] = {}
_entries: list[_Entry] = []
_listeners: list[Callable[[Machine], None]] = []
_derived: dict[str, Any] = {}
_discovered = [False]


def register(
    *machines: Machine,
    transitions: Iterable[Transition] = (),
    other: Iterable[Transition] = (),
    rank: int = 100,
) -> None:
    """Declare `machines` and their transitions: `transitions` are offered on the account's pages
    at `rank`; `other` are applied by the same core but offered elsewhere (or never)."""
    transitions, other = tuple(transitions), tuple(other)
    for transition in (*transitions, *other):
        if transition.target == PREVIOUS and transition.target_of is None:
            raise ValueError(f"{transition.key} goes to PREVIOUS: it needs its target_of.")
    for machine in machines:
        known = _machines.get(machine.name)
        if known is not None and known is not machine:
            raise ValueError(f"Two machines are named {machine.name!r}.")
        subject = machine.subject
        for other_machine in _machines.values():
            clash = other_machine.subject
            if other_machine is not machine and subject and clash and clash.model is subject.model:
                raise ValueError(f"{machine.name} and {other_machine.name} name one subject.")
        _machines[machine.name] = machine
    for offered, group in ((True, transitions), (False, other)):
        for transition in group:
            if any(e.transition is transition for e in _entries):
                continue
            _entries.append(_Entry(transition, offered, rank, len(_entries)))
    _derived.clear()
    for machine in machines:
        for listener in _listeners:
            listener(machine)


def unregister(*machines: Machine) -> None:
    """Take `machines` and their transitions off (a test's throw-away machine)."""
    names = {m.name for m in machines}
    for name in names:
        _machines.pop(name, None)
    _entries[:] = [e for e in _entries if e.transition.machine not in names]
    _derived.clear()
    for machine in machines:
        for listener in _listeners:
            listener(machine)


def on_register(listener: Callable[[Machine], None]) -> None:
    """Call `listener` with each machine registered or taken off from now on."""
    _listeners.append(listener)


def _discover() -> None:
    """Import each installed app's machines: its `machines` module when its AppConfig names one
    (this app's: the engine's own package is `lifecycle.transitions`), else `<app>.transitions`."""
    if _discovered[0]:
        return
    _discovered[0] = True
    from importlib import import_module
    from importlib.util import find_spec

    from django.apps import apps

    for config in apps.get_app_configs():
        module = getattr(config, "machines", f"{config.name}.transitions")
        if find_spec(module) is not None:
            import_module(module)


def _derive(name: str) -> Any:
    _discover()
    if name not in _derived:
        ordered = sorted(_entries, key=lambda e: (e.rank, e.seq))
        offered = tuple(e.transition for e in ordered if e.offered)
        other = tuple(e.transition for e in _entries if not e.offered)
        by_action: dict[str, Transition] = {}
        for t in offered:
            by_action.setdefault(t.action, t)  # one action, two transitions: the first is offered
        subjects = {m.subject.model: m.subject for m in _machines.values() if m.subject}
        _derived.update(
            transitions=offered,
            other=other,
            by_action=by_action,
            by_key={t.key: t for t in (*offered, *other)},
            subjects=subjects,
            # The machine of a timeline event, from its subject type (a shop's is its link's).
            subject_machines={
                m.subject.type: m.name
                for m in _machines.values()
                if m.subject and m.subject.type != m.name
            },
        )
    return _derived[name]


K = TypeVar("K")
V = TypeVar("V")


class _Live(Mapping[K, V]):
    """A read-only view of the registry, current whatever app registered last."""

    def __init__(self, read: Callable[[], Mapping[K, V]]) -> None:
        self._read = read

    def __getitem__(self, key: K) -> V:
        return self._read()[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._read())

    def __len__(self) -> int:
        return len(self._read())

    def __repr__(self) -> str:
        return repr(dict(self._read()))


class _LiveTuple(Sequence[Transition]):
    def __init__(self, name: str) -> None:
        self._name = name

    @overload
    def __getitem__(self, index: int) -> Transition: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Transition]: ...

    def __getitem__(self, index: int | slice) -> Transition | Sequence[Transition]:
        found: tuple[Transition, ...] = _derive(self._name)
        return found[index]

    def __len__(self) -> int:
        return len(_derive(self._name))


def _all_machines() -> dict[str, Machine]:
    _discover()
    return _machines


MACHINES: Mapping[str, Machine] = _Live(_all_machines)
# The transitions the account's pages offer, in the order they list them (by rank).
TRANSITIONS: Sequence[Transition] = _LiveTuple("transitions")
# Applied by the same core, offered elsewhere: the deletion request's moves (made with the
# account's), the export builder's silent moves, the sandbox's clock, the studio's...
OTHER_TRANSITIONS: Sequence[Transition] = _LiveTuple("other")
BY_ACTION: Mapping[str, Transition] = _Live(lambda: _derive("by_action"))
BY_KEY: Mapping[str, Transition] = _Live(lambda: _derive("by_key"))


def kind_of(name: str) -> Kind:
    """The event kind a transition names (its `event`, else its machine's name)."""
    kind = MACHINES[name].kind
    if kind is None:
        raise KeyError(f"The {name} machine writes no event.")
    return kind


def subject_for(model: type[models.Model]) -> Subject | None:
    found: dict[type[models.Model], Subject] = _derive("subjects")
    return found.get(model)


def machine_of(subject_type: str) -> str:
    """The machine of a timeline event, from its subject type (an app's is "app:<name>")."""
    name = subject_type.split(":", 1)[0]
    found: dict[str, str] = _derive("subject_machines")
    return found.get(name, name)
