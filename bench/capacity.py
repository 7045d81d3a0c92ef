"""The capacity figure: the largest live class one machine serves, p95 under 300 ms, no error.

    .venv/bin/python bench/capacity.py --start 50 --most 400 --seconds 60   # run_all.py

A cohort of trainees (one trainer, the pause-sales scenario assigned) plays as a class does
(bench/locust_class.py: each signs in once, then a page every 5-10 s, an action every ~30 s,
a scenario from start to finish, the trainer refreshing the grid) against gunicorn on the
bench settings (production's: DEBUG off, persistent connections, sessions in Redis), with
`--workers` sync workers. The class size doubles from `--start` while a step passes, then
`--refine` halvings narrow the gap between the last size that passed and the first that
failed. A step passes when, once everyone has signed in, the class's p95 is under 300 ms and
no request failed; the sign-in burst (everyone within `--spawn` seconds, each password
hashed) is reported apart. Locust runs on the same machine and takes some of its CPU.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from common import ROOT, purge_job_queue, require_postgresql, start_server, stop_server
from django.contrib.auth.hashers import make_password
from django.core.management import call_command

from accounts.models import Sandbox, User
from training.cohorts.models import JoinedBy, Membership
from training.cohorts.roles import ensure_trainers_group
from training.cohorts.services import assign_scenario, create_cohort
from training.models import Attempt

PREFIX = "bench-class"
PASSWORD = "bench-class-9"  # noqa: S105  # nosec B105 (throwaway bench logins)
SCENARIO = "pause-sales"
TARGET_MS = 300
PORT = int(os.environ.get("PORT", "8768"))
LOCUST = Path(os.environ.get("BENCH_TOOLS", ROOT / "var" / "bench-tools")) / "bin" / "locust"


def build_class(size: int) -> dict:
    """A trainer and `size` trainees in a cohort with the scenario assigned (one hash for all:
    the server still checks each sign-in's password in full)."""
    drop_class()
    hashed = make_password(PASSWORD)
    trainer = User.objects.create(username=f"{PREFIX}-trainer", password=hashed)
    trainer.groups.add(ensure_trainers_group())
    trainer = User.objects.get(pk=trainer.pk)  # fresh: the permission cache predates the group
    cohort = create_cohort(actor=trainer, name=f"{PREFIX} cohort")
    people = User.objects.bulk_create(
        User(username=f"{PREFIX}-{n:04d}", email=f"{PREFIX}{n}@example.com", password=hashed)
        for n in range(size)
    )
    Membership.objects.bulk_create(
        Membership(cohort=cohort, trainee=p, joined_by=JoinedBy.TRAINER) for p in people
    )
    assign_scenario(actor=trainer, cohort=cohort, scenario_slug=SCENARIO)
    return {
        "trainer": trainer.username,
        "trainees": [p.username for p in people],
        "password": PASSWORD,
        "cohort": cohort.pk,
        "scenario": SCENARIO,
        "expected": size + 1,
    }


def drop_class() -> None:
    """What a step built: the attempts' sandboxes, the people (and with them the cohort's
    memberships); the cohort itself by its name."""
    from training.cohorts.models import Cohort

    people = User.objects.filter(username__startswith=f"{PREFIX}-")
    Attempt.objects.filter(trainee__in=people).delete()
    Sandbox.objects.filter(owner__in=people).delete()
    Cohort.objects.filter(name=f"{PREFIX} cohort").delete()
    people.delete()


def play(size: int, seconds: int, spawn: int, host: str) -> dict:
    """One step: the class of `size` built, played by locust headless; its results."""
    given = build_class(size)
    with tempfile.TemporaryDirectory() as folder:
        given["results"] = str(Path(folder) / "results.json")
        (Path(folder) / "class.json").write_text(json.dumps(given))
        users = size + 1
        subprocess.run(
            [
                str(LOCUST),
                "-f",
                str(ROOT / "bench" / "locust_class.py"),
                "--headless",
                "--users",
                str(users),
                "--spawn-rate",
                f"{users / spawn:.2f}",
                "--run-time",
                f"{seconds + spawn}s",
                "--host",
                host,
                "--only-summary",
                "--exit-code-on-error",
                "0",
            ],
            cwd=ROOT,
            env={**os.environ, "BENCH_CLASS": str(Path(folder) / "class.json")},
            check=True,
            capture_output=True,
        )
        results = json.loads(Path(given["results"]).read_text())
    purge_job_queue()
    results["size"] = size
    results["passed"] = passes(results)
    return results


def failures(group: dict) -> int:
    return sum(group["failures"].values())


def passes(results: dict) -> bool:
    everyone = results["signed_in"] == results["size"] + 1
    errors = sum(failures(results[g]) for g in ("sign-in", "burst", "class"))
    return everyone and errors == 0 and 0 < results["class"]["p95"] < TARGET_MS


def search(start: int, most: int, refine: int, step) -> tuple[int, list[dict]]:
    """Double from `start` while it passes (up to `most`), then halve the gap `refine` times.
    The largest size that passed (0 if none did) and every step's results."""
    runs: list[dict] = []
    passed, failed, size = 0, 0, start
    while size <= most:
        runs.append(step(size))
        if not runs[-1]["passed"]:
            failed = size
            break
        passed, size = size, size * 2
    if passed == 0 and failed:  # the first step failed: look below it
        lower = failed // 4
        while lower >= 1 and not passed:
            runs.append(step(lower))
            passed, failed = (lower, failed) if runs[-1]["passed"] else (0, lower)
            lower //= 4
    for _ in range(refine):
        if not failed or failed - passed <= max(passed // 10, 1):
            break
        middle = (passed + failed) // 2
        runs.append(step(middle))
        passed, failed = (middle, failed) if runs[-1]["passed"] else (passed, middle)
    return passed, runs


def report(best: int, runs: list[dict], args: argparse.Namespace) -> None:
    print(
        f"A live class against gunicorn ({args.workers} sync workers, bench settings) on this "
        f"{os.cpu_count()}-core machine, locust on the same machine: each trainee signs in once "
        f"(all within {args.spawn} s), then a page every 5-10 s and an action every ~30 s "
        f"(the {SCENARIO} scenario from start to finish), the trainer refreshing the grid. "
        f"Each step runs {args.seconds} s once everyone is signed in. Target: p95 under "
        f"{TARGET_MS} ms and no error.\n"
    )
    print(
        "| trainees | sign-ins | sign-in p50 / p95 / max ms | during the burst p95 ms "
        "| class requests | class req/s | class p50 / p95 / p99 ms | errors | passed |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for run in runs:
        sign, burst, work = run["sign-in"], run["burst"], run["class"]
        errors = {**sign["failures"], **burst["failures"], **work["failures"]}
        rate = work["requests"] / run["class_seconds"] if run["class_seconds"] else 0.0
        print(
            f"| {run['size']} | {run['signed_in'] - 1}/{run['size']} "
            f"| {sign['p50']:.0f} / {sign['p95']:.0f} / {sign['max']:.0f} | {burst['p95']:.0f} "
            f"| {work['requests']} | {rate:.1f} "
            f"| {work['p50']:.0f} / {work['p95']:.0f} / {work['p99']:.0f} "
            f"| {', '.join(f'{k}: {v}' for k, v in errors.items()) or 0} "
            f"| {'yes' if run['passed'] else 'no'} |"
        )
    last = runs[-1]["by_name"] if runs else {}
    played = ", ".join(f"{name} {n}" for name, n in sorted(last.items()))
    print(f"\nRequests of the last step by name: {played}.")
    for run in runs:
        slowest = sorted(run["p95_by_name"].items(), key=lambda item: -item[1])[:4]
        named = ", ".join(f"{name} {ms:.0f}" for name, ms in slowest)
        print(f"- {run['size']} trainees, the slowest requests at work (p95 ms): {named}.")
    print(
        f"\n**Capacity: {best} trainees at once** on one machine of {os.cpu_count()} cores "
        f"(the largest class that passed{'' if best else ': none did'})."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--start", type=int, default=50, help="the first class size")
    parser.add_argument("--most", type=int, default=800, help="the largest size tried")
    parser.add_argument("--refine", type=int, default=2, help="halvings after the doubling")
    parser.add_argument("--seconds", type=int, default=60, help="each step, once signed in")
    parser.add_argument("--spawn", type=int, default=15, help="seconds the sign-ins spread over")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    args = parser.parse_args()
    require_postgresql("the class plays on the real setup")
    if not LOCUST.exists():
        sys.exit(f"locust is missing at {LOCUST}: run bench/run_all.py, which installs it")
    call_command("migrate", verbosity=0)
    server = start_server(PORT, workers=args.workers)
    host = f"http://127.0.0.1:{PORT}"
    try:
        best, runs = search(
            args.start,
            args.most,
            args.refine,
            lambda size: play(size, args.seconds, args.spawn, host),
        )
    finally:
        stop_server(server)
        drop_class()
    report(best, runs, args)


if __name__ == "__main__":
    main()
