"""Scenario text follows the rules: numbers are placeholders filled from the rules in force, and
`scenarios check` refuses a rule's number typed where its placeholder belongs."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command

from tests.rulebook import changed_rules
from tests.rulebook import rule as rule_in_force
from training import scenarios

pytestmark = pytest.mark.django_db


def _rules(**changes):
    return changed_rules(**changes)


def test_the_texts_are_filled_from_the_rules_in_force():
    scenario = scenarios.get("change-of-heart")
    assert "30-day grace period" in scenario.brief
    assert scenario.objectives[1].predicate.hours == 720
    with _rules(DELETION_GRACE=timedelta(days=14)):
        changed = scenarios.get("change-of-heart")
        assert "14-day grace period" in changed.brief and "30-day" not in changed.brief
        assert changed.objectives[1].title == "Cancel the deletion within the 14-day grace period"
        assert changed.objectives[1].predicate.hours == 14 * 24  # the objective follows too
    assert scenarios.get("change-of-heart") == scenario


def test_the_unlink_limit_brief_says_the_limit_and_window_in_force():
    with _rules(UNLINK_LIMIT=5, UNLINK_WINDOW=timedelta(days=90)):
        brief = scenarios.get("unlink-limits").brief
    assert brief.startswith("Juniper Pop-up has been unlinked 5 times in the last 90 days")


@pytest.mark.parametrize("path", scenarios.paths(), ids=lambda p: p.stem)
def test_no_shipped_file_types_a_rule_number(path):
    assert scenarios.typed_numbers(path) == []


def test_no_placeholder_is_left_unfilled_in_a_shipped_scenario():
    for scenario in scenarios.load_all().values():
        assert "{" not in scenario.model_dump_json().replace('{"', "").replace("{}", "")


def test_the_unlink_limits_hint_points_at_the_reason_not_at_a_disabled_button():
    first = scenarios.get("unlink-limits").hints[0].text
    assert "Try the unlink" not in first
    assert "disabled, with the reason beside it" in first


def _copy(tmp_path, name: str, old: str, new: str):
    source = (scenarios.FOLDER / name).read_text(encoding="utf-8")
    assert old in source
    path = tmp_path / name
    path.write_text(source.replace(old, new), encoding="utf-8")
    return path


def test_check_fails_on_a_number_typed_where_a_placeholder_exists(tmp_path, capsys):
    path = _copy(tmp_path, "change-of-heart.toml", "within the {grace.n}-day", "within the 30-day")
    with pytest.raises(CommandError) as err:
        call_command("scenarios", "check", str(path))
    assert "change-of-heart: a rule's number typed where its placeholder belongs: “30-day” is " in (
        str(err.value)
    )
    assert "{grace}" in str(err.value)
    assert "TYPED NUMBERS" in capsys.readouterr().out


def test_an_unknown_placeholder_is_refused_naming_the_known_ones(tmp_path):
    path = _copy(
        tmp_path, "change-of-heart.toml", "{grace.n}-day grace period runs", "{grace_days}"
    )
    with pytest.raises(scenarios.ScenarioError) as err:
        scenarios.load_file(path)
    assert "change-of-heart.toml: unknown placeholder {grace_days}: expected one of {grace}" in (
        str(err.value)
    )


# Each rule a scenario's times wait for, moved well away from its number in the settings.
MOVED_RULES = {
    "DELETION_GRACE": timedelta(days=45),
    "DELETION_LINK_VALID_FOR": timedelta(hours=48),
    "UNLINK_COOLDOWN": timedelta(hours=36),
    "UNLINK_WINDOW": timedelta(days=240),
}


@pytest.mark.parametrize("rule", MOVED_RULES)
def test_check_stays_green_when_a_rule_number_changes(rule, capsys):
    """Issue 21: the steps waited fixed hours (721, 481...), so a rule change failed `scenarios
    check` until every file was edited; now their times are written from the rules."""
    assert rule_in_force(rule) != MOVED_RULES[rule]
    with _rules(**{rule: MOVED_RULES[rule]}):
        call_command("scenarios", "check")
    assert "12 scenarios checked: all pass." in capsys.readouterr().out


def test_a_step_waits_for_the_rule_in_force():
    step = scenarios.get("close-account").solution[-1]
    assert (step.do, step.hours) == ("advance_clock", 30 * 24 + 1)
    with _rules(DELETION_GRACE=timedelta(days=45)):
        changed = scenarios.get("close-account")
    assert changed.solution[-1].hours == 45 * 24 + 1
    assert changed.time_budget_days == 50  # the grace and five days
    with _rules(UNLINK_WINDOW=timedelta(days=240)):
        links = scenarios.get("unlink-limits").world.shops[1].links
    assert [p.unlinked_days_ago for p in links] == [220, 205, 190, None]


def test_a_time_written_wrong_is_refused_saying_what_a_time_takes(tmp_path):
    path = _copy(
        tmp_path, "close-account.toml", 'hours = "{grace} + 1h"', 'hours = "{notify_window} 1h"'
    )
    with pytest.raises(scenarios.ScenarioError) as err:
        scenarios.load_file(path)
    assert str(err.value) == (
        "close-account.toml: hours: '{notify_window} 1h': expected durations joined by + or -, "
        "each a placeholder ({grace}) or a number with its unit (20d, 1h, 30min)"
    )
    path = _copy(
        tmp_path, "close-account.toml", 'hours = "{grace} + 1h"', 'hours = "{unlink_limit} + 1h"'
    )
    with pytest.raises(scenarios.ScenarioError) as err:
        scenarios.load_file(path)
    assert str(err.value).startswith(
        "close-account.toml: hours: {unlink_limit} is not a duration: expected one of {grace}, "
    )
