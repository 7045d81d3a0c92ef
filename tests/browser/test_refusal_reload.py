"""A refused form and the reload button in a real browser (issue 8 item 9): after a refusal the
address bar shows the form's page, and reloading shows that page again with nothing re-sent."""

import re
from urllib.parse import urlparse

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from lifecycle.models import Outcome, TimelineEvent

from .conftest import axe, settle, track_visits, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def events(sandbox) -> int:
    return TimelineEvent.objects.filter(sandbox=sandbox).count()


def submit(page, button) -> int:
    """Press a form's button; the status of the answer htmx put on the page."""
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        button.click()
    settle(page)
    return answer.value.status


def reload(page) -> int:
    response = page.reload()
    assert response is not None
    settle(page)
    axe(page)
    return response.status


def test_a_refused_deletion_request_reloads_as_the_close_page(signed_in, seller):
    page = signed_in
    sandbox = seller.sandbox
    close = reverse("close_account", args=[sandbox.pk])
    visit(page, close)
    page.get_by_label(re.compile("I understand")).check()
    page.get_by_label("Your sign-in password").fill("not-my-password")
    status = submit(page, page.get_by_role("button", name="Request deletion"))

    assert status == 409
    refusal = "That password is not right"
    expect(page.get_by_text(re.compile(refusal))).to_be_visible()
    assert urlparse(page.url).path == close  # not .../close/request/
    axe(page)
    after_refusal = events(sandbox)
    last = TimelineEvent.objects.filter(sandbox=sandbox).latest("id")
    assert (last.outcome, last.code) == (Outcome.REFUSED, "wrong_password")

    assert reload(page) == 200  # not 405, and no "send the form again?"
    assert urlparse(page.url).path == close
    expect(page.get_by_role("button", name="Request deletion")).to_be_visible()
    expect(page.get_by_text(re.compile(refusal))).to_have_count(0)
    assert events(sandbox) == after_refusal  # nothing was sent again


def test_a_clock_move_refused_in_a_second_tab_reloads_as_the_dashboard(signed_in, seller):
    """Two tabs on the exports page; the first moves the clock, the second's move (made from the
    reading it showed) is refused and shows the dashboard, at the dashboard's address."""
    first = signed_in
    sandbox = seller.sandbox
    exports = reverse("exports", args=[sandbox.pk])
    visit(first, exports)
    second = track_visits(first.context.new_page(), urlparse(first.url)._replace(path="").geturl())
    visit(second, exports)

    assert submit(first, first.get_by_role("button", name="+1 hour")) in (200, 302)
    moved = events(sandbox)
    status = submit(second, second.get_by_role("button", name="+1 hour"))

    assert status == 409
    expect(
        second.get_by_text(re.compile("The clock was moved from that time already"))
    ).to_be_visible()
    home = reverse("dashboard", args=[sandbox.pk])
    assert urlparse(second.url).path == home  # the page the refusal shows, not .../clock/
    axe(second)
    refused = events(sandbox)
    assert refused == moved + 1  # the refusal, on the timeline
    assert reload(second) == 200
    assert urlparse(second.url).path == home
    assert events(sandbox) == refused  # the move was not sent again
