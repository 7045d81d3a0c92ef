"""CSV lines written by PostgreSQL: the export's cells formatted in SQL, one text per row.

The export's Python writer (`lifecycle.exporting._cell` through `csv.writer`) is the reference:
every line made here is byte for byte what it writes for the same row (a test compares the two on
rows made to differ: formula starts, quotes, separators, line breaks, empty and missing values,
microseconds). PostgreSQL does the per-cell work in C, so the builder only joins ready lines:

- text: empty when NULL or empty; a leading `'` when it could start a formula
  (`lifecycle.spreadsheet.FORMULA_STARTS`); quoted as Python's csv module does by default (only
  when it holds a `"`, a `,`, a carriage return or a line feed; quotes doubled);
- whole numbers as digits; amounts with two places, half away from zero (`lifecycle.money.plain`);
- moments as `datetime.isoformat()` of the UTC value (microseconds only when not zero), dates as
  ISO dates; NULL as an empty cell.

A column of any other type makes `csv_line_sql` return None, and the export writes that table in
Python.
"""

from collections.abc import Iterator, Sequence
from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import QuerySet

from lifecycle.spreadsheet import FORMULA_STARTS

_TEXT = {"CharField", "TextField", "EmailField", "SlugField", "URLField"}
_WHOLE = {
    "AutoField",
    "BigAutoField",
    "SmallAutoField",
    "IntegerField",
    "BigIntegerField",
    "SmallIntegerField",
    "PositiveIntegerField",
    "PositiveBigIntegerField",
    "PositiveSmallIntegerField",
}
# Python's csv module quotes a cell holding a quote, the separator or a line break; the `'` that
# keeps a formula as text goes inside the quotes. NULL gives NULL, made an empty cell after.
_TEXT_CELL = (
    "CASE WHEN {x} ~ '[\",\\r\\n]' THEN '\"' || {safe} || replace({x}, '\"', '\"\"') || '\"' "
    "ELSE {safe} || {x} END"
)
_FORMULA = "CASE WHEN left({x}, 1) = ANY(%s) THEN '''' ELSE '' END"


def _text_cell(x: str) -> tuple[str, list[Any]]:
    cell = _TEXT_CELL.format(x=x, safe=_FORMULA.format(x=x))
    return f"COALESCE({cell}, '')", [list(FORMULA_STARTS)] * 2  # one test per branch


def _moment_cell(x: str) -> str:
    utc = f"({x} AT TIME ZONE 'UTC')"
    return (
        f"COALESCE(to_char({utc}, 'YYYY-MM-DD\"T\"HH24:MI:SS') || "
        f"CASE WHEN date_trunc('second', {x}) = {x} THEN '' ELSE to_char({utc}, '.US') END "
        "|| '+00:00', '')"
    )


def _cell(x: str, field: models.Field) -> tuple[str, list[Any]] | None:
    """The SQL of one cell over the column expression `x` (a bare column name), or None."""
    if field.is_relation:
        field = field.target_field  # type: ignore[attr-defined]
    kind = field.get_internal_type()
    if kind in _TEXT:
        return _text_cell(x)
    if kind in _WHOLE:
        return f"COALESCE({x}::text, '')", []
    if kind == "DecimalField":
        return f"COALESCE(round({x}, 2)::text, '')", []
    if kind == "DateTimeField":
        return _moment_cell(x), []
    if kind == "DateField":
        return f"COALESCE(to_char({x}, 'YYYY-MM-DD'), '')", []
    return None


def csv_line_sql(
    queryset: QuerySet, fields: Sequence[str], connection: BaseDatabaseWrapper
) -> tuple[str, list[Any]] | None:
    """A query giving, in the queryset's order, one text per row: its CSV line (no line end).

    `fields` are the queryset's lookups in the file's column order (what `values_list` takes).
    The queryset's own SELECT is kept whole as a subquery (joins, grouping and order as the
    Python writer reads them) and each of its columns is formatted over it; a projection keeps
    its subquery's row order. None when a column has no SQL format here.
    """
    compiler = queryset.values_list(*fields).query.get_compiler(connection=connection)
    inner, params = compiler.as_sql()
    query = compiler.query
    # values_list's SELECT puts model columns before annotations; map names to positions
    names = [*query.extra_select, *query.values_select, *query.annotation_select]
    position = {name: index for index, name in enumerate(names)}
    aliases = [f"c{index}" for index in range(len(names))]
    cells, cell_params = [], []
    for name in fields:
        index = position[name]
        cell = _cell(aliases[index], compiler.select[index][0].output_field)
        if cell is None:
            return None
        cells.append(cell[0])
        cell_params += cell[1]
    line = " || ',' || ".join(cells)
    # Django's own compiled SELECT and this module's fixed templates; values are parameters
    sql = f"SELECT {line} FROM ({inner}) AS t({', '.join(aliases)})"  # noqa: S608 # nosec B608
    return sql, [*cell_params, *params]


def fetch_lines(
    connection: BaseDatabaseWrapper, query: tuple[str, list[Any]], chunk: int
) -> Iterator[tuple[bytes, int]]:
    """The query's lines, up to `chunk` at a time (UTF-8, each ended with `\\r\\n` as the csv
    module ends them), with how many.

    Read through the connection's chunked cursor, as `.iterator()` reads: the connection stays
    free between chunks for the export's progress and heartbeat. (`COPY ... TO STDOUT` streams
    faster, but holds the connection until its last row: the heartbeat could not be written.)"""
    with connection.chunked_cursor() as cursor:
        cursor.execute(*query)
        while rows := cursor.fetchmany(chunk):
            yield ("\r\n".join([line for (line,) in rows]) + "\r\n").encode(), len(rows)
