"""CSV the product writes, made safe to open in a spreadsheet (OWASP's CSV injection rule).

A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (and, in some, a tab, a carriage
return or a line feed, or the full-width forms of the four signs) as a formula: a username such
as `=HYPERLINK(...)` would run on the trainer's machine. Every text cell that starts so gets a
leading `'`, which spreadsheets read as "this is text" and do not show. Numbers the product wrote
itself (ints, amounts) are left alone: `-5` stays a number. The csv module's quoting (RFC 4180)
keeps a separator or a quote inside a cell from starting a new cell.
"""

import csv
from collections.abc import Iterable
from typing import Any, Protocol

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


class _Sink(Protocol):
    def write(self, text: str, /) -> Any: ...


def text_cell(value: str) -> str:
    """The text as a cell no spreadsheet runs: a leading `'` when it could start a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def safe_cell(value: Any) -> Any:
    """Text made safe; anything else (a number, None) as it is."""
    return text_cell(value) if isinstance(value, str) else value


class SafeWriter:
    """csv.writer whose rows have every text cell passed through `text_cell`."""

    def __init__(self, sink: _Sink) -> None:
        self._writer = csv.writer(sink)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([safe_cell(value) for value in row])
