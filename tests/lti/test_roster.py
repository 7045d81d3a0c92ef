"""'Sync the roster' (Names and Role Provisioning): the course's learners join its cohort."""

import pytest

from accounts.models import User
from lti.services import username_for
from tests.lti import platform
from tests.lti.conftest import launch
from tests.lti.test_launch import learner, teacher
from training.cohorts.models import Cohort, JoinedBy, Membership

pytestmark = pytest.mark.django_db


def member(sub: str, name: str, role: str = platform.LEARNER, status: str = "Active") -> dict:
    return {"user_id": sub, "name": name, "roles": [role], "status": status}


@pytest.fixture
def course(registered, client, scenario_slug) -> Cohort:
    """The instructor opened the course's link: the cohort exists and they are signed in."""
    launch(client, teacher(scenario_slug))
    return Cohort.objects.get()


def sync(client, cohort: Cohort) -> str:
    response = client.post(f"/trainer/cohorts/{cohort.pk}/sync-roster/", follow=True)
    assert response.status_code == 200
    return " ".join(str(m) for m in response.context["messages"])


def test_syncing_adds_the_courses_learners_without_a_password_and_says_who(course, client):
    platform.PLATFORM.roster[:] = [
        member("t-1", "Tina Teacher", platform.INSTRUCTOR),
        member("l-1", "Lee Learner"),
        member("l-2", "Ada Learner"),
    ]
    assert "Sync the roster" in client.get(f"/trainer/cohorts/{course.pk}/").content.decode()

    said = sync(client, course)

    assert said == "Added 2: Lee Learner, Ada Learner."
    people = User.objects.filter(memberships__cohort=course).order_by("username")
    expected = sorted(username_for(platform.PLATFORM.issuer, s) for s in ("l-1", "l-2"))
    assert [p.username for p in people] == expected
    assert not any(p.has_usable_password() for p in people)
    assert set(Membership.objects.values_list("joined_by", flat=True)) == {JoinedBy.PLATFORM}


def test_a_synced_learner_launching_later_is_the_same_person(course, client, scenario_slug):
    platform.PLATFORM.roster[:] = [member("l-1", "Lee Learner")]
    sync(client, course)
    client.logout()

    launch(client, learner(scenario_slug))

    assert Membership.objects.get().trainee.username == username_for(
        platform.PLATFORM.issuer, "l-1"
    )


def test_a_second_sync_reports_who_left_and_keeps_their_record(course, client):
    platform.PLATFORM.roster[:] = [member("l-1", "Lee Learner"), member("l-2", "Ada Learner")]
    sync(client, course)
    platform.PLATFORM.roster[:] = [
        member("l-1", "Lee Learner"),
        member("l-2", "Ada Learner", status="Inactive"),
        member("l-3", "Bo Learner"),
    ]

    said = sync(client, course)

    assert said == "Added 1: Bo Learner. Left the course: Ada Learner. 1 already in the cohort."
    assert Membership.objects.filter(cohort=course).count() == 3


def test_a_platform_down_leaves_the_cohort_as_it_was_and_says_so(course, client):
    platform.PLATFORM.roster[:] = [member("l-1", "Lee Learner")]
    platform.PLATFORM.knobs["down"] = True

    said = sync(client, course)

    assert said.startswith("The learning platform did not give the roster")
    assert "503" in said
    assert not Membership.objects.exists()


def test_a_cohort_not_from_a_platform_has_no_roster_to_sync(client, django_user_model):
    from training.cohorts.roles import ensure_trainers_group
    from training.cohorts.services import create_cohort

    trainer = django_user_model.objects.create_user("coach", password="pw-coach-123")
    trainer.groups.add(ensure_trainers_group())
    cohort = create_cohort(actor=trainer, name="Walk-in class")
    client.force_login(trainer)

    assert "Sync the roster" not in client.get(f"/trainer/cohorts/{cohort.pk}/").content.decode()
    assert sync(client, cohort) == "This cohort was not made from a learning platform."
