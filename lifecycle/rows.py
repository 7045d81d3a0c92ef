"""Row URLs of a list page, reversed once per page instead of once per row and action.

A list of 50 orders asked `{% url %}` for three URLs a row: a full reversal each (the resolver's
patterns, converters, quoting), about a third of a list page's rendering (docs/benchmarks.md).
The URL of a row differs from the next one's only by the row's id, so the page reverses it once
with a placeholder id and each row's is the two halves joined around its own id.
"""

from dataclasses import dataclass
from typing import Any

from django.urls import reverse

# An id no row has; reversed like any id (the path converter writes str(id)).
_PLACEHOLDER = "2147483646"


@dataclass(frozen=True)
class RowUrl:
    head: str
    tail: str

    @classmethod
    def of(cls, name: str, *args: Any) -> "RowUrl":
        """The URL of `name` with `args`, the row's id last."""
        url = reverse(name, args=[*args, int(_PLACEHOLDER)])
        head, found, tail = url.rpartition(_PLACEHOLDER)
        if not found or _PLACEHOLDER in head:
            raise ValueError(f"{name}: the row's id is not once in {url}")
        return cls(head, tail)

    def for_id(self, pk: int) -> str:
        return f"{self.head}{int(pk)}{self.tail}"
