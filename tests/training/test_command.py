"""`manage.py scenarios list|check [PATH]`: exit 1 on a bad file or a weak reference solution."""

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Sandbox
from training import scenarios

pytestmark = pytest.mark.django_db

GOOD = scenarios.FOLDER / "remove-app-access.toml"


def test_list_prints_slug_title_audience_and_objectives(capsys):
    call_command("scenarios", "list")
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(scenarios.paths())
    assert (
        "remove-app-access\tRemove a connected app's access\ttrainee\t"
        "analytics-removed, tiktok-kept"
    ) in lines


def test_check_of_one_good_file_prints_both_scores_and_keeps_nothing(capsys):
    call_command("scenarios", "check", str(GOOD))
    out = capsys.readouterr().out
    assert "reference solution: 100/100, passes (pass mark 70)" in out
    assert "careless run: 0/100, misses analytics-removed, tiktok-kept" in out
    assert "1 scenario checked: all pass." in out
    assert not Sandbox.objects.exists()


def _copy(tmp_path, old: str, new: str):
    text = GOOD.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / GOOD.name
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_check_exits_1_naming_an_invalid_file(tmp_path, capsys):
    path = _copy(tmp_path, "pass_mark = 70", 'pass_mark = "high"')
    with pytest.raises(CommandError) as err:
        call_command("scenarios", "check", str(path))
    assert err.value.returncode == 1
    assert "remove-app-access.toml: pass_mark: Input should be a valid integer" in str(err.value)
    assert "INVALID" in capsys.readouterr().out


def test_check_exits_1_when_the_reference_solution_falls_below_the_pass_mark(tmp_path, capsys):
    path = _copy(
        tmp_path,
        'app = "analytics_partner"\n\n[careless]',
        'app = "tiktok_for_business"\n\n[careless]',
    )
    with pytest.raises(CommandError) as err:
        call_command("scenarios", "check", str(path))
    assert err.value.returncode == 1
    assert "remove-app-access: the reference solution scores 0" in str(err.value)
    assert "FAILS" in capsys.readouterr().out


def test_check_names_a_file_that_is_not_utf8_instead_of_a_traceback(tmp_path, capsys):
    path = tmp_path / GOOD.name
    path.write_bytes(GOOD.read_text(encoding="utf-8").encode("utf-8") + b"\n# caf\xe9\n")
    with pytest.raises(CommandError) as err:
        call_command("scenarios", "check", str(path))
    assert err.value.returncode == 1
    assert "remove-app-access.toml: not UTF-8 text (byte 0xe9 at position" in str(err.value)
    assert "INVALID" in capsys.readouterr().out


@pytest.mark.parametrize("nested", ["[" * 2000 + "]" * 2000, "{a = " * 2000 + "1" + "}" * 2000])
def test_check_names_a_file_nested_too_deeply_instead_of_a_traceback(tmp_path, capsys, nested):
    path = tmp_path / GOOD.name
    path.write_text(f"deep = {nested}\n", encoding="utf-8")
    with pytest.raises(CommandError) as err:
        call_command("scenarios", "check", str(path))
    assert err.value.returncode == 1
    assert "remove-app-access.toml: nested too deeply" in str(err.value)
    assert "INVALID" in capsys.readouterr().out
