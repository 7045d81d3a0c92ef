"""Reading every row a sandbox holds, and writing a copy of them into a sandbox.

The rows are read with `values()` in id order and written back with raw INSERTs, so the copy
keeps every column as it was (a `created` or `real_time` that `auto_now_add` would overwrite
too); new ids are taken from each table's sequence in the same order, so a copy's rows keep the
original's order. Files (an export's ZIP) are copied, never shared.
"""

import posixpath
import uuid
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connection, connections, models

from accounts.models import Sandbox

from .owned import held_models, target_of
from .references import Renumbering

Rows = dict[str, list[dict[str, Any]]]
PARAMETERS_PER_STATEMENT = 20_000  # PostgreSQL takes up to 65,535 parameters a statement


def read_rows(sandbox_id: int) -> Rows:
    """Every row the sandbox holds, per model label, as column name to value."""
    rows: Rows = {}
    for held in held_models():
        names = [field.attname for field in held.model._meta.concrete_fields]
        rows[held.label] = list(held.rows_of(sandbox_id).values(*names))
    return rows


def _file_fields(model: type[models.Model]) -> list[models.FileField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def stored_files(rows: Rows) -> list[str]:
    """The names of the files the rows point at that are in storage."""
    names = []
    for held in held_models():
        for field in _file_fields(held.model):
            for row in rows.get(held.label, []):
                name = row[field.attname]
                if name and default_storage.exists(name):
                    names.append(name)
    return names


def keep_files(rows: Rows) -> dict[str, str]:
    """A copy of each file the rows point at, for a checkpoint: file name to copy's name."""
    folder = f"checkpoints/{uuid.uuid4().hex}"
    kept = {}
    for name in stored_files(rows):
        with default_storage.open(name) as source:
            copy = posixpath.join(folder, posixpath.basename(name))
            kept[name] = default_storage.save(copy, ContentFile(source.read()))
    return kept


def remove_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def _allocate(cursor: Any, model: type[models.Model], count: int) -> list[int]:
    if not count:
        return []
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
        [model._meta.db_table, model._meta.pk.column, count],
    )
    return [row[0] for row in cursor.fetchall()]


class _Writer:
    def __init__(self, renumbering: Renumbering, files: dict[str, str]):
        self.renumbering = renumbering
        self.files = files
        self.new_files: list[str] = []

    def value(self, field: models.Field, row: dict[str, Any]) -> Any:
        value = row[field.attname]
        ids = self.renumbering.ids
        if field.primary_key:
            return ids[field.model._meta.label_lower][value]
        if isinstance(field, models.ForeignKey):
            target = target_of(field)._meta.label_lower
            if value is None or target not in ids:
                return value  # a row outside the sandbox (a user): shared on purpose
            if value not in ids[target] and not field.null:
                raise ValueError(f"{field} names {target} {value}, which the copy lacks.")
            return ids[target].get(value)
        value = field.to_python(value)
        if value is None:
            return value
        return self.rewritten(field, row, value)

    def rewritten(self, field: models.Field, row: dict[str, Any], value: Any) -> Any:
        renumbering = self.renumbering
        if isinstance(field, models.FileField):
            return self.copy_file(str(value))
        if field.name == "subject_id" and "subject_type" in row:
            return renumbering.subject(row["subject_type"], value)
        if isinstance(field, models.JSONField):
            return renumbering.json(value)
        if field.name == "dedupe_key":
            return renumbering.dedupe_key(value)
        if isinstance(value, str):
            return renumbering.text(value)
        return value

    def copy_file(self, name: str) -> str:
        source = self.files.get(name)
        if not name or source is None:
            return name  # not in storage when it was read: nothing to share
        with default_storage.open(source) as handle:
            copy = default_storage.save(
                posixpath.join(posixpath.dirname(name), posixpath.basename(name)),
                ContentFile(handle.read()),
            )
        self.new_files.append(copy)
        return copy

    def insert(self, cursor: Any, model: type[models.Model], rows: list[dict[str, Any]]) -> None:
        """One multi-row INSERT per batch (a statement per row costs a round trip each)."""
        if not rows:
            return
        db = connections[DEFAULT_DB_ALIAS]  # the connection itself, not the proxy per value
        fields = model._meta.concrete_fields
        quote = db.ops.quote_name
        table, columns = quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields)
        marks = "(" + ", ".join(["%s"] * len(fields)) + ")"
        per_batch = max(1, PARAMETERS_PER_STATEMENT // len(fields))
        for start in range(0, len(rows), per_batch):
            batch = rows[start : start + per_batch]
            values = [
                value
                for row in batch
                for value in (f.get_db_prep_save(self.value(f, row), db) for f in fields)
            ]
            tuples = ", ".join([marks] * len(batch))
            # Names from the models' own declarations, every value a parameter.
            sql = f"INSERT INTO {table} ({columns}) VALUES {tuples}"  # noqa: S608  # nosec B608
            cursor.execute(sql, values)


def write_rows(
    rows: Rows, *, into: Sandbox, source_id: int, files: dict[str, str]
) -> tuple[Renumbering, list[str]]:
    """Write a copy of `rows` (read from sandbox `source_id`) into sandbox `into`, with new ids.

    `files` maps each file name the rows point at to the stored file to copy it from. Returns
    the renumbering (old id to new, per model) and the names of the files written.
    Runs as a world builder: the rows' states are written as they were, not transitioned.
    """
    from lifecycle.core.protection import building

    names = {held.model._meta.model_name or "": held.label for held in held_models()}
    renumbering = Renumbering(names)
    renumbering.ids["accounts.sandbox"] = {source_id: into.pk}
    writer = _Writer(renumbering, files)
    with building(), connection.cursor() as cursor:
        for held in held_models():
            old = [row[held.model._meta.pk.attname] for row in rows.get(held.label, [])]
            renumbering.ids[held.label] = dict(
                zip(old, _allocate(cursor, held.model, len(old)), strict=True)
            )
        for held in held_models():
            writer.insert(cursor, held.model, rows.get(held.label, []))
    return renumbering, writer.new_files
