"""The page benchmark on `make run`'s embedded default: SQLite and the filesystem broker, with the
worker exporting at the same time (prints Markdown).

    .venv/bin/python bench/embedded.py --exports 3 --orders 2000     # bench/run_all.py runs it

Everything lives in a temporary folder (the SQLite file, the broker's queue, the export files):
DATABASE_URL and REDIS_URL of the environment are not used. A Celery worker (one process) builds
`--exports` exports of accounts with `--orders` orders each while gunicorn (2 workers) serves
the pages to wrk, alternating with the trivial view as bench/pages.py does. Target (issue 12):
no error (no 5xx while the worker writes), and the ratio to the trivial view reported.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FOLDER = Path(tempfile.mkdtemp(prefix="bench-embedded-"))
EMBEDDED = {
    "DATABASE_URL": f"sqlite:///{FOLDER / 'simulator.sqlite3'}",
    "SIMULATOR_VAR_DIR": str(FOLDER),
}
os.environ.update(EMBEDDED)
os.environ.pop("REDIS_URL", None)  # the filesystem broker under FOLDER, as `make run` has it

from common import ROOT, TRIVIAL_PATH, start_server, stop_server  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from accounts.models import User  # noqa: E402
from lifecycle.demo import DemoSizes, build_demo_sandbox  # noqa: E402
from lifecycle.models import ExportJob  # noqa: E402
from lifecycle.services import Actor, request_export  # noqa: E402

PORT = int(os.environ.get("PORT", "8768"))
PAGES = {"dashboard": "", "orders": "orders/", "exports": "exports/", "close account": "close/"}


def start_worker() -> subprocess.Popen:
    celery = Path(sys.executable).parent / "celery"
    return subprocess.Popen(
        [str(celery), "-A", "config", "worker", "--concurrency=1", "--loglevel=WARNING"],
        cwd=ROOT,
        env={**os.environ},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exports", type=int, default=3, help="exports built during the run")
    parser.add_argument("--orders", type=int, default=2000, help="orders of each exported account")
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("DURATION", "5")))
    args = parser.parse_args()
    os.environ["DURATION"] = str(args.seconds)
    from pages import wrk  # the same wrk run and figures as the page benchmark

    if connection.vendor != "sqlite":
        sys.exit("the embedded default is SQLite")
    call_command("migrate", verbosity=0)
    owner = User.objects.create_user("bench-embedded", "embedded@example.com", "bench-pass-9")
    sandbox = build_demo_sandbox(owner=owner, name="Embedded", sizes=DemoSizes())
    exported = [
        build_demo_sandbox(
            owner=owner, name=f"Exported {n}", sizes=DemoSizes(orders=args.orders)
        ).account
        for n in range(args.exports)
    ]
    client = Client()
    client.force_login(owner)
    cookie = client.cookies["sessionid"].value
    connection.close()
    worker, server = start_worker(), start_server(PORT)
    rows = []
    try:
        for account in exported:
            request_export(actor=Actor.trainee(owner), account=account)
        connection.close()
        for name, tail in PAGES.items():
            trivial = wrk("/" + TRIVIAL_PATH, cookie, port=PORT)
            page = wrk(f"/s/{sandbox.pk}/{tail}", cookie, port=PORT)
            rows.append((name, trivial, page))
        deadline = time.monotonic() + 120  # let the worker finish what it started
        while ExportJob.objects.filter(status__in=["queued", "running"]).exists():
            if time.monotonic() > deadline:
                break
            time.sleep(1)
        states = dict.fromkeys(["ready", "failed", "queued", "running"], 0)
        for status in ExportJob.objects.values_list("status", flat=True):
            states[status] = states.get(status, 0) + 1
    finally:
        stop_server(server)
        stop_server(worker)
        shutil.rmtree(FOLDER, ignore_errors=True)
    exports = f"{args.exports} export{'s' if args.exports != 1 else ''}"
    print(
        "SQLite and the filesystem broker in a temporary folder; gunicorn 2 sync workers; one "
        f"Celery worker building {exports} of {args.orders} orders each while wrk ran "
        f"({args.seconds} s per run, trivial view then page).\n"
    )
    print(
        "| page | page req/s | trivial req/s | ratio | p99 ms | non-2xx | socket errors "
        "| no error |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for name, trivial, page in rows:
        ratio = page["rps"] / trivial["rps"] if trivial["rps"] else 0.0
        clean = "yes" if page["non2xx"] + page["socket"] + trivial["non2xx"] == 0 else "no"
        print(
            f"| {name} | {page['rps']:.1f} | {trivial['rps']:.1f} | {ratio:.1%} "
            f"| {page['p99']:.0f} | {page['non2xx']} | {page['socket']} | {clean} |"
        )
    print(
        f"\nExports after the run: {states['ready']} ready, {states['failed']} failed, "
        f"{states['queued'] + states['running']} still queued or running."
    )


if __name__ == "__main__":
    main()
