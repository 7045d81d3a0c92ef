"""The trainer's cohort pages: start a cohort, make and revoke links, assign scenarios."""

from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from lifecycle.errors import LifecycleError
from training.cohorts import catalogue
from training.cohorts.errors import CohortCode
from training.cohorts.models import Assignment, Cohort
from training.cohorts.roles import TRAINERS_GROUP
from training.cohorts.services import add_trainer, assign_scenario, create_cohort

from .conftest import make_trainer


def test_migrate_keeps_the_trainers_group_with_only_the_right_to_run_cohorts(db):
    group = Group.objects.get(name=TRAINERS_GROUP)
    group.permissions.clear()
    call_command("migrate", verbosity=0)
    group = Group.objects.get(name=TRAINERS_GROUP)
    assert [p.codename for p in group.permissions.all()] == ["run_cohorts"]


def test_a_trainer_starts_a_cohort_and_runs_it(client, trainer):
    client.force_login(trainer)
    assert client.get(reverse("trainer_cohort_list")).status_code == 200
    response = client.post(reverse("trainer_cohort_create"), {"name": "Autumn class"})
    assert response.status_code == 302
    cohort = Cohort.objects.get(name="Autumn class")
    assert cohort.slug == "autumn-class" and list(cohort.trainers.all()) == [trainer]
    assert [e.action for e in cohort.events.all()] == ["create_cohort"]
    # Same name again: a cohort of its own, with a slug of its own.
    client.post(reverse("trainer_cohort_create"), {"name": "Autumn class"})
    assert sorted(Cohort.objects.values_list("slug", flat=True)) == [
        "autumn-class",
        "autumn-class-2",
    ]


def test_an_empty_name_is_refused(client, trainer):
    client.force_login(trainer)
    assert client.post(reverse("trainer_cohort_create"), {"name": ""}).status_code == 400
    assert not Cohort.objects.exists()


def test_only_trainers_start_cohorts(trainee):
    with pytest.raises(LifecycleError) as refused:
        create_cohort(actor=trainee, name="Mine")
    assert refused.value.code == CohortCode.NOT_A_TRAINER


