"""A guard on the test database: a declared state written outside `lifecycle.core.apply` fails
the test that wrote it.

The columns come from the declaration (`lifecycle.transitions.MACHINES`: each machine's model
and field). Three ways to write one: an UPDATE naming the column (`queryset.update()`,
`save(update_fields=...)`), seen on the connection; a whole-row `save()`, which names every
column, so it counts only when the state's value changed (a pre_save check against the row);
and an insert of a row in a state other than its field's default, the state a new row starts
in (a post_save check of created rows). The production app refuses the first two itself
(`lifecycle.core.protection`); this guard notes them too, and the inserts.

Test set-up that puts a row in a state directly, as a shortcut to a situation the services would
take many steps to reach, says so with `arranging()` (the factories do); the world builders of
the product (the demo, a scenario's world) say so with `lifecycle.core.protection.building()`.
"""

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from lifecycle.core import applying, protection


def declared_columns() -> dict[str, set[str]]:
    return protection.declared_columns()


class WriteGuard:
    """Notes every write of a declared state column made outside the engine."""

    def __init__(self) -> None:
        self.columns = declared_columns()
        self.fields = protection.declared_fields()
        self.violations: list[str] = []
        self.paused = 0

    @property
    def watching(self) -> bool:
        return not self.paused and not applying() and not protection.is_building()

    def written(self, sql: str) -> set[str]:
        """The declared columns an UPDATE names, unless it is a whole-row save (see pre_save)."""
        return protection.written(sql)

    def __call__(self, execute, sql, params, many, context):
        if self.watching:
            for column in sorted(self.written(sql)):
                self.violations.append(f"{column} written outside the engine: {sql[:160]}")
        return execute(sql, params, many, context)

    def pre_save(self, sender, instance, update_fields=None, **kwargs) -> None:
        """A whole-row save() of a declared model that changes its state."""
        names = self.fields.get(sender)
        if not names or update_fields is not None or instance.pk is None or not self.watching:
            return
        if instance._state.adding:
            return  # an insert: see post_save
        for name in names:
            stored = sender.objects.filter(pk=instance.pk).values_list(name, flat=True).first()
            if stored is not None and stored != getattr(instance, name):
                table = sender._meta.db_table
                self.violations.append(f"{table}.{name} changed by save() outside the engine")

    def post_save(self, sender, instance, created=False, raw=False, **kwargs) -> None:
        """A row inserted in a state other than the one a new row starts in."""
        names = self.fields.get(sender)
        if not names or not created or raw or not self.watching:
            return
        for name in names:
            initial = sender._meta.get_field(name).get_default()
            value = getattr(instance, name)
            if value != initial:
                table = sender._meta.db_table
                self.violations.append(
                    f"{table}.{name} created as {value!r} (a new row starts as {initial!r}) "
                    "outside the engine: arrange it with tests.engine_guard.arranging()"
                )


ACTIVE: list[WriteGuard] = []


@contextmanager
def arranging() -> Iterator[None]:
    """Test set-up that writes a declared state directly, on purpose."""
    for guard in ACTIVE:
        guard.paused += 1
    try:
        with ExitStack() as stack:
            stack.enter_context(protection.unguarded())  # the production guard lets it too
            yield
    finally:
        for guard in ACTIVE:
            guard.paused -= 1
