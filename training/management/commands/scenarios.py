"""`manage.py scenarios list` and `manage.py scenarios check [PATH]`.

check loads every scenario file (or the one at PATH), builds its world, plays its reference
solution, each alternative and its careless run, grades the world left untouched, and prints the
scores. It exits 1 when a file is invalid, the reference or an alternative scores below 100, the
careless run does not fail as the file says it does, the untouched world earns a point, or a
rule's number is typed where its placeholder belongs ("30 days" instead of {grace}).
What it builds is rolled back, and its export files go to a temporary folder: the database and
var/ are left as they were.
"""

import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from lifecycle.wording import count
from training import scenarios
from training.play import rehearse
from training.scenarios import Scenario, ScenarioError


class Rollback(Exception):
    pass


def play_all(scenario: Scenario) -> dict:
    """Every run of the file by name, and "untouched" (no step): their grades. Nothing is kept."""
    grades = {}
    try:  # export files go to a temporary folder, rows are rolled back: nothing is kept
        with (
            tempfile.TemporaryDirectory() as media,
            override_settings(MEDIA_ROOT=media),
            transaction.atomic(),
        ):
            for name, steps in scenario.runs().items():
                grades[name] = rehearse(scenario, steps).grade
            grades["untouched"] = rehearse(scenario, []).grade
            raise Rollback
    except Rollback:
        pass
    return grades


def check_one(scenario: Scenario) -> tuple[list[str], list[str]]:
    """(lines to print, problems) for one scenario; nothing it builds is kept."""
    lines, problems = [], []
    grades = play_all(scenario)
    careless = grades.pop("careless")
    untouched = grades.pop("untouched")
    for name, grade in grades.items():
        shown = "reference solution" if name == "reference" else name
        lines.append(
            f"  {shown}: {grade.score}/100, "
            f"{'passes' if grade.passed else 'FAILS'} (pass mark {scenario.pass_mark})"
        )
        if grade.score < 100 or not grade.passed:
            problems.append(f"{scenario.slug}: the {shown} scores {grade.score}")
            lines.extend(f"    missed {i}" for i in grade.missed)
            lines.extend(f"    made {i}" for i in grade.broken)
            lines.extend(f"    {why}" for why in grade.failed_because)
    lines.append(
        f"  careless run: {careless.score}/100, misses {', '.join(careless.missed) or 'nothing'}"
        + (f", makes {', '.join(careless.broken)}" if careless.broken else "")
    )
    expected = sorted(scenario.careless.misses), sorted(scenario.careless.breaks)
    if careless.passed or (sorted(careless.missed), sorted(careless.broken)) != expected:
        problems.append(
            f"{scenario.slug}: the careless run should fail missing {expected[0]} and making "
            f"{expected[1]}; it missed {careless.missed} and made {careless.broken}"
        )
    lines.append(f"  untouched world: {untouched.earned}/100 from objectives")
    if untouched.earned:
        free = [line.id for line in untouched.lines if line.kind == "objective" and line.met]
        problems.append(f"{scenario.slug}: free points before any step, from {', '.join(free)}")
    return lines, problems


class Command(BaseCommand):
    help = "List the training scenarios, or check them (build, reference solution, careless run)."

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["list", "check"])
        parser.add_argument("path", nargs="?", help="check only this scenario file")

    def handle(self, *args, what: str, path: str | None = None, **options):
        if what == "list":
            return self._list()
        files = [Path(path)] if path else scenarios.paths()
        problems: list[str] = []
        for file in files:
            try:
                scenario = scenarios.load_file(file)
            except ScenarioError as err:
                self.stdout.write(f"{file.name}: INVALID\n{err}")
                problems.append(str(err).splitlines()[0])
                continue
            self.stdout.write(f"{scenario.slug}: {scenario.title}")
            typed = scenarios.typed_numbers(file)
            if typed:
                self.stdout.write(f"  TYPED NUMBERS: {'; '.join(typed)}")
                problems.append(
                    f"{scenario.slug}: a rule's number typed where its placeholder belongs: "
                    + "; ".join(typed)
                )
            lines, found = check_one(scenario)
            self.stdout.write("\n".join(lines))
            problems.extend(found)
        if problems:
            raise CommandError(
                f"{count(len(problems), 'problem')}:\n" + "\n".join(problems), returncode=1
            )
        self.stdout.write(f"{count(len(files), 'scenario')} checked: all pass.")

    def _list(self) -> None:
        try:
            loaded = scenarios.load_all()
        except ScenarioError as err:
            raise CommandError(str(err), returncode=1) from err
        for s in loaded.values():
            objectives = ", ".join(o.id for o in s.objectives)
            self.stdout.write(f"{s.slug}\t{s.title}\t{s.audience}\t{objectives}")
