"""The scenarios a cohort can be assigned, read from the training app's loader."""

from typing import Any


def scenarios() -> dict[str, Any]:
    """Every scenario by slug (`training.scenarios.load_all`), in the loader's order."""
    from training import scenarios as loader

    return loader.load_all()


def title_of(slug: str, catalogue: dict[str, Any] | None = None) -> str:
    """The scenario's title, or its slug when the scenario is no longer in the catalogue."""
    scenario = (catalogue if catalogue is not None else scenarios()).get(slug)
    return scenario.title if scenario is not None else slug
