"""Scenario files: every shipped one loads; a malformed one is refused naming file and field."""

import tomllib
from pathlib import Path

import pytest

from training import scenarios
from training.scenarios import ScenarioError, load_file

SHIPPED = scenarios.paths()
GOOD = scenarios.FOLDER / "unlink-safely.toml"


def test_every_shipped_file_loads_and_get_finds_it_by_slug():
    loaded = scenarios.load_all()
    assert len(loaded) == len(SHIPPED) >= 1
    for slug, scenario in loaded.items():
        assert scenarios.get(slug) is scenario
        assert scenario.audience in ("trainee", "support")
        assert 1 <= scenario.pass_mark <= 100
        assert all(
            o.id and o.title and o.weight and o.section and o.lesson for o in scenario.objectives
        )


def test_get_names_an_unknown_slug():
    with pytest.raises(KeyError, match="no scenario 'nope'"):
        scenarios.get("nope")


def _write(tmp_path: Path, text: str, name: str = "unlink-safely.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _edited(tmp_path: Path, old: str, new: str) -> Path:
    text = GOOD.read_text(encoding="utf-8")
    assert old in text, old
    return _write(tmp_path, text.replace(old, new, 1))


def _refusal(path: Path) -> str:
    with pytest.raises(ScenarioError) as err:
        load_file(path)
    return str(err.value)


def test_a_missing_field_is_named_with_the_file(tmp_path):
    message = _refusal(_edited(tmp_path, "pass_mark = 70\n", ""))
    assert message == "unlink-safely.toml: pass_mark: required, but missing"


def test_an_unknown_predicate_kind_is_refused_with_the_kinds_expected(tmp_path):
    message = _refusal(
        _edited(
            tmp_path,
            'kind = "shop_linked", shop = "Juniper Pop-up"',
            'kind = "sometime", shop = "Juniper Pop-up"',
        )
    )
    assert message.startswith("unlink-safely.toml: objectives[1].predicate: ")
    assert "'happened'" in message and "'before'" in message and "sometime" in message


def test_a_wrong_type_is_refused_naming_the_field(tmp_path):
    message = _refusal(_edited(tmp_path, "weight = 40", 'weight = "forty"'))
    assert message.startswith("unlink-safely.toml: objectives[1].weight: ")
    assert "integer" in message


def test_an_unknown_action_kind_lists_the_timeline_actions(tmp_path):
    message = _refusal(
        _edited(
            tmp_path, 'first = { action = "download_export" }', 'first = { action = "download" }'
        )
    )
    assert message.startswith("unlink-safely.toml: objectives[0].predicate.before.first.action: ")
    assert "expected a timeline action" in message and "download_export" in message


def test_a_misspelt_field_is_refused_not_ignored(tmp_path):
    message = _refusal(_edited(tmp_path, "pass_mark = 70", "pass_mark = 70\npassmark = 70"))
    assert message == "unlink-safely.toml: passmark: not a field of the schema (misspelt?)"


def test_a_step_naming_a_shop_not_in_the_world_is_refused(tmp_path):
    message = _refusal(_edited(tmp_path, 'shop = "Juniper Pop-up"\nwhy', 'shop = "Elsewhere"\nwhy'))
    assert message.startswith("unlink-safely.toml: (the whole file): expected a step's shop")


def test_a_world_field_problem_is_located_inside_the_world(tmp_path):
    message = _refusal(_edited(tmp_path, 'category = "home_garden"', 'category = "Garden"'))
    assert message.startswith("unlink-safely.toml: world.category: expected a category, one of: ")


def test_broken_toml_and_a_slug_unlike_the_file_name_are_refused(tmp_path):
    assert _refusal(_write(tmp_path, "slug = ")).startswith("unlink-safely.toml: not valid TOML")
    renamed = _write(tmp_path, GOOD.read_text(encoding="utf-8"), name="other.toml")
    assert _refusal(renamed) == "other.toml: slug: expected the file's name, 'other'"


def test_the_shipped_files_are_toml_the_standard_library_reads():
    for path in SHIPPED:
        assert tomllib.loads(path.read_text(encoding="utf-8"))["slug"] == path.stem


def test_a_staff_step_without_a_reason_is_refused(tmp_path):
    text = (scenarios.FOLDER / "support-stop-deletion.toml").read_text(encoding="utf-8")
    path = _write(
        tmp_path,
        text.replace('reason = "The seller wrote in to keep the account."\n', ""),
        "support-stop-deletion.toml",
    )
    message = _refusal(path)
    assert message.startswith("support-stop-deletion.toml: solution[0]: expected a reason")
