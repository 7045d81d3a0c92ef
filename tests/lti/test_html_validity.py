"""The LTI pages are valid HTML, by the same Nu HTML checker as the other pages."""

import pytest

from tests.lti import platform
from tests.lti.conftest import launch
from tests.lti.test_grades import finish, run_queued
from tests.lti.test_launch import learner, teacher
from tests.test_html_validity import check
from training.models import Attempt

pytestmark = pytest.mark.django_db


def test_the_lti_pages_are_valid_html(
    registered, client, scenario_slug, queue, django_capture_on_commit_callbacks, tmp_path
):
    refused = launch(client, learner(scenario_slug))  # before any instructor: not set up
    launch(client, teacher(scenario_slug))
    launch(client, learner(scenario_slug))
    platform.PLATFORM.knobs["down"] = True
    finish(Attempt.objects.get(), queue, django_capture_on_commit_callbacks)
    run_queued(queue)
    launch(client, teacher(scenario_slug))
    cohort = Attempt.objects.get().cohort
    pages = {
        "refused": refused,
        "course-cohort": client.get(f"/trainer/cohorts/{cohort.pk}/"),
        "course-grades": client.get(f"/trainer/cohorts/{cohort.pk}/course-grades/"),
    }
    picker = launch(client, platform.Offer(sub="t-1", roles=[platform.INSTRUCTOR], deep_link=True))
    pages["picker"] = picker
    pages["deep-link-return"] = client.post("/lti/deep-link/", {"scenario": scenario_slug})
    statuses = {name: r.status_code for name, r in pages.items()}
    assert statuses == {**{n: 200 for n in pages}, "refused": 400}, statuses
    errors = check({n: r.content.decode() for n, r in pages.items()}, tmp_path)
    assert not errors, f"The Nu HTML checker found errors:\n{errors}"