def test_the_cohort_page_makes_and_revokes_links(client, trainer, cohort):
    client.force_login(trainer)
    page = reverse("trainer_cohort", args=[cohort.pk])
    response = client.post(
        reverse("trainer_invite", args=[cohort.pk]), {"seats": 5, "valid_days": 3}, follow=True
    )
    invitation = cohort.invitations.get()
    assert reverse("join", args=[invitation.token]) in response.content.decode()
    assert invitation.seats == 5
    bad = client.post(reverse("trainer_invite", args=[cohort.pk]), {"seats": 0, "valid_days": 3})
    assert bad.status_code == 400 and cohort.invitations.count() == 1

    client.post(reverse("trainer_revoke_invitation", args=[cohort.pk, invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    shown = client.get(page).content.decode()
    assert "Revoked" in shown and reverse("join", args=[invitation.token]) not in shown


def test_assigning_a_scenario_with_a_due_date(client, trainer, cohort):
    client.force_login(trainer)
    add = reverse("trainer_assign", args=[cohort.pk])
    client.post(add, {"scenario": "unlink-a-shop", "due_on": "2030-05-01"})
    assignment = Assignment.objects.get(cohort=cohort)
    assert (assignment.scenario_slug, assignment.due_on) == ("unlink-a-shop", date(2030, 5, 1))
    assert (
        "Unlink a shop safely · due 1 May 2030"
        in client.get(reverse("trainer_cohort", args=[cohort.pk])).content.decode()
    )
    client.post(add, {"scenario": "close-the-account"})  # no due date
    assert cohort.assignments.get(scenario_slug="close-the-account").due_on is None

    again = client.post(add, {"scenario": "unlink-a-shop", "due_on": "2030-06-01"})
    assert again.status_code == 409
    assert "already assigned" in again.content.decode()
    unknown = client.post(add, {"scenario": "no-such-scenario"})
    assert unknown.status_code == 400

    client.post(reverse("trainer_unassign", args=[cohort.pk, assignment.pk]))
    assert list(cohort.assignments.values_list("scenario_slug", flat=True)) == ["close-the-account"]
    assert [e.action for e in cohort.events.all()][:3] == ["unassign", "assign", "assign"]


def test_assignment_repeats_and_unknown_slugs_at_the_service(trainer, cohort):
    first = assign_scenario(actor=trainer, cohort=cohort, scenario_slug="unlink-a-shop")
    assert assign_scenario(actor=trainer, cohort=cohort, scenario_slug="unlink-a-shop") == first
    with pytest.raises(LifecycleError) as refused:
        assign_scenario(actor=trainer, cohort=cohort, scenario_slug="nope")
    assert refused.value.code == CohortCode.UNKNOWN_SCENARIO


def test_a_second_trainer_runs_the_cohort_too(client, trainer, cohort, trainee):
    helper = make_trainer("helper")
    add_trainer(actor=trainer, cohort=cohort, trainer=helper)
    add_trainer(actor=trainer, cohort=cohort, trainer=helper)  # a repeat
    assert cohort.events.filter(action="add_trainer").count() == 1
    client.force_login(helper)
    assert client.get(reverse("trainer_cohort", args=[cohort.pk])).status_code == 200
    with pytest.raises(LifecycleError) as refused:
        add_trainer(actor=trainer, cohort=cohort, trainer=trainee)
    assert refused.value.code == CohortCode.NOT_A_TRAINER


def test_the_catalogue_is_the_training_apps_loader(trainer, cohort, monkeypatch):
    """Without the tests' stand-in, assignments name the shipped scenario files."""
    from training import scenarios

    monkeypatch.undo()
    assert catalogue.scenarios() == scenarios.load_all()
    slug = next(iter(scenarios.load_all()))
    assignment = assign_scenario(actor=trainer, cohort=cohort, scenario_slug=slug)
    assert catalogue.title_of(assignment.scenario_slug) == scenarios.get(slug).title
    assert catalogue.title_of("gone-since") == "gone-since"


def test_only_scenarios_of_the_cohorts_audience_are_offered(client, trainer, cohort, monkeypatch):
    """A cohort's trainees play sellers: the support desk's scenarios are neither offered nor
    accepted (a trainee would see them as "Not started" and could never play them)."""
    from training import scenarios

    monkeypatch.undo()
    support = [s.slug for s in scenarios.load_all().values() if s.audience == "support"]
    assert support  # the shipped catalogue has one: support-stop-deletion
    client.force_login(trainer)
    page = client.get(reverse("trainer_cohort", args=[cohort.pk]))
    offered = [slug for slug, _ in page.context["assign_form"].fields["scenario"].choices]
    assert offered == [s.slug for s in scenarios.load_all().values() if s.audience == "trainee"]
    with pytest.raises(LifecycleError) as refused:
        assign_scenario(actor=trainer, cohort=cohort, scenario_slug=support[0])
    assert refused.value.code == CohortCode.NOT_FOR_THIS_AUDIENCE
    assert "support staff" in refused.value.message
    crafted = client.post(reverse("trainer_assign", args=[cohort.pk]), {"scenario": support[0]})
    assert crafted.status_code == 400  # not one of the choices
    assert not cohort.assignments.exists()


def test_the_trainer_navigation_is_for_trainers_only(client, trainer, trainee):
    """Trainers find their pages from any page; a trainee's pages do not show the link."""
    from tests.accounts.factories import SellerAccountFactory

    cohorts = reverse("trainer_cohort_list")
    for person in (trainer, trainee):
        sandbox = SellerAccountFactory(sandbox__owner=person).sandbox
        client.force_login(person)
        for page in (reverse("sandbox_list"), reverse("dashboard", args=[sandbox.pk])):
            shown = client.get(page).content.decode()
            assert (f'href="{cohorts}"' in shown) is (person == trainer), (person, page)


def test_starting_a_cohort_opens_its_page(client, trainer):
    client.force_login(trainer)
    response = client.post(reverse("trainer_cohort_create"), {"name": "Autumn class"}, follow=True)
    cohort = Cohort.objects.get(name="Autumn class")
    assert response.redirect_chain == [(reverse("trainer_cohort", args=[cohort.pk]), 302)]
    assert "Create an invitation link" in response.content.decode()


@pytest.mark.parametrize("due_on", ["0001-01-01", "9999-12-31", "1999-01-01"])
def test_an_absurd_due_date_is_refused_and_nothing_is_assigned(client, trainer, cohort, due_on):
    client.force_login(trainer)
    response = client.post(
        reverse("trainer_assign", args=[cohort.pk]), {"scenario": "unlink-a-shop", "due_on": due_on}
    )
    assert response.status_code == 400
    assert "The due date must be between today and" in response.content.decode()
    assert not cohort.assignments.exists()
