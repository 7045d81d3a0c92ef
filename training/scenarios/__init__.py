"""Scenarios are data: one TOML file each in this folder, read with tomllib, checked by the schema.

`load_all()` and `get(slug)` are what the rest of the simulator uses; a bad file is refused with
a ScenarioError naming the file, the field and what was expected.
"""

import functools
import tomllib
from pathlib import Path

from pydantic import ValidationError

from . import placeholders
from .schema import Forbidden, Hint, Objective, Scenario
from .steps import Step

FOLDER = Path(__file__).resolve().parent

__all__ = [
    "FOLDER",
    "Forbidden",
    "Hint",
    "Objective",
    "Scenario",
    "ScenarioError",
    "Step",
    "get",
    "load_all",
    "load_file",
]


class ScenarioError(ValueError):
    """A scenario file that cannot be used. The message names the file, the field and why."""


def _field(location: tuple) -> str:
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(the whole file)"


def _explain(path: Path, err: ValidationError) -> str:
    lines = []
    for problem in err.errors(include_url=False):
        # Union members show as a step of the location (e.g. `happened`); keep it, it says which.
        where = _field(tuple(problem["loc"]))
        message = problem["msg"].removeprefix("Value error, ")
        if problem["type"] == "missing":
            message = "required, but missing"
        elif problem["type"] == "extra_forbidden":
            message = "not a field of the schema (misspelt?)"
        lines.append(f"{path.name}: {where}: {message}")
    return "\n".join(lines)


def read_data(path: Path | str) -> dict:
    """A file's data as written (placeholders unfilled)."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise ScenarioError(f"{path.name}: cannot be read ({err.strerror})") from err
    except UnicodeDecodeError as err:
        raise ScenarioError(
            f"{path.name}: not UTF-8 text (byte 0x{err.object[err.start]:02x} at position "
            f"{err.start}): save it as UTF-8"
        ) from err
    except tomllib.TOMLDecodeError as err:
        raise ScenarioError(f"{path.name}: not valid TOML: {err}") from err
    except RecursionError as err:
        raise ScenarioError(f"{path.name}: nested too deeply to be a scenario") from err
    return data


def typed_numbers(path: Path | str) -> list[str]:
    """Each rule number typed in the file's text where its placeholder belongs."""
    return [
        found
        for text in placeholders.strings(read_data(path))
        for found in placeholders.typed_numbers(text)
    ]


def load_file(path: Path | str) -> Scenario:
    """The scenario of a file, its placeholders filled from the rules in force."""
    path = Path(path)
    data = read_data(path)
    unknown = sorted({u for text in placeholders.strings(data) for u in placeholders.unknown(text)})
    if unknown:
        known = ", ".join(f"{{{name}}}" for name in placeholders.PLACEHOLDERS)
        raise ScenarioError(
            f"{path.name}: unknown placeholder {', '.join(f'{{{u}}}' for u in unknown)}: "
            f"expected one of {known}"
        )
    try:
        data = placeholders.filled_data(data, placeholders.values())
    except ValueError as err:
        raise ScenarioError(f"{path.name}: {err}") from err
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as err:
        raise ScenarioError(_explain(path, err)) from err
    except RecursionError as err:
        raise ScenarioError(f"{path.name}: nested too deeply to be a scenario") from err
    if scenario.slug != path.stem:
        raise ScenarioError(f"{path.name}: slug: expected the file's name, {path.stem!r}")
    return scenario


def paths(folder: Path = FOLDER) -> list[Path]:
    return sorted(folder.glob("*.toml"))


@functools.cache
def _load_all(rules: tuple) -> dict[str, Scenario]:
    return {s.slug: s for s in map(load_file, paths())}


def load_all() -> dict[str, Scenario]:
    """Every shipped scenario by slug, in file-name order, worded for the rules in force (read
    again when a rule changes). Raises ScenarioError on a bad file."""
    return _load_all(tuple(placeholders.values().items()))


def get(slug: str) -> Scenario:
    try:
        return load_all()[slug]
    except KeyError:
        raise KeyError(f"no scenario {slug!r}") from None
