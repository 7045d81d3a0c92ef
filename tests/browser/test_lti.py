"""A course's link in a real browser: the platform's launch page, then the simulator.

The test platform (tests/lti/platform.py) is served by the same live server; the learner clicks
its launch button and lands in their attempt, signed in. The instructor's deep-linking picker
is photographed for the README."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe, shoot
from tests.lti import platform
from tests.lti.conftest import register_platform
from tests.lti.test_launch import learner, teacher
from training.cohorts import catalogue
from training.models import Attempt

pytestmark = pytest.mark.browser


@pytest.fixture
def lms(live_server, transactional_db, settings):
    settings.ROOT_URLCONF = "tests.lti.urls"
    return register_platform(live_server.url)


def open_from_course(page, offer: platform.Offer, hint: str) -> None:
    """The person clicks the activity in their course: the platform's launch page posts the
    signed launch to the simulator."""
    platform.PLATFORM.offers[hint] = offer
    page.goto(f"/platform/start/{hint}/")
    axe(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Open the activity").click()


def test_a_learner_follows_the_courses_link_into_their_attempt(new_page, lms):
    slug = next(iter(catalogue.assignable(catalogue.scenarios())))
    instructor = new_page()
    open_from_course(instructor, teacher(slug), "teacher")
    expect(instructor).to_have_url(re.compile(r"/trainer/cohorts/\d+/progress/$"))
    axe(instructor)

    page = new_page()
    open_from_course(page, learner(slug), "learner")

    attempt = Attempt.objects.get()
    expect(page).to_have_url(re.compile(rf"/training/attempts/{attempt.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(catalogue.title_of(slug))
    axe(page)


def add_activity(page, hint: str) -> None:
    offer = platform.Offer(sub="t-1", roles=[platform.INSTRUCTOR], deep_link=True)
    open_from_course(page, offer, hint)
    expect(page.get_by_role("heading", level=1)).to_have_text("Pick a scenario for your course")
    axe(page)


def test_an_instructor_picks_a_scenario_for_the_course(new_page, lms):
    slug = next(iter(catalogue.assignable(catalogue.scenarios())))
    title = catalogue.title_of(slug)
    page = new_page()
    returned = re.compile(r"/platform/deep-link-return/$")
    added = "The activity was added to the course."

    # Without the page's script (a browser that runs none): the button takes the link back.
    page.route("**/static/lti/return.js", lambda route: route.abort())
    add_activity(page, "adding")
    shoot(page, "lti-deep-linking-picker", docs=True)
    page.get_by_label(title).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Add to the course").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Back to your course")
    axe(page)
    with page.expect_navigation(url=returned):
        page.get_by_role("button", name="Return to the course").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(added)
    axe(page)

    # With it, the answer goes back by itself.
    page.unroute("**/static/lti/return.js")
    add_activity(page, "adding-again")
    page.get_by_label(title).check()
    with page.expect_navigation(url=returned):
        page.get_by_role("button", name="Add to the course").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(added)
    axe(page)
    items = platform.PLATFORM.content_items
    assert [i["custom"] for i in items] == [{"scenario": slug}] * 2
    assert items[0]["title"] == title and items[0]["lineItem"]["scoreMaximum"] == 100
