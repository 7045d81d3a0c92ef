"""A cohort sets the edition of its trainees' attempts, and a scenario runs only under the editions
it is written for (issue 24, item 3)."""

from dataclasses import replace

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.models import Sandbox
from editions import registry
from lifecycle.errors import LifecycleError
from tests.training.conftest import make_trainer
from training import scenarios
from training.cohorts.errors import CohortCode
from training.cohorts.models import Assignment, Cohort, JoinedBy, Membership
from training.cohorts.services import assign_scenario, create_cohort
from training.play import start_attempt

pytestmark = pytest.mark.django_db

SLUG = "unlink-limits"  # written for the Source article edition (it names none)


@pytest.fixture
def other(monkeypatch) -> str:
    source = registry.default()
    monkeypatch.setitem(
        registry.editions(), "other", replace(source, key="other", name="Other market")
    )
    return "other"


def test_every_shipped_scenario_names_declared_editions():
    for scenario in scenarios.load_all().values():
        assert scenario.editions and set(scenario.editions) <= set(registry.editions())
    assert scenarios.get(SLUG).editions == ["source-article"]


def test_a_trainer_starts_a_cohort_under_an_edition(client, other):
    trainer = make_trainer("coach")
    client.force_login(trainer)
    form = client.get(reverse("trainer_cohort_list")).content.decode()
    assert 'name="edition"' in form and "Other market" in form
    response = client.post(reverse("trainer_cohort_create"), {"name": "Abroad", "edition": other})
    assert response.status_code == 302
    cohort = Cohort.objects.get(name="Abroad")
    assert cohort.edition == other
    page = client.get(reverse("trainer_cohort", args=[cohort.pk])).content.decode()
    assert f'<a href="{reverse("edition_rules", args=[other])}">“Other market”</a>' in page
    client.post(reverse("trainer_cohort_create"), {"name": "Home"})  # none chosen: the default
    assert Cohort.objects.get(name="Home").edition == registry.default_key()


def test_a_scenario_is_assigned_only_to_a_cohort_under_its_editions(other):
    trainer = make_trainer("coach")
    abroad = create_cohort(actor=trainer, name="Abroad", edition=other)
    with pytest.raises(LifecycleError) as refused:
        assign_scenario(actor=trainer, cohort=abroad, scenario_slug=SLUG)
    assert refused.value.code == CohortCode.WRONG_EDITION
    title = scenarios.get(SLUG).title
    assert refused.value.message == (
        f"{title} is written for the rules of “Source article”; this cohort plays “Other market”."
    )
    home = create_cohort(actor=trainer, name="Home")
    assert assign_scenario(actor=trainer, cohort=home, scenario_slug=SLUG).cohort == home


def test_an_attempt_is_played_under_its_cohorts_edition(trainee, other):
    trainer = make_trainer("coach")
    abroad = create_cohort(actor=trainer, name="Abroad", edition=other)
    Membership.objects.create(cohort=abroad, trainee=trainee, joined_by=JoinedBy.TRAINER)
    Assignment.objects.create(cohort=abroad, scenario_slug=SLUG)  # as if written for both
    scenario = scenarios.get(SLUG)
    both = scenario.model_copy(update={"editions": ["source-article", other]})
    attempt = start_attempt(trainee=trainee, scenario=both)
    assert attempt.cohort == abroad
    assert Sandbox.objects.get(pk=attempt.sandbox_id).edition == other
    with pytest.raises(PermissionDenied):  # the file as shipped is not written for it
        start_attempt(trainee=trainee, scenario=scenario)


def test_free_play_runs_under_the_default_edition_or_the_scenarios_own(trainee, other):
    scenario = scenarios.get(SLUG)
    attempt = start_attempt(trainee=trainee, scenario=scenario)
    assert attempt.cohort is None
    assert Sandbox.objects.get(pk=attempt.sandbox_id).edition == registry.default_key()
    elsewhere = scenario.model_copy(update={"editions": [other]})
    attempt = start_attempt(trainee=trainee, scenario=elsewhere)
    assert Sandbox.objects.get(pk=attempt.sandbox_id).edition == other


def test_a_cohort_under_an_unknown_edition_is_refused():
    with pytest.raises(LifecycleError) as refused:
        create_cohort(actor=make_trainer("coach"), name="Nowhere", edition="nowhere")
    assert refused.value.code == CohortCode.UNKNOWN_EDITION
    assert not Cohort.objects.filter(name="Nowhere").exists()
