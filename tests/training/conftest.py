"""Fixtures of the training tests.

Cohorts: trainers, a cohort, and a small scenario catalogue. Scenarios: every run of every shipped
scenario played once per test session (its reference solution, each alternative, its careless
run, and "untouched": the world with no step taken); the plays are
rolled back afterwards, and what the tests keep are their grades and the facts grading read
(plain values). Tests using `rehearsals` are marked django_db, which is what makes pytest-django
set the test database up."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import transaction

from accounts.models import User
from training import scenarios
from training.cohorts import catalogue
from training.cohorts.roles import ensure_trainers_group
from training.cohorts.services import create_cohort, create_invitation
from training.play import Rehearsal, rehearse

OBJECTIVES = [
    SimpleNamespace(
        id="export-first",
        title="Export first",
        weight=50,
        section="§6",
        lesson="Keep a copy of the data before unlinking.",
    ),
    SimpleNamespace(
        id="unlink-popup",
        title="Unlink the pop-up",
        weight=50,
        section="§3",
        lesson="Unlink only the shop that closes.",
    ),
]


def fake_scenario(slug: str, title: str) -> SimpleNamespace:
    return SimpleNamespace(
        slug=slug,
        title=title,
        audience="trainee",
        editions=["source-article"],
        objectives=OBJECTIVES,
        objective=lambda oid: next(o for o in OBJECTIVES if o.id == oid),
        solution=[],
    )


@pytest.fixture(autouse=True)
def scenario_catalogue(monkeypatch):
    """Two scenarios with the Scenario's shape, whatever the training app's loader holds."""
    scenarios = {
        "unlink-a-shop": fake_scenario("unlink-a-shop", "Unlink a shop safely"),
        "close-the-account": fake_scenario("close-the-account", "Close the account"),
    }
    monkeypatch.setattr(catalogue, "scenarios", lambda: dict(scenarios))
    return scenarios


def make_trainer(username: str) -> User:
    user = User.objects.create_user(username, f"{username}@example.com", "trainer-pass-9")
    user.groups.add(ensure_trainers_group())
    return User.objects.get(pk=user.pk)  # fresh: no permission cache from before the group


@pytest.fixture
def trainer(db) -> User:
    return make_trainer("coach")


@pytest.fixture
def other_trainer(db) -> User:
    return make_trainer("othercoach")


@pytest.fixture
def cohort(trainer):
    return create_cohort(actor=trainer, name="Spring sellers")


@pytest.fixture
def invitation(trainer, cohort):
    return create_invitation(actor=trainer, cohort=cohort, seats=2, valid_for=timedelta(days=7))


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
                        name: rehearse(scenario, steps) for name, steps in scenario.runs().items()
                    }
                    played[slug]["untouched"] = rehearse(scenario, [])
                raise _Rollback
        except _Rollback:
            pass
    return played
