"""How fast the lifecycle services run on the configured database (run by hand, prints figures).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sim_bench .venv/bin/python bench/transitions.py

Builds a throwaway demo sandbox, then times N rounds of each action pair and prints the mean time
and the number of SQL queries per call. Nothing is asserted: these are figures to compare.
"""

import os
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import User  # noqa: E402
from lifecycle.demo import build_demo_sandbox  # noqa: E402
from lifecycle.services import (  # noqa: E402
    Actor,
    advance_clock,
    deactivate_account,
    reactivate_account,
    relink_shop,
    unlink_shop,
)

ROUNDS = int(os.environ.get("ROUNDS", "200"))


def measure(label: str, calls) -> None:
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        for call in calls:
            call()
    elapsed = time.perf_counter() - started
    count = len(calls)
    print(
        f"{label:<28} {count:>5} calls  {elapsed / count * 1000:7.2f} ms/call  "
        f"{len(queries) / count:5.1f} queries/call"
    )


def main() -> None:
    call_command("migrate", verbosity=0)
    owner, _ = User.objects.get_or_create(username="bench-trainee")
    owner.sandboxes.all().delete()
    sandbox = build_demo_sandbox(owner=owner, name="Bench")
    account, shop = sandbox.account, sandbox.shops.order_by("id").first()
    actor = Actor.trainee(owner)
    print(f"database: {connection.vendor}, rounds: {ROUNDS}")

    measure(
        "deactivate + reactivate",
        [
            (lambda f=f: f(actor=actor, account=account))
            for _ in range(ROUNDS)
            for f in (deactivate_account, reactivate_account)
        ],
    )
    # Unlink limits: 3 per 180 days, 24 hours after linking; move the clock past both each round.
    calls = []
    for _ in range(ROUNDS // 4):
        calls += [
            lambda: advance_clock(actor=actor, sandbox=sandbox, by=timedelta(days=61)),
            lambda: unlink_shop(actor=actor, account=account, shop=shop, confirmed=True),
            lambda: relink_shop(actor=actor, account=account, shop=shop),
        ]
    measure("clock + unlink + relink", calls)
    owner.sandboxes.all().delete()


if __name__ == "__main__":
    main()
