"""The one registry of steps: an unknown step is refused when the file is read, and the
vocabulary covers every action a trainee can take, each played through the page's service."""

import pytest
from pydantic import ValidationError

from lifecycle.transitions import BY_ACTION
from training import scenarios
from training.play import rehearse
from training.scenarios import Scenario, ScenarioError
from training.scenarios.steps import STAFF_STEPS, STEPS, Step, span
from training.script import Player, play

pytestmark = pytest.mark.django_db


def test_an_unknown_step_is_refused_naming_the_vocabulary():
    with pytest.raises(ValidationError) as err:
        Step(do="mark_sold_out")
    assert "expected a step, one of: add_product_link, advance_clock" in str(err.value)


def test_an_unknown_step_in_a_file_names_the_file_and_the_field(tmp_path):
    source = (scenarios.FOLDER / "remove-app-access.toml").read_text(encoding="utf-8")
    path = tmp_path / "remove-app-access.toml"
    path.write_text(source.replace('do = "remove_app_access"', 'do = "remove_app"', 1))
    with pytest.raises(ScenarioError) as err:
        scenarios.load_file(path)
    assert "remove-app-access.toml: solution[0].do: expected a step, one of:" in str(err.value)


def test_a_step_missing_what_it_needs_is_refused():
    with pytest.raises(ValidationError, match="expected sku for a edit_product step"):
        Step(do="edit_product", stock=0)


def test_playing_a_step_the_registry_does_not_hold_is_an_error():
    step = Step.model_construct(do="teleport", by="seller", reason=None)
    player = Player(sandbox=None, seller=object(), password="")
    with pytest.raises(ValueError, match="no step 'teleport' in the registry"):
        play(player, [step])


def test_staff_steps_are_the_ones_support_can_take():
    assert STAFF_STEPS == (
        "advance_clock",
        "cancel_deletion",
        "deactivate",
        "reactivate",
        "unlink_shop",
    )
    with pytest.raises(ValidationError, match="a step support staff can take"):
        Step(do="switch_type", type="business", category="beauty", by="staff", reason="asked")


def test_spans_are_said_in_days_and_hours():
    assert span(481) == "20 days and 1 hour"
    assert span(19) == "19 hours"
    assert span(720) == "30 days"
    assert span(0.5) == "30 minutes"


EVERYTHING = {
    "slug": "every-step",
    "title": "Every step",
    "audience": "trainee",
    "brief": "Play every step.",
    "pass_mark": 50,
    "world": {
        "account_type": "business",
        "category": "beauty",
        "customers": 3,
        "inquiries": 1,
        "apps": ["analytics_partner"],
        "shops": [
            {
                "name": "Juniper Goods",
                "links": [{"linked_days_ago": 90}],
                "products": [
                    {"title": "Rose face oil", "sku": "JB-001"},
                    {"title": "Lip balm", "sku": "JB-002"},
                ],
            },
            {"name": "Juniper Pop-up", "links": [{"linked_days_ago": 60, "unlinked_days_ago": 40}]},
            {"name": "Juniper Market"},
        ],
        "orders": [{"shop": "Juniper Goods", "status": "awaiting_shipment", "count": 4}],
        "videos": [{"shop": "Juniper Goods", "title": "Morning routine"}],
    },
    "objectives": [
        {
            "id": "anything",
            "title": "Anything",
            "weight": 1,
            "section": "§2",
            "lesson": "Do anything.",
            "predicate": {"kind": "happened", "event": {"action": "request_export"}},
        }
    ],
    "solution": [{"do": "request_export"}],
    "careless": {"steps": [{"do": "ship_orders"}], "misses": ["anything"]},
}

SCRIPT = [
    {"do": "request_export"},
    {"do": "download_export"},
    {"do": "retry_export"},  # refused: the export did not fail, and the refusal is recorded
    {"do": "link_shop", "shop": "Juniper Market"},
    {"do": "link_shop", "shop": "Juniper Pop-up"},  # a relink
    {"do": "create_campaign", "shop": "Juniper Goods", "name": "Glow"},
    {"do": "start_campaign", "name": "Glow"},
    {"do": "pause_campaign", "name": "Glow"},
    {"do": "end_campaign", "name": "Glow"},
    {"do": "ship_order"},
    {"do": "cancel_order"},
    {"do": "ship_orders"},
    {"do": "cancel_orders"},
    {"do": "reply_inquiry", "text": "It left today."},
    {"do": "change_listing", "sku": "JB-002", "status": "removed"},
    {"do": "edit_product", "sku": "JB-001", "title": "Rose oil", "price": "24", "stock": 3},
    {"do": "pick_sound", "video": "Morning routine", "sound": "soft-launch"},
    {"do": "add_product_link", "video": "Morning routine", "sku": "JB-001"},
    {"do": "remove_product_link", "video": "Morning routine", "sku": "JB-001"},
    {"do": "schedule_live", "title": "Q&A", "hours": 48},
    {"do": "cancel_live", "title": "Q&A"},
    {"do": "remove_app_access", "app": "analytics_partner"},
    {"do": "grant_app_access", "app": "analytics_partner"},
    {"do": "switch_type", "type": "creator", "category": "beauty"},
    {"do": "advance_clock", "hours": 25},
    {"do": "unlink_shop", "shop": "Juniper Market", "page": "shop_settings"},
    {"do": "deactivate"},
    {"do": "reactivate"},
    {"do": "notify_customers"},
    {"do": "request_deletion"},
    {"do": "open_link"},
    {"do": "confirm_deletion"},
    {"do": "cancel_deletion"},
    {"do": "request_deletion"},
    {"do": "clock_to_next_event"},  # the link lapses
    {"do": "open_link", "link": "first"},  # refused: the first request was cancelled
]


def test_every_step_plays_through_the_pages_service_and_every_trainee_action_is_reachable():
    scenario = Scenario.model_validate(EVERYTHING)
    steps = [Step.model_validate(s) for s in SCRIPT]
    assert {s.do for s in steps} == set(STEPS)  # the script uses every step of the registry
    played = rehearse(scenario, steps)
    assert played.player.refusals[0].startswith("retry_export: ")
    assert [r.split(":")[0] for r in played.player.refusals] == ["retry_export", "open_link"]
    taken = {e.action for e in played.events if e.actor_kind == "trainee"}
    trainee_actions = {a for a, t in BY_ACTION.items() if "trainee" in t.actors}
    assert trainee_actions - taken == set()
    for step in steps:
        assert step.describe() and "_" not in step.describe().replace("analytics_partner", "")
