"""A clock move names the reading it was made from (RULEBOOK §7, §9).

A double click, a second tab or a resent form makes a second move from the same reading: it is
refused as already done, so two "+30 days" move the clock 30 days, not 60. And where the move
sends the trainee afterwards (`next`) is checked before anything moves.
"""

from datetime import timedelta

import pytest

from accounts.models import Sandbox
from lifecycle.errors import Code, LifecycleError
from lifecycle.models import TimelineEvent
from lifecycle.services import Actor, advance_clock, request_deletion
from lifecycle.services.clock import clock_reading
from tests.support_admin import client_for, post_action, reported, staff_with
from tests.web import clock_form, shown, url

PASSWORD = "correct-horse-9"
SANDBOX = "accounts.sandbox"


@pytest.fixture
def account(quiet):
    return quiet


def offset(sandbox: Sandbox) -> timedelta:
    return Sandbox.objects.get(pk=sandbox.pk).clock_offset


def clock_events(sandbox: Sandbox) -> list[tuple[str, str]]:
    events = TimelineEvent.objects.filter(sandbox=sandbox, action="advance_clock").order_by("id")
    return list(events.values_list("outcome", "code"))


def test_the_page_names_the_reading_its_buttons_move_from(signed_in, account):
    sandbox = account.sandbox
    advance_clock(actor=Actor.trainee(sandbox.owner), sandbox=sandbox, by=timedelta(hours=5))
    page = signed_in.get(url("dashboard", sandbox)).content.decode()
    assert f'name="reading" value="{clock_reading(offset(sandbox))}"' in page


def test_a_double_click_on_thirty_days_moves_the_clock_thirty_days(signed_in, account):
    sandbox = account.sandbox
    form = clock_form(sandbox, "30d")
    first = signed_in.post(url("advance_clock", sandbox), form)
    second = signed_in.post(url("advance_clock", sandbox), form)

    assert first.status_code == 302
    assert second.status_code == 409
    assert offset(sandbox) == timedelta(days=30)
    assert clock_events(sandbox) == [("done", ""), ("refused", "clock_moved_already")]
    assert shown(second, "The clock was moved from that time already")


def test_a_move_from_the_new_reading_is_a_new_move(signed_in, account):
    sandbox = account.sandbox
    for _ in range(2):
        response = signed_in.post(url("advance_clock", sandbox), clock_form(sandbox, "1d"))
        assert response.status_code == 302
    assert offset(sandbox) == timedelta(days=2)


def test_a_double_click_on_next_event_reaches_one_event(signed_in, trainee, account):
    request_deletion(
        actor=Actor.trainee(trainee), account=account, password=PASSWORD, acknowledged=True
    )
    sandbox = account.sandbox
    form = clock_form(sandbox, "next")
    assert signed_in.post(url("advance_clock", sandbox), form).status_code == 302
    moved = offset(sandbox)
    assert timedelta(hours=24) < moved < timedelta(hours=24, minutes=1)
    assert signed_in.post(url("advance_clock", sandbox), form).status_code == 409
    assert offset(sandbox) == moved
    assert clock_events(sandbox) == [("done", ""), ("refused", "clock_moved_already")]


@pytest.mark.parametrize("reading", ["", "soon", "-5", "1.5", "9" * 40])
def test_a_move_without_a_reading_it_can_use_moves_nothing(signed_in, account, reading):
    sandbox = account.sandbox
    response = signed_in.post(url("advance_clock", sandbox), {"by": "1d", "reading": reading})
    assert response.status_code == 400
    assert shown(response, "This clock is out of date: reload the page and try again.")
    assert offset(sandbox) == timedelta(0)


def test_the_service_refuses_a_second_move_from_one_reading(as_trainee, account):
    sandbox = account.sandbox
    advance_clock(actor=as_trainee, sandbox=sandbox, by=timedelta(days=1), reading=timedelta(0))
    with pytest.raises(LifecycleError) as refused:
        advance_clock(actor=as_trainee, sandbox=sandbox, by=timedelta(days=1), reading=timedelta(0))
    assert refused.value.code == Code.CLOCK_MOVED_ALREADY
    assert offset(sandbox) == timedelta(days=1)


# --- Where the trainee goes afterwards -------------------------------------------------------


@pytest.mark.parametrize(
    "back",
    ["true", "0", "null", "[]", "orders", "//evil.example/x", "https://evil.example/", "/\\evil"],
)
def test_a_next_that_is_not_a_same_site_path_goes_to_the_dashboard(signed_in, account, back):
    sandbox = account.sandbox
    form = clock_form(sandbox, "1h", next=back)
    response = signed_in.post(url("advance_clock", sandbox), form)
    assert response.status_code == 302
    assert response["Location"] == url("dashboard", sandbox)
    assert offset(sandbox) == timedelta(hours=1)
    assert clock_events(sandbox) == [("done", "")]


def test_a_same_site_next_is_followed(signed_in, account):
    sandbox = account.sandbox
    back = url("orders", sandbox, query="status=shipped")
    form = clock_form(sandbox, "1h", next=back)
    response = signed_in.post(url("advance_clock", sandbox), form)
    assert response["Location"] == back


# --- Support staff ---------------------------------------------------------------------------


@pytest.fixture
def clock_agent(db):
    return staff_with(
        "accounts.view_sandbox", "accounts.change_sandbox", "accounts.advance_clock_sandbox"
    )


def test_the_preview_of_a_clock_move_names_the_reading_it_is_made_from(clock_agent, account):
    sandbox = account.sandbox
    preview = post_action(client_for(clock_agent), SANDBOX, "advance_one_day", [sandbox])
    field = f'name="clock_reading_{sandbox.pk}" value="{clock_reading(timedelta(0))}"'
    assert field in preview.content.decode()


@pytest.mark.parametrize("action", ["advance_one_day", "advance_to_next_event"])
def test_a_staff_double_click_moves_the_clock_once(clock_agent, trainee, account, action):
    request_deletion(
        actor=Actor.trainee(trainee), account=account, password=PASSWORD, acknowledged=True
    )
    sandbox = account.sandbox
    client = client_for(clock_agent)
    seen = {f"clock_reading_{sandbox.pk}": clock_reading(timedelta(0)), "confirm": "yes"}
    post_action(client, SANDBOX, action, [sandbox], **seen)
    moved = offset(sandbox)
    assert moved > timedelta(0)
    second = post_action(client, SANDBOX, action, [sandbox], **seen)
    assert offset(sandbox) == moved
    level, text = reported(second)[-1]  # the first post's report is still waiting to be shown
    assert level == "warning" and "The clock was moved from that time already" in text
    assert [outcome for outcome, _ in clock_events(sandbox)] == ["done", "refused"]
