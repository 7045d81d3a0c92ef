"""A cohort at once: seed_demo's class built, then simulated trainees on the close-account flow.

    .venv/bin/python bench/cohort.py --trainees 200 --users 100 --seconds 60   # run_all.py

1. `manage.py seed_demo --trainees N` timed in its own process, from no demo class (the demo
   trainees of an earlier run are removed first). Target: under 60 s for 200.
2. `--users` trainees, each with a demo sandbox of its own and a signed-in session, play the
   close-account flow at once (bench/locustfile.py: close page, request, "check your inbox",
   cancel) for `--seconds` against gunicorn (2 workers), headless and bounded, beside the trivial
   view under the same load. Target: no error, p95 under 300 ms.
"""

import argparse
import csv
import json
import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

from common import (
    ROOT,
    purge_job_queue,
    require_postgresql,
    start_server,
    stop_server,
    timed,
)
from django.core.management import call_command
from django.test import Client

from accounts.models import User
from lifecycle.core.protection import building
from lifecycle.demo import DemoSizes, build_demo_sandbox
from shops.models import Campaign, CampaignStatus, Order, OrderStatus

PREFIX = "bench-cohort"
PASSWORD = "bench-cohort-9"  # noqa: S105 (throwaway bench logins)
PORT = int(os.environ.get("PORT", "8767"))
LOCUST = Path(os.environ.get("BENCH_TOOLS", ROOT / "var" / "bench-tools")) / "bin" / "locust"


def time_seed_demo(trainees: int) -> float:
    User.objects.filter(username__startswith="demo-trainee-").delete()
    env = {**os.environ, "SIMULATOR_BENCH": "1", "DJANGO_SETTINGS_MODULE": "config.settings.bench"}
    with timed() as took:
        subprocess.run(
            [sys.executable, "manage.py", "seed_demo", "--trainees", str(trainees)],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return took()


def trainees(count: int) -> list[dict[str, str]]:
    """Signed-in trainees, each with a small demo sandbox nothing blocks the deletion of."""
    made = []
    for n in range(count):
        person = User.objects.create_user(f"{PREFIX}-{n}", f"{PREFIX}{n}@example.com", PASSWORD)
        sizes = DemoSizes(products=10, customers=20, orders=40, inquiries=3, campaigns=2)
        sandbox = build_demo_sandbox(owner=person, name="Cohort practice", sizes=sizes)
        # The generator's data reshaped before any lifecycle event: no order awaits shipment
        # and no campaign runs, so the request goes through every round.
        with building():  # a world builder's own reshaping (lifecycle.core.protection)
            Order.objects.filter(
                account=sandbox.account, status=OrderStatus.AWAITING_SHIPMENT
            ).update(status=OrderStatus.CANCELLED)
            Campaign.objects.filter(account=sandbox.account, status=CampaignStatus.ACTIVE).update(
                status=CampaignStatus.ENDED
            )
        client = Client()
        client.force_login(person)
        made.append(
            {
                "sandbox": sandbox.pk,
                "password": PASSWORD,
                "session": client.cookies["sessionid"].value,
                "csrf": secrets.token_hex(16),  # 32 characters: Django's unmasked secret
            }
        )
    return made


def locust(users: int, seconds: int, host: str, people: Path, only_trivial: bool) -> dict:
    """Run locust headless; the aggregated row of its stats (requests, failures, p95)."""
    with tempfile.TemporaryDirectory() as folder:
        prefix = Path(folder) / "stats"
        script = ROOT / "bench" / ("locust_trivial.py" if only_trivial else "locustfile.py")
        subprocess.run(
            [
                str(LOCUST),
                "-f",
                str(script),
                "--headless",
                "--users",
                str(users),
                "--spawn-rate",
                str(max(users // 5, 1)),
                "--run-time",
                f"{seconds}s",
                "--host",
                host,
                "--csv",
                str(prefix),
                "--only-summary",
                "--exit-code-on-error",
                "0",
            ],
            cwd=ROOT,
            env={**os.environ, "BENCH_TRAINEES": str(people)},
            check=True,
            capture_output=True,
        )
        with open(f"{prefix}_stats.csv") as handle:
            rows = list(csv.DictReader(handle))
    return {row["Name"]: row for row in rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, default=200, help="seed_demo's class size")
    parser.add_argument("--users", type=int, default=100, help="simulated trainees at once")
    parser.add_argument("--seconds", type=int, default=60, help="how long they play")
    args = parser.parse_args()
    require_postgresql("the cohort runs on the real setup")
    if not LOCUST.exists():
        sys.exit(f"locust is missing at {LOCUST}: run bench/run_all.py, which installs it")
    call_command("migrate", verbosity=0)
    seed_s = time_seed_demo(args.trainees)
    try:
        people = trainees(args.users)
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
            json.dump(people, handle)
        server = start_server(PORT)
        try:
            host = f"http://127.0.0.1:{PORT}"
            trivial = locust(args.users, args.seconds, host, Path(handle.name), True)
            flow = locust(args.users, args.seconds, host, Path(handle.name), False)
        finally:
            stop_server(server)
            os.unlink(handle.name)
    finally:
        purge_job_queue()
        User.objects.filter(username__startswith=f"{PREFIX}-").delete()
    seed_met = ("yes" if seed_s < 60 else "no") if args.trainees >= 200 else "n/a below 200"
    print(
        f"`seed_demo --trainees {args.trainees}`: {seed_s:.1f} s (target under 60 s for 200): "
        f"{seed_met}.\n"
    )
    print(
        f"{args.users} simulated trainees at once for {args.seconds} s each run (locust, "
        "headless, 0.5-1.5 s between rounds), gunicorn 2 sync workers on the bench settings; "
        "the trivial view under the same users first.\n"
    )
    print("| request | requests | failures | median ms | p95 ms | p99 ms | req/s | target met |")
    print("|---|---|---|---|---|---|---|---|")
    for label, stats in (("trivial view", trivial), ("close-account flow", flow)):
        for name, row in stats.items():
            if label == "trivial view" and name != "Aggregated":
                continue
            shown = f"{label}: all" if name == "Aggregated" else name
            failures, p95 = int(row["Failure Count"]), float(row["95%"])
            met = "yes" if failures == 0 and p95 < 300 else "no"
            print(
                f"| {shown} | {row['Request Count']} | {failures} "
                f"| {float(row['Median Response Time']):.0f} "
                f"| {p95:.0f} | {float(row['99%']):.0f} | {float(row['Requests/s']):.1f} "
                f"| {met if name == 'Aggregated' and label != 'trivial view' else ''} |"
            )
    print(
        "\nThe request posts the trainee's password, so every round hashes it (Django's "
        "PBKDF2, by design slow): that CPU is part of the flow's time."
    )


if __name__ == "__main__":
    main()
