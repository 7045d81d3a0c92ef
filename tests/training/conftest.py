"""Fixtures of the cohort tests: trainers, a cohort, and a small scenario catalogue."""

from datetime import timedelta
from types import SimpleNamespace

import pytest

from accounts.models import User
from training.cohorts import catalogue
from training.cohorts.roles import ensure_trainers_group
from training.cohorts.services import create_cohort, create_invitation

SCENARIOS = {
    "unlink-a-shop": SimpleNamespace(slug="unlink-a-shop", title="Unlink a shop safely"),
    "close-the-account": SimpleNamespace(slug="close-the-account", title="Close the account"),
}


@pytest.fixture(autouse=True)
def scenario_catalogue(monkeypatch):
    """Two scenarios, whatever the training app's loader holds."""
    monkeypatch.setattr(catalogue, "scenarios", lambda: dict(SCENARIOS))
    return SCENARIOS


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
