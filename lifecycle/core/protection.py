"""The production app's guard on declared states: only `lifecycle.core.apply` writes them.

In the spirit of django-fsm-2's `protected=True`, for the fields the declaration names (each
machine's model and field in `lifecycle.transitions.MACHINES`), outside `apply` and outside a
world builder (`building()`):

- `save()` of a row whose declared state changed since it was loaded raises
  `ProtectedStateError` (a model-level check: a `pre_save` of each declared model, comparing
  with the value the row was loaded with, and with the stored one when they differ);
- an UPDATE that names a declared column and not the whole row (`queryset.update(status=...)`,
  `save(update_fields=["status"])`) raises it too (a wrapper on every database connection).

The test suite's write guard (`tests/engine_guard.py`) builds on `written` and adds inserts.
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from typing import Any

from django.db import models
from django.db.backends.signals import connection_created
from django.db.models.signals import post_init, post_migrate, post_save, pre_migrate, pre_save

from .engine import applying

UPDATE = re.compile(
    r'^\s*UPDATE\s+"(?P<table>[^"]+)"\s+SET\s+(?P<set>.*?)(?:\s+WHERE\s|$)', re.I | re.S
)
ASSIGNED = re.compile(r'"(\w+)"\s*=')
LOADED = "_declared_states_loaded"  # the declared values a row was loaded (or last saved) with

_BUILDING: ContextVar[int] = ContextVar("lifecycle_building", default=0)
_UNGUARDED: ContextVar[int] = ContextVar("lifecycle_unguarded", default=0)


class ProtectedStateError(RuntimeError):
    """A declared state written outside the engine."""


@contextmanager
def building() -> Iterator[None]:
    """A world builder (the demo, a scenario's world, the benchmarks) or a test's arrangement
    puts rows in any state on purpose: the guard lets it write."""
    token = _BUILDING.set(_BUILDING.get() + 1)
    try:
        yield
    finally:
        _BUILDING.reset(token)


def is_building() -> bool:
    return _BUILDING.get() > 0


@contextmanager
def unguarded() -> Iterator[None]:
    """This guard off, for the test suite's own (`tests.engine_guard.arranging`), which then
    decides what a test may write."""
    token = _UNGUARDED.set(_UNGUARDED.get() + 1)
    try:
        yield
    finally:
        _UNGUARDED.reset(token)


_MIGRATING = [False]  # `migrate` runs: the schema editor may fill a column (UPDATE ... IS NULL)


def allowed() -> bool:
    """Whether a declared state may be written now: by `apply`, or by a builder."""
    return applying() or is_building() or _UNGUARDED.get() > 0 or _MIGRATING[0]


@cache
def declared_fields() -> dict[type[models.Model], dict[str, str]]:
    """{model: {field: machine name}} of every declared machine that has a field."""
    from lifecycle.transitions import MACHINES

    found: dict[type[models.Model], dict[str, str]] = {}
    for machine in MACHINES.values():
        if machine.model is not None and machine.field:
            found.setdefault(machine.model, {})[machine.field] = machine.name
    return found


def _column(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field) and field.column  # nosec B101  # a concrete field
    return field.column


@cache
def declared_columns() -> dict[str, set[str]]:
    """{table: declared columns}."""
    return {
        model._meta.db_table: {_column(model, name) for name in fields}
        for model, fields in declared_fields().items()
    }


@cache
def _row_widths() -> dict[str, int]:
    return {
        model._meta.db_table: len([f for f in model._meta.concrete_fields if not f.primary_key])
        for model in declared_fields()
    }


def written(sql: str) -> set[str]:
    """The declared columns ("table.column") an UPDATE names, unless it names the whole row (a
    whole-row save(), checked against the loaded row by `pre_save` instead)."""
    found = UPDATE.match(sql)
    if found is None or found["table"] not in declared_columns():
        return set()
    assigned = set(ASSIGNED.findall(found["set"]))
    if len(assigned) >= _row_widths()[found["table"]]:
        return set()
    return {f"{found['table']}.{c}" for c in assigned & declared_columns()[found["table"]]}


def _refuse(what: str, detail: str) -> ProtectedStateError:
    return ProtectedStateError(
        f"{what} is a declared state: it changes only through its transition "
        f"(lifecycle.core.apply, called by a service), never by a direct write ({detail})."
    )


def refuse_direct_updates(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
    """The connection wrapper: an UPDATE of a declared column outside the engine is refused."""
    if sql[:6].upper() == "UPDATE" and not allowed():
        columns = written(sql)
        if columns:
            raise _refuse(", ".join(sorted(columns)), "an UPDATE naming it")
    return execute(sql, params, many, context)


def _remember(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    fields = declared_fields().get(sender, {})
    instance.__dict__[LOADED] = {n: instance.__dict__[n] for n in fields if n in instance.__dict__}


def _check_save(
    sender: type[models.Model],
    instance: models.Model,
    raw: bool = False,
    update_fields: Any = None,
    **kwargs: Any,
) -> None:
    if raw or instance._state.adding or allowed():
        return
    loaded: dict[str, Any] = instance.__dict__.get(LOADED, {})
    for name, machine in declared_fields().get(sender, {}).items():
        if name not in instance.__dict__ or (
            update_fields is not None and name not in update_fields
        ):
            continue  # not loaded (deferred) or not saved: not written
        value = instance.__dict__[name]
        if name in loaded and loaded[name] == value:
            continue
        # Changed since loaded, or reloaded since (refresh_from_db): the stored value decides.
        stored = sender._base_manager.filter(pk=instance.pk).values_list(name, flat=True).first()
        if stored != value:
            what = f"{sender.__name__}.{name} ({machine})"
            raise _refuse(what, f"save() would write {value!r} over {stored!r}")


def _saved(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    _remember(sender, instance)


def _wrap(sender: Any, connection: Any, **kwargs: Any) -> None:
    if refuse_direct_updates not in connection.execute_wrappers:
        connection.execute_wrappers.append(refuse_direct_updates)


def _migrating(sender: Any, **kwargs: Any) -> None:
    _MIGRATING[0] = True


def _migrated(sender: Any, **kwargs: Any) -> None:
    _MIGRATING[0] = False


def _protect(model: type[models.Model]) -> None:
    uid = f"declared-state-{model._meta.label_lower}"
    post_init.connect(_remember, sender=model, dispatch_uid=uid, weak=False)
    pre_save.connect(_check_save, sender=model, dispatch_uid=uid, weak=False)
    post_save.connect(_saved, sender=model, dispatch_uid=uid, weak=False)


def _registered(machine: Any) -> None:
    """A machine registered (or taken off) after start-up: its fields are declared from now on."""
    for cached in (declared_fields, declared_columns, _row_widths):
        cached.cache_clear()
    if machine.model is not None and machine.field and machine.model in declared_fields():
        _protect(machine.model)


def install() -> None:
    """Connect the guard (the lifecycle app's `ready()`): every declared model, every
    connection opened from now on, and the connections open already."""
    from django.db import connections

    from lifecycle.transitions.registry import on_register

    for model in declared_fields():
        _protect(model)
    on_register(_registered)
    connection_created.connect(_wrap, dispatch_uid="declared-state-updates", weak=False)
    pre_migrate.connect(_migrating, dispatch_uid="declared-state-migrating", weak=False)
    post_migrate.connect(_migrated, dispatch_uid="declared-state-migrated", weak=False)
    for connection in connections.all(initialized_only=True):
        _wrap(None, connection)
