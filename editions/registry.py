"""The editions declared in `editions/declared/`, checked once at start-up, and the one way the code
reads a rule: `rule(sandbox, "UNLINK_COOLDOWN")` (the edition the sandbox is played under).

Settings name only the default edition (`SIMULATOR["EDITION"]`); a rule number in settings, an
edition missing a rule, a number of the wrong kind or an unknown account type or feature stops the
start-up with the reason."""

import importlib
import pkgutil
from datetime import timedelta
from functools import cache
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from accounts.models import default_edition_key
from editions import declared

from .base import RULE_KINDS, Edition, Number

if TYPE_CHECKING:
    from accounts.models import Sandbox


@cache
def editions() -> dict[str, Edition]:
    """Every declared edition by key, in the order of their module names."""
    found: dict[str, Edition] = {}
    for module in sorted(m.name for m in pkgutil.iter_modules(declared.__path__)):
        edition = importlib.import_module(f"{declared.__name__}.{module}").EDITION
        if edition.key in found:
            raise ImproperlyConfigured(f"Two editions have the key {edition.key!r}.")
        found[edition.key] = edition
    return found


def default_key() -> str:
    """The edition a new sandbox is played under unless one is chosen (settings)."""
    return default_edition_key()


def get(key: str) -> Edition:
    try:
        return editions()[key]
    except KeyError:
        raise LookupError(
            f"No edition {key!r}: the editions are {', '.join(editions())}."
        ) from None


def default() -> Edition:
    return get(default_key())


def of(sandbox: "Sandbox") -> Edition:
    """The edition the sandbox is played under."""
    return get(sandbox.edition)


def rule(sandbox: "Sandbox", name: str) -> Any:
    """One rule's number as the sandbox's edition sets it."""
    return of(sandbox).number(name)


# --- The start-up check -----------------------------------------------------------------------


def problems() -> list[str]:
    """Everything wrong with the declarations and the settings, one sentence each."""
    from accounts.types import TYPES_NEEDING_CATEGORY, AccountType, Feature

    found: list[str] = []
    for name in sorted(set(settings.SIMULATOR) & set(RULE_KINDS)):
        found.append(f"settings.SIMULATOR holds the rule {name}: rules belong in an edition.")
    if default_key() not in editions():
        found.append(f"settings.SIMULATOR['EDITION'] names no edition: {default_key()!r}.")
    for edition in editions().values():
        where = f"Edition {edition.name!r}"
        for missing in sorted(set(RULE_KINDS) - set(edition.rules)):
            found.append(f"{where} does not declare {missing}.")
        for unknown in sorted(set(edition.rules) - set(RULE_KINDS)):
            found.append(f"{where} declares {unknown}, which no code reads.")
        for name, declared_rule in edition.rules.items():
            if name in RULE_KINDS:
                found += [
                    f"{where}, {name}: {p}" for p in _number_problems(name, declared_rule.value)
                ]
            if "{n}" not in declared_rule.says:
                found.append(f"{where}, {name}: its words have no {{n}} for the number.")
        for kind, declared_type in edition.account_types.items():
            if kind not in AccountType.values:
                found.append(f"{where}: account type {kind!r} is not one the accounts know.")
            for feature in sorted(declared_type.features - set(Feature.values)):
                found.append(f"{where}: {kind} has the unknown feature {feature!r}.")
            if declared_type.needs_category != (kind in TYPES_NEEDING_CATEGORY):
                # The database's own check (account_category_fits_type) decides this one.
                found.append(f"{where}: {kind} disagrees with the database on needing a category.")
        if not edition.account_types:
            found.append(f"{where} declares no account type.")
    return found


def _number_problems(name: str, value: Number) -> list[str]:
    kind = RULE_KINDS[name].kind
    if not isinstance(value, kind) or isinstance(value, bool):
        return [f"a {kind.__name__} was expected, not {value!r}."]
    parts = value if isinstance(value, tuple) else (value,)
    if any(not isinstance(p, timedelta | int) or _negative(p) for p in parts):
        return [f"no number may be negative: {value!r}."]
    return []


def _negative(part: timedelta | int) -> bool:
    return part < timedelta(0) if isinstance(part, timedelta) else part < 0


def check() -> None:
    """Stop the start-up when a declaration or the settings are wrong (EditionsConfig.ready)."""
    found = problems()
    if found:
        raise ImproperlyConfigured("The rulebook editions are wrong:\n- " + "\n- ".join(found))
