"""A trainer sees only the cohorts they run: every trainer URL, walked from the URL list.

A pattern with a parameter this file has no sample for fails the walk, so a new trainer URL is
covered as soon as it is added.
"""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from accounts.models import User
from training.cohorts.models import JoinedBy, Membership
from training.cohorts.services import assign_scenario, create_cohort, create_invitation
from training.cohorts.urls import trainer_patterns
from training.models import Attempt

COHORT_PATTERNS = [p for p in trainer_patterns if "cohort_id" in p.pattern.converters]
PARAMETERS = {"cohort_id", "invitation_id", "assignment_id", "attempt_id"}


@pytest.fixture
def theirs(other_trainer):
    """A cohort someone else runs, with a link, an assignment and a member."""
    cohort = create_cohort(actor=other_trainer, name="Not yours")
    invitation = create_invitation(
        actor=other_trainer, cohort=cohort, seats=3, valid_for=timedelta(days=1)
    )
    assignment = assign_scenario(
        actor=other_trainer, cohort=cohort, scenario_slug="unlink-a-shop", due_on=date(2030, 1, 1)
    )
    member = User.objects.create_user("member", "member@example.com", "x")
    Membership.objects.create(cohort=cohort, trainee=member, joined_by=JoinedBy.TRAINER)
    attempt = Attempt.objects.create(trainee=member, scenario_slug="unlink-a-shop")
    return {
        "cohort": cohort,
        "invitation": invitation,
        "assignment": assignment,
        "attempt": attempt,
    }


def samples(objects, extra=None) -> dict:
    values = {
        "cohort_id": objects["cohort"].pk,
        "invitation_id": objects["invitation"].pk,
        "assignment_id": objects["assignment"].pk,
        "attempt_id": objects["attempt"].pk,
        **(extra or {}),
    }
    return values


def address(pattern, values: dict) -> str:
    names = set(pattern.pattern.converters)
    unknown = names - PARAMETERS
    assert not unknown, f"{pattern.name}: no sample value for {sorted(unknown)}; add one here"
    return reverse(pattern.name, kwargs={name: values[name] for name in names})


def test_every_parameter_of_every_trainer_url_has_a_sample():
    for pattern in trainer_patterns:
        assert set(pattern.pattern.converters) <= PARAMETERS, pattern.name
    assert len(COHORT_PATTERNS) >= 6


@pytest.mark.parametrize("pattern", COHORT_PATTERNS, ids=lambda p: p.name)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_cohort_you_do_not_run_is_not_there(client, trainer, theirs, pattern, method):
    client.force_login(trainer)
    response = getattr(client, method)(address(pattern, samples(theirs)))
    assert response.status_code == 404, (pattern.name, method)
    theirs["cohort"].refresh_from_db()
    assert theirs["cohort"].invitations.get().revoked_at is None
    assert theirs["cohort"].assignments.count() == 1


@pytest.mark.parametrize(
    "pattern",
    [p for p in COHORT_PATTERNS if set(p.pattern.converters) - {"cohort_id"}],
    ids=lambda p: p.name,
)
def test_another_cohorts_rows_are_not_reachable_through_yours(
    client, trainer, cohort, theirs, pattern
):
    client.force_login(trainer)
    values = samples(theirs, {"cohort_id": cohort.pk})
    assert client.post(address(pattern, values)).status_code == 404, pattern.name


@pytest.mark.parametrize("pattern", trainer_patterns, ids=lambda p: p.name)
def test_a_trainee_gets_403_and_a_visitor_goes_to_sign_in(client, trainee, theirs, pattern):
    target = address(pattern, samples(theirs))
    anonymous = client.get(target)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/")
    client.force_login(trainee)
    assert client.get(target).status_code == 403


def test_the_cohort_list_shows_only_your_cohorts(client, trainer, cohort, theirs):
    client.force_login(trainer)
    page = client.get(reverse("trainer_cohort_list")).content.decode()
    assert cohort.name in page and "Not yours" not in page
