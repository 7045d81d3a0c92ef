"""Resource-link launches from a real LTI 1.3 platform (lti1p3platform), end to end."""

import logging

import pytest
from django.contrib.auth import SESSION_KEY
from lti_tool.models import LtiContext, LtiDeployment, LtiUser

from accounts.models import User
from lti.models import AttemptLink, CourseCohort, LaunchNonce
from lti.services import username_for
from tests.lti import platform
from tests.lti.conftest import launch
from training.cohorts.models import Cohort, Membership
from training.models import Attempt

pytestmark = pytest.mark.django_db


def teacher(slug: str, sub: str = "t-1") -> platform.Offer:
    return platform.Offer(
        sub=sub, roles=[platform.INSTRUCTOR], name="Tina Teacher", custom={"scenario": slug}
    )


def learner(slug: str, sub: str = "l-1") -> platform.Offer:
    return platform.Offer(
        sub=sub, roles=[platform.LEARNER], name="Lee Learner", custom={"scenario": slug}
    )


def signed_in(client) -> User:
    return User.objects.get(pk=client.session[SESSION_KEY])


def test_an_instructors_first_launch_makes_the_courses_cohort_and_opens_its_grid(
    registered, client, scenario_slug
):
    response = launch(client, teacher(scenario_slug))

    course = CourseCohort.objects.select_related("cohort", "context").get()
    cohort = course.cohort
    assert response.status_code == 302
    assert response["Location"] == f"/trainer/cohorts/{cohort.pk}/progress/"
    instructor = signed_in(client)
    assert instructor.username == username_for(platform.PLATFORM.issuer, "t-1")
    assert not instructor.has_usable_password()
    assert list(cohort.trainers.all()) == [instructor]
    assert cohort.name == "Seller onboarding 101"
    assert course.context.id_on_platform == "course-101"
    assert list(cohort.assignments.values_list("scenario_slug", flat=True)) == [scenario_slug]
    assert client.get(response["Location"]).status_code == 200


def test_a_learners_first_launch_signs_them_in_and_starts_their_attempt(
    registered, client, scenario_slug, django_user_model
):
    launch(client, teacher(scenario_slug))
    client.logout()

    response = launch(client, learner(scenario_slug))

    person = signed_in(client)
    attempt = Attempt.objects.get(trainee=person)
    assert response.status_code == 302
    assert response["Location"] == f"/training/attempts/{attempt.pk}/"
    assert person.username == username_for(platform.PLATFORM.issuer, "l-1")
    assert person.first_name == "" and not person.has_usable_password()
    assert LtiUser.objects.get(sub="l-1").auth_user == person
    cohort = CourseCohort.objects.get().cohort
    assert attempt.cohort == cohort and attempt.is_open
    assert Membership.objects.get(trainee=person).cohort == cohort
    assert AttemptLink.objects.get(attempt=attempt).resource_link.id_on_platform == "link-1"
    assert client.get(response["Location"]).status_code == 200


def test_a_learners_second_launch_lands_in_the_same_attempt(registered, client, scenario_slug):
    launch(client, teacher(scenario_slug))
    first = launch(client, learner(scenario_slug))
    client.logout()

    second = launch(client, learner(scenario_slug))

    assert second["Location"] == first["Location"]
    assert Attempt.objects.count() == 1
    assert User.objects.filter(username__startswith="lti-").count() == 2
    assert Membership.objects.count() == 1


def test_a_learners_launch_after_their_attempt_finished_starts_a_new_one(
    registered, client, scenario_slug
):
    from training.play import finish_attempt

    launch(client, teacher(scenario_slug))
    first = launch(client, learner(scenario_slug))
    finish_attempt(attempt=Attempt.objects.get())

    second = launch(client, learner(scenario_slug))

    assert second["Location"] != first["Location"]
    assert Attempt.objects.filter(finished_at__isnull=True).count() == 1


def test_a_second_instructor_becomes_a_trainer_of_the_same_cohort(
    registered, client, scenario_slug
):
    first = launch(client, teacher(scenario_slug))
    client.logout()

    second = launch(client, teacher(scenario_slug, sub="t-2"))

    assert second["Location"] == first["Location"]
    assert Cohort.objects.get().trainers.count() == 2


# --- Bad input: a clear page, a log line without the token, nothing created ----------------


def nothing_created() -> None:
    assert not User.objects.filter(username__startswith="lti-").exists()
    assert not LtiUser.objects.exists()
    assert not LtiContext.objects.exists()
    assert not CourseCohort.objects.exists()
    assert not Attempt.objects.exists()
    assert LtiDeployment.objects.count() == 1


def refused_page(response, problem: str, whom: str, caplog) -> None:
    text = response.content.decode()
    assert response.status_code == 400, text[:300]
    assert f'data-problem="{problem}"' in text
    assert whom in text
    assert SESSION_KEY not in response.wsgi_request.session
    lines = [r.getMessage() for r in caplog.records if r.name == "lti.views"]
    assert lines and problem in lines[-1]
    token = getattr(response, "launch_fields", {}).get("id_token")
    assert all(token not in line for line in lines) if token else True


