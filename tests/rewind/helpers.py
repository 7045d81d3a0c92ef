"""Reading a sandbox table by table, in a form two copies of it can be compared in.

Written apart from rewind.copying: ids become each row's rank in its table (a copy keeps the
order of its rows), and the numbers inside sentences, labels, links and keys become "N", since
a copy names its own rows there (tests/rewind/test_restore.py checks those point inside it).
Every other column, JSON included, must be equal.
"""

import re
from typing import Any

from django.db import models
from django.urls import resolve

from accounts.models import Sandbox
from rewind.owned import held_models

TEXTS = {"subject_label", "message", "body", "subject", "dedupe_key"}  # may say "#12"
ID_KEYS = {"announcement", "paused_campaigns"}  # and every key ending in "_id"


def _digits_out(value: Any) -> Any:
    if isinstance(value, list):
        return [_digits_out(v) for v in value]
    return re.sub(r"\d+", "N", str(value)) if value is not None else None


def _ids_out(value: Any, key: str = "") -> Any:
    """A JSON value with the ids it names (under `*_id` keys, in links) as "N"."""
    if isinstance(value, dict):
        return {k: _ids_out(v, k) for k, v in value.items()}
    if key == "url":  # the page it opens; its ids and token name the copy's own rows
        found = resolve(value)
        return (found.view_name, sorted(found.kwargs))
    if key.endswith("_id") or key in ID_KEYS:
        return _digits_out(value)
    if isinstance(value, list):
        return [_ids_out(v) for v in value]
    if isinstance(value, str):
        return re.sub(r"#\d+", "#N", value)
    return value


def tables(sandbox_id: int) -> dict[str, list[dict[str, Any]]]:
    found = {}
    for held in held_models():
        names = [f.attname for f in held.model._meta.concrete_fields]
        found[held.label] = list(held.rows_of(sandbox_id).values(*names))
    return found


def canonical(dump: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    rank = {label: {row["id"]: i for i, row in enumerate(rows)} for label, rows in dump.items()}
    rank["accounts.sandbox"] = {}
    out = {}
    for held in held_models():
        rows = []
        for row in dump[held.label]:
            fields = {}
            for field in held.model._meta.concrete_fields:
                value = row[field.attname]
                if field.primary_key or field.name == "subject_id":
                    continue
                if isinstance(field, models.ForeignKey):
                    target = field.related_model._meta.label_lower
                    if target == "accounts.sandbox":
                        value = "the sandbox"
                    elif target in rank and value is not None:
                        value = (target, rank[target][value])
                elif isinstance(field, models.FileField):
                    value = bool(value)
                elif isinstance(field, models.JSONField):
                    value = _ids_out(value)
                elif field.name in TEXTS:
                    value = _digits_out(value)
                fields[field.name] = value
            rows.append(fields)
        out[held.label] = rows
    return out


def assert_same_tables(before: dict, after: dict) -> None:
    """Table by table, so a difference names its table."""
    left, right = canonical(before), canonical(after)
    assert left.keys() == right.keys()
    for label in left:
        assert len(left[label]) == len(right[label]), label
        for a, b in zip(left[label], right[label], strict=True):
            assert a == b, (label, {k: (v, b[k]) for k, v in a.items() if b[k] != v})


def sandbox_of_rows(sandbox: Sandbox) -> int:
    return sum(len(rows) for rows in tables(sandbox.pk).values())
