"""Deep linking: an instructor picks a scenario; the platform gets a link that opens it."""

import re

import pytest

from lti.models import LaunchNonce
from tests.lti import platform
from tests.lti.conftest import launch, local
from tests.lti.test_launch import learner
from training.cohorts import catalogue
from training.models import Attempt

pytestmark = pytest.mark.django_db

JWT_FIELD = re.compile(r'name="JWT" value="([^"]+)"')
ACTION = re.compile(r'<form method="post" action="([^"]+)" data-autosubmit')


def adding(sub: str = "t-1") -> platform.Offer:
    return platform.Offer(sub=sub, roles=[platform.INSTRUCTOR], deep_link=True)


def test_an_instructor_picks_a_scenario_and_the_platform_gets_its_link(
    registered, client, scenario_slug
):
    picker = launch(client, adding())
    page = picker.content.decode()
    assert picker.status_code == 200, page[:300]
    titles = [s.title for s in catalogue.scenarios().values()]
    offered = [t for t in titles if t in page]
    assert catalogue.title_of(scenario_slug) in offered

    answer = client.post("/lti/deep-link/", {"scenario": scenario_slug})

    text = answer.content.decode()
    action = ACTION.search(text).group(1)
    assert action == platform.url("deep-link-return")
    assert f"form-action 'self' {platform.PLATFORM.base_url}" in answer["Content-Security-Policy"]
    back = client.post(local(action), {"JWT": JWT_FIELD.search(text).group(1)})
    assert back.status_code == 200
    [item] = platform.PLATFORM.content_items
    assert item["type"] == "ltiResourceLink"
    assert item["title"] == catalogue.title_of(scenario_slug)
    assert item["url"].endswith("/lti/launch/")
    assert item["custom"] == {"scenario": scenario_slug}
    assert item["lineItem"]["scoreMaximum"] == 100

    # The platform places the link in the course; the instructor, then a learner, open it.
    placed = platform.Offer(sub="t-1", roles=[platform.INSTRUCTOR], custom=item["custom"])
    assert "/progress/" in launch(client, placed)["Location"]
    landed = launch(client, learner(scenario_slug))
    assert landed["Location"] == f"/training/attempts/{Attempt.objects.get().pk}/"


def test_a_learner_cannot_add_an_activity(registered, client):
    offer = platform.Offer(sub="l-1", roles=[platform.LEARNER], deep_link=True)
    response = launch(client, offer)
    assert response.status_code == 400
    assert 'data-problem="unsupported"' in response.content.decode()
    assert not LaunchNonce.objects.exists()


def test_a_pick_without_a_deep_linking_launch_in_this_browser_is_refused(
    registered, client, scenario_slug
):
    response = client.post("/lti/deep-link/", {"scenario": scenario_slug})
    assert response.status_code == 400
    assert 'data-problem="no_state"' in response.content.decode()


def test_a_pick_of_a_scenario_not_offered_is_refused(registered, client):
    launch(client, adding())
    response = client.post("/lti/deep-link/", {"scenario": "no-such-scenario"})
    assert response.status_code == 400
    assert 'data-problem="scenario_gone"' in response.content.decode()
