"""The result page reads in words: no codes, spans in days and hours, the account's name, the
world's set-up attributed to the scenario, the reference beside the trainee's steps whenever an
objective was missed, each missed objective with its lesson and rulebook section."""

import re

import pytest
from django.urls import reverse

from lifecycle.services import Actor
from training import scenarios
from training.models import Attempt
from training.scenarios.steps import Step
from training.script import Player, play

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_in(client, trainee):
    client.force_login(trainee)
    return client


def _played(client, trainee, slug: str, steps: list[dict]) -> str:
    client.post(reverse("scenario_start", args=[slug]))
    attempt = Attempt.objects.order_by("-id").first()
    player = Player(
        sandbox=attempt.sandbox, seller=Actor.trainee(trainee), password="correct-horse-9"
    )
    play(player, [Step.model_validate(s) for s in steps])
    client.post(reverse("attempt_finish", args=[attempt.pk]))
    return client.get(reverse("attempt_result", args=[attempt.pk])).content.decode()


CARELESS_CLOSE = [
    {"do": "request_deletion"},
    {"do": "cancel_orders"},
    {"do": "end_campaign", "name": "Last orders"},
    {"do": "request_deletion"},
    {"do": "confirm_deletion"},
    {"do": "advance_clock", "hours": 721},
]


def _text(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def test_a_careless_close_reads_in_words(client_in, trainee):
    page = _played(client_in, trainee, "close-account", CARELESS_CLOSE)
    text = _text(page)
    # No codes, no raw statuses, no account number, no decimal days.
    for raw in ("orders_awaiting_shipment", "campaigns_active", "sold_out", "Seller account #"):
        assert raw not in text, raw
    assert not re.search(r"\d+\.\d{2,} days", text)
    assert "Move the clock forward 30 days and 1 hour" in text
    assert "The attempt took 30 days and 1 hour of sandbox time (the brief allowed 35 days)" in text
    assert "What you did with Juniper Goods" in text
    assert "Request deletion: Juniper Goods — refused: 2 orders are still awaiting shipment" in text
    # The missed objectives: lesson and rulebook section, the steps named in words.
    assert "Rulebook §5, Account status." in text
    assert "(in what you did: step 1 )" in text
    assert "Avoided: Avoid:" not in text


def test_the_worlds_set_up_is_the_scenarios_not_the_trainees(client_in, trainee):
    text = _text(_played(client_in, trainee, "close-account", CARELESS_CLOSE))
    setup = text.split("How the scenario set up Juniper Goods before you started")[1]
    assert "Start campaign: Last orders" in setup and "by the scenario" in setup
    mine = text.split("What you did with Juniper Goods")[1].split("How the scenario set up")[0]
    assert "Start campaign" not in mine and "Link shop" not in mine


def test_the_reference_is_shown_after_a_pass_that_missed_an_objective(client_in, trainee):
    # unlink-safely: export then unlink, but Juniper Goods unlinked too: 90 of 100, passed.
    steps = [
        {"do": "request_export"},
        {"do": "download_export"},
        {"do": "unlink_shop", "shop": "Juniper Pop-up"},
        {"do": "unlink_shop", "shop": "Juniper Goods"},
    ]
    page = _played(client_in, trainee, "unlink-safely", steps)
    attempt = Attempt.objects.order_by("-id").first()
    assert attempt.passed and attempt.score == 90
    assert 'data-testid="reference-steps"' in page
    assert "Missed: Juniper Goods stays linked" in _text(page)


def test_a_full_pass_shows_no_reference(client_in, trainee):
    scenario = scenarios.get("remove-app-access")
    steps = [s.model_dump(exclude_defaults=True) for s in scenario.solution]
    page = _played(client_in, trainee, "remove-app-access", steps)
    assert 'data-testid="reference-steps"' not in page and "Passed" in page


def test_a_required_objective_missed_is_said_on_the_result(client_in, trainee):
    steps = [
        {"do": "unlink_shop", "shop": "Juniper Pop-up"},
        {"do": "advance_clock", "hours": 481},
        {"do": "unlink_shop", "shop": "Juniper Pop-up"},
    ]
    text = _text(_played(client_in, trainee, "unlink-limits", steps))
    assert "70 of 100 · Not passed" in text
    assert "The required objective “Market tote sold out before the unlink” was not met." in (text)
