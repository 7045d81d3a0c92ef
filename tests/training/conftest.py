"""Every shipped scenario played twice, once per test session: its reference solution and its
careless run. The plays are rolled back afterwards; what the tests keep are their grades and
the facts grading read (plain values). Tests using it are marked django_db, which is what
makes pytest-django set the test database up."""

import pytest
from django.db import transaction

from training import scenarios
from training.play import Rehearsal, rehearse


class _Rollback(Exception):
    pass


@pytest.fixture(scope="session")
def rehearsals(django_db_setup, django_db_blocker) -> dict[str, dict[str, Rehearsal]]:
    played: dict[str, dict[str, Rehearsal]] = {}
    with django_db_blocker.unblock():
        try:
            with transaction.atomic():
                for slug, scenario in scenarios.load_all().items():
                    played[slug] = {
                        "reference": rehearse(scenario, scenario.solution),
                        "careless": rehearse(scenario, scenario.careless.steps),
                    }
                raise _Rollback
        except _Rollback:
            pass
    return played