def last_line(caplog) -> str:
    return [r.getMessage() for r in caplog.records if r.name == "lti.views"][-1]


@pytest.fixture
def log(caplog):
    caplog.set_level(logging.WARNING, logger="lti.views")
    return caplog


def test_a_launch_signed_with_a_key_the_platform_does_not_publish_is_refused(
    registered, client, scenario_slug, log
):
    platform.PLATFORM.knobs["rogue_key"] = True
    response = launch(client, learner(scenario_slug))
    refused_page(response, "bad_signature", "key set URL", log)
    nothing_created()


def test_an_unknown_issuer_is_refused_at_login(registered, client, scenario_slug, log):
    platform.PLATFORM.knobs["issuer"] = "https://other-lms.example.test"
    response = launch(client, learner(scenario_slug))
    refused_page(response, "unknown_platform", "support staff", log)
    assert "other-lms.example.test" in last_line(log)
    nothing_created()


def test_an_unknown_deployment_is_refused_and_not_recorded(registered, client, scenario_slug, log):
    platform.PLATFORM.knobs["deployment_id"] = "deployment-unknown"
    response = launch(client, learner(scenario_slug))
    refused_page(response, "unknown_deployment", "deployment ID", log)
    assert "deployment-unknown" in last_line(log)
    nothing_created()


def test_a_switched_off_deployment_is_refused(registered, client, scenario_slug, log):
    LtiDeployment.objects.update(is_active=False)
    response = launch(client, teacher(scenario_slug))
    refused_page(response, "unknown_deployment", "deployment ID", log)
    nothing_created()


def test_an_expired_launch_is_refused(registered, client, scenario_slug, log):
    platform.PLATFORM.knobs["expires_in"] = -60
    response = launch(client, teacher(scenario_slug))
    refused_page(response, "expired", "open the activity again", log)
    nothing_created()


def test_a_launch_posted_twice_is_refused_the_second_time(registered, client, scenario_slug, log):
    launch(client, teacher(scenario_slug))
    first = launch(client, learner(scenario_slug))
    users, attempts = User.objects.count(), Attempt.objects.count()
    client.logout()

    again = client.post("/lti/launch/", first.launch_fields)

    refused_page(again, "replayed", "open the activity again", log)
    assert (User.objects.count(), Attempt.objects.count()) == (users, attempts)
    assert LaunchNonce.objects.count() == 2


@pytest.mark.parametrize(
    ("claim", "words"),
    [
        ("sub", "the user (sub)"),
        ("https://purl.imsglobal.org/spec/lti/claim/roles", "the user&#x27;s roles"),
        ("https://purl.imsglobal.org/spec/lti/claim/context", "the course (context)"),
    ],
)
def test_a_launch_missing_a_claim_is_refused_naming_it(
    registered, client, scenario_slug, log, claim, words
):
    platform.PLATFORM.knobs["drop"] = [claim]
    response = launch(client, teacher(scenario_slug))
    refused_page(response, "missing_claim", "administrator", log)
    assert words in response.content.decode()
    nothing_created()


def test_a_link_to_a_scenario_that_is_gone_is_refused(registered, client, log):
    response = launch(client, teacher("a-scenario-since-removed"))
    refused_page(response, "scenario_gone", "pick another scenario", log)
    assert "a-scenario-since-removed" in response.content.decode()
    nothing_created()


def test_a_link_naming_no_scenario_is_refused(registered, client, log):
    response = launch(client, platform.Offer(sub="t-1", roles=[platform.INSTRUCTOR]))
    refused_page(response, "no_scenario", "instructor", log)
    nothing_created()


def test_a_learner_before_any_instructor_is_told_to_ask_them(
    registered, client, scenario_slug, log
):
    response = launch(client, learner(scenario_slug))
    refused_page(response, "not_set_up", "instructor", log)
    nothing_created()


def test_a_launch_without_its_login_cookie_is_refused(registered, client, scenario_slug, log):
    platform.PLATFORM.offers["h"] = teacher(scenario_slug)
    started = client.get("/platform/start/h/")
    from tests.lti.conftest import local

    login = client.get(local(started["Location"]))
    page = client.get(local(login["Location"]))
    action, fields = platform.launch_form(page.content.decode())
    client.cookies.clear()

    response = client.post(local(action), fields)

    refused_page(response, "no_state", "new window", log)
    nothing_created()


@pytest.fixture
def support_slug() -> str:
    from training.cohorts import catalogue

    return next(s for s, v in catalogue.scenarios().items() if v.audience == "support")


def test_a_link_to_a_support_desk_scenario_is_refused_to_its_instructor(
    registered, client, support_slug, log
):
    response = launch(client, teacher(support_slug))
    refused_page(response, "not_for_learners", "pick one of the sellers", log)
    nothing_created()


def test_a_link_to_a_support_desk_scenario_is_refused_to_a_learner(
    registered, client, support_slug, log
):
    response = launch(client, learner(support_slug))
    refused_page(response, "not_for_learners", "pick one of the sellers", log)
    nothing_created()
