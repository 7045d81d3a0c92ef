"""`manage.py scenarios list` and `manage.py scenarios check [PATH]`.

check loads every scenario file (or the one at PATH), builds its world, plays its reference
solution and its careless run, and prints the scores. It exits 1 when a file is invalid, a
reference solution scores below the pass mark, or the careless run does not fail as the file
says it does. What it builds is rolled back, and its export files go to a temporary folder:
the database and var/ are left as they were.
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


def check_one(scenario: Scenario) -> tuple[list[str], list[str]]:
    """(lines to print, problems) for one scenario; nothing it builds is kept."""
    lines, problems = [], []
    try:  # export files go to a temporary folder, rows are rolled back: nothing is kept
        with (
            tempfile.TemporaryDirectory() as media,
            override_settings(MEDIA_ROOT=media),
            transaction.atomic(),
        ):
            reference = rehearse(scenario, scenario.solution).grade
            careless = rehearse(scenario, scenario.careless.steps).grade
            raise Rollback
    except Rollback:
        pass
    lines.append(
        f"  reference solution: {reference.score}/100, "
        f"{'passes' if reference.passed else 'FAILS'} (pass mark {scenario.pass_mark})"
    )
    if not reference.passed:
        problems.append(f"{scenario.slug}: the reference solution scores {reference.score}")
        lines.extend(f"    missed {i}" for i in reference.missed)
    lines.append(
        f"  careless run: {careless.score}/100, misses {', '.join(careless.missed) or 'nothing'}"
    )
    expected = sorted(scenario.careless.misses), sorted(scenario.careless.breaks)
    if careless.passed or (sorted(careless.missed), sorted(careless.broken)) != expected:
        problems.append(
            f"{scenario.slug}: the careless run should fail missing {expected[0]} and making "
            f"{expected[1]}; it missed {careless.missed} and made {careless.broken}"
        )
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
