"""The coaching panel: each objective's state (met, not yet, missed, done and counting when ...),
required objectives and failing prohibitions marked, sandbox time against the budget with a
warning, Check my work in words, Show the solution making the attempt practice, and the panel's
own address that the pages poll to follow background work."""

import html
import re

import pytest
from django.urls import reverse

from lifecycle.services import Actor
from training.models import Attempt
from training.scenarios.steps import Step
from training.script import Player, play

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_in(client, trainee):
    client.force_login(trainee)
    return client


def _start(client, slug: str) -> Attempt:
    client.post(reverse("scenario_start", args=[slug]))
    return Attempt.objects.order_by("-id").first()


def _play(attempt: Attempt, trainee, *steps: dict) -> None:
    player = Player(
        sandbox=attempt.sandbox, seller=Actor.trainee(trainee), password="correct-horse-9"
    )
    play(player, [Step.model_validate(s) for s in steps])


def _line(page: str, objective_id: str) -> str:
    found = re.search(rf'<li[^>]*data-testid="objective-{objective_id}".*?</li>', page, re.S)
    assert found, objective_id
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(0))).strip())


def _state(page: str, objective_id: str) -> str:
    found = re.search(rf'data-testid="objective-{objective_id}"[^>]*data-state="(\w+)"', page)
    return found.group(1)


def _panel(client, attempt) -> str:
    return client.get(reverse("attempt_panel", args=[attempt.pk])).content.decode()


def test_each_state_of_an_objective_is_rendered_in_words(client_in, trainee):
    attempt = _start(client_in, "close-account")
    page = _panel(client_in, attempt)
    assert _state(page, "export-before-request") == "not_yet"
    assert "Not yet" in _line(page, "export-before-request")
    # Nothing can be failed yet: "no request refused" waits for the request.
    assert _state(page, "orders-first") == "waiting"
    assert "Done, counts when you ask for the deletion" in _line(page, "orders-first")
    assert "0 points now" in page
    _play(attempt, trainee, {"do": "request_export"}, {"do": "download_export"})
    page = _panel(client_in, attempt)
    # The download is done; it counts when the request follows.
    assert _state(page, "export-before-request") == "waiting"
    assert "Done, counts when you ask for the deletion" in _line(page, "export-before-request")
    assert "required" in _line(page, "export-before-request")
    _play(attempt, trainee, {"do": "request_deletion"})  # refused: orders are waiting
    page = _panel(client_in, attempt)
    assert _state(page, "orders-first") == "missed" and "Missed" in _line(page, "orders-first")
    _play(attempt, trainee, {"do": "ship_orders"}, {"do": "end_campaign", "name": "Last orders"})
    _play(attempt, trainee, {"do": "request_deletion"}, {"do": "confirm_deletion"})
    page = _panel(client_in, attempt)
    assert _state(page, "export-before-request") == "met"
    assert "Met" in _line(page, "confirmed-by-email")


def test_a_failing_prohibition_is_marked_and_shown_made(client_in, trainee):
    attempt = _start(client_in, "pause-sales")
    line = _line(_panel(client_in, attempt), "deletion-asked")
    assert "Do not: Asking for the account's deletion" in line and "fails the attempt" in line
    assert "Avoided so far" in line
    _play(attempt, trainee, {"do": "request_deletion"})
    line = _line(_panel(client_in, attempt), "deletion-asked")
    assert "Made" in line


def test_sandbox_days_are_shown_against_the_budget_with_a_warning(client_in, trainee):
    attempt = _start(client_in, "unlink-safely")  # 3 days allowed
    page = _panel(client_in, attempt)
    assert "Sandbox time used: under an hour of 3 days allowed." in page
    assert "panel-clock-warning" not in page
    _play(attempt, trainee, {"do": "advance_clock", "hours": 60})
    page = _panel(client_in, attempt)
    assert "Sandbox time used: 2 days and 12 hours of 3 days allowed." in page
    assert "Only 12 hours of sandbox time left: past 3 days the attempt cannot pass." in page
    _play(attempt, trainee, {"do": "advance_clock", "hours": 24})
    assert "Over the time budget" in _panel(client_in, attempt)


def test_check_my_work_says_what_the_record_shows_without_the_solution(client_in, trainee):
    attempt = _start(client_in, "unlink-safely")
    _play(attempt, trainee, {"do": "unlink_shop", "shop": "Juniper Pop-up"})
    page = client_in.get(reverse("attempt", args=[attempt.pk])).content.decode()
    work = re.search(r'data-testid="check-my-work".*?</details>', page, re.S).group(0)
    text = html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", work)))
    assert "Juniper Pop-up ends unlinked (met): Juniper Pop-up is unlinked." in text
    assert (
        "Download a data export before the pop-up is unlinked (missed): Unlink shop: "
        "Juniper Pop-up came before any “Download data export”." in text
    )
    assert "Data exports →" not in text  # the steps of the solution are not given away


def test_the_sandbox_pages_carry_the_panel_that_polls_its_own_address(client_in, trainee):
    attempt = _start(client_in, "close-account")
    page = client_in.get(reverse("dashboard", args=[attempt.sandbox_id])).content.decode()
    assert f'data-hx-get="{reverse("attempt_panel", args=[attempt.pk])}"' in page
    assert 'data-hx-select="#panel-status"' in page
    assert 'data-testid="check-my-work"' in page


def test_the_panel_follows_background_work_without_a_reload(client_in, trainee):
    attempt = _start(client_in, "change-of-heart")
    _play(attempt, trainee, {"do": "request_deletion"}, {"do": "confirm_deletion"})
    page = _panel(client_in, attempt)
    assert _state(page, "deletion-confirmed") == "met"
    assert "The account is" not in page  # the panel shows states, Check my work the record
    # The grace period runs out through the sweep (the finalization job): the next poll of the
    # panel's address shows what it did, with no page reloaded.
    before = _panel(client_in, attempt)
    _play(attempt, trainee, {"do": "advance_clock", "hours": 721})
    after = _panel(client_in, attempt)
    assert "Sandbox time used: 30 days and 1 hour of" not in before
    assert "Sandbox time used: 30 days and 1 hour." in after


def test_a_finished_attempts_panel_says_so_and_stops_polling(client_in):
    attempt = _start(client_in, "remove-app-access")
    client_in.post(reverse("attempt_finish", args=[attempt.pk]))
    page = _panel(client_in, attempt)
    assert "This attempt is finished" in page and "data-hx-get" not in page


def test_showing_the_solution_makes_the_attempt_practice(client_in, trainee):
    attempt = _start(client_in, "remove-app-access")
    page = client_in.get(reverse("attempt", args=[attempt.pk])).content.decode()
    assert 'data-testid="solution-steps"' not in page and 'data-testid="show-solution"' in page
    response = client_in.post(reverse("attempt_solution", args=[attempt.pk]), follow=True)
    page = response.content.decode()
    assert 'data-testid="solution-steps"' in page and "remove analytics partner" in page
    assert "Practice: the solution was shown" in page
    _play(attempt, trainee, {"do": "remove_app_access", "app": "analytics_partner"})
    client_in.post(reverse("attempt_finish", args=[attempt.pk]))
    attempt.refresh_from_db()
    assert attempt.score == 100 and attempt.passed is False and attempt.feedback["practice"]
    result = client_in.get(reverse("attempt_result", args=[attempt.pk])).content.decode()
    assert "The solution was shown: this attempt was practice." in result
