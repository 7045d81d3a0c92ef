"""A guard on the test database: a declared state written outside `lifecycle.core.apply` fails
the test that wrote it.

The columns come from the declaration (`lifecycle.transitions.MACHINES`: each machine's model
and field). Two ways to write one: an UPDATE naming the column (`queryset.update()`,
`save(update_fields=...)`), seen on the connection; and a whole-row `save()`, which names every
column, so it counts only when the state's value changed (a pre_save check against the row).
Test set-up that puts a row in a state directly, as a shortcut to a situation the services would
take many steps to reach, says so with `arranging()`.
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager

from lifecycle.core import applying
from lifecycle.transitions import MACHINES

UPDATE = re.compile(
    r'^\s*UPDATE\s+"(?P<table>[^"]+)"\s+SET\s+(?P<set>.*?)(?:\s+WHERE\s|$)', re.I | re.S
)
ASSIGNED = re.compile(r'"(\w+)"\s*=')


def declared_columns() -> dict[str, set[str]]:
    columns: dict[str, set[str]] = {}
    for machine in MACHINES.values():
        if machine.model is None or not machine.field:
            continue
        table = machine.model._meta.db_table
        columns.setdefault(table, set()).add(machine.model._meta.get_field(machine.field).column)
    return columns


def _row_width(table: str) -> int:
    model = next(m.model for m in MACHINES.values() if m.model and m.model._meta.db_table == table)
    return len([f for f in model._meta.concrete_fields if not f.primary_key])


class WriteGuard:
    """Notes every write of a declared state column made outside the engine."""

    def __init__(self) -> None:
        self.columns = declared_columns()
        self.widths = {table: _row_width(table) for table in self.columns}
        self.fields = {
            machine.model: machine.field
            for machine in MACHINES.values()
            if machine.model is not None and machine.field
        }
        self.violations: list[str] = []
        self.paused = 0

    @property
    def watching(self) -> bool:
        return not self.paused and not applying()

    def written(self, sql: str) -> set[str]:
        """The declared columns an UPDATE names, unless it is a whole-row save (see pre_save)."""
        found = UPDATE.match(sql)
        if found is None or found["table"] not in self.columns:
            return set()
        assigned = set(ASSIGNED.findall(found["set"]))
        if len(assigned) >= self.widths[found["table"]]:
            return set()
        return {f"{found['table']}.{c}" for c in assigned & self.columns[found["table"]]}

    def __call__(self, execute, sql, params, many, context):
        if self.watching:
            for column in sorted(self.written(sql)):
                self.violations.append(f"{column} written outside the engine: {sql[:160]}")
        return execute(sql, params, many, context)

    def pre_save(self, sender, instance, update_fields=None, **kwargs) -> None:
        """A whole-row save() of a declared model that changes its state."""
        name = self.fields.get(sender)
        if name is None or update_fields is not None or instance.pk is None or not self.watching:
            return
        stored = sender.objects.filter(pk=instance.pk).values_list(name, flat=True).first()
        if stored is not None and stored != getattr(instance, name):
            table = sender._meta.db_table
            self.violations.append(f"{table}.{name} changed by save() outside the engine")


ACTIVE: list[WriteGuard] = []


@contextmanager
def arranging() -> Iterator[None]:
    """Test set-up that writes a declared state directly, on purpose."""
    for guard in ACTIVE:
        guard.paused += 1
    try:
        yield
    finally:
        for guard in ACTIVE:
            guard.paused -= 1
