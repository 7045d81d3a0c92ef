"""Fixtures of the cohort tests: trainers, a cohort, and a small scenario catalogue."""

from datetime import timedelta
from types import SimpleNamespace

import pytest

from accounts.models import User
from training.cohorts import catalogue
from training.cohorts.roles import ensure_trainers_group
from training.cohorts.services import create_cohort, create_invitation

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
