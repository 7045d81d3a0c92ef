"""The scenarios a cohort can be assigned, read from the training app's loader."""

from typing import Any

# A cohort's trainees play sellers; the support desk's scenarios are for staff (RULEBOOK §11).
COHORT_AUDIENCE = "trainee"


def scenarios() -> dict[str, Any]:
    """Every scenario by slug (`training.scenarios.load_all`), in the loader's order."""
    from training import scenarios as loader

    return loader.load_all()


def assignable(catalogue: dict[str, Any] | None = None) -> dict[str, Any]:
    """The scenarios a cohort can be assigned: those of the cohort's audience."""
    every = catalogue if catalogue is not None else scenarios()
    return {slug: s for slug, s in every.items() if s.audience == COHORT_AUDIENCE}


def title_of(slug: str, catalogue: dict[str, Any] | None = None) -> str:
    """The scenario's title, or its slug when the scenario is no longer in the catalogue."""
    scenario = (catalogue if catalogue is not None else scenarios()).get(slug)
    return scenario.title if scenario is not None else slug
