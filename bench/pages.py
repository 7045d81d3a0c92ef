"""Pages against the trivial view, side by side (run by bench/run_all.py; prints Markdown).

For every page: the SQL query count in-process (CaptureQueriesContext) at 1x and 10x the demo
data, a cProfile of in-process requests (where the time goes), then under gunicorn (2 workers,
DEBUG off) wrk at CONNECTIONS connections on the trivial view and on the page, alternating, so
each page's ratio is to a trivial run measured just before it on the same loaded machine.

Options (environment): DURATION seconds per wrk run (5), CONNECTIONS (16), THREADS (2),
WORKERS (2), WEB_THREADS (1; more runs gunicorn's gthread workers), COMPARE_THREADS (4: three
pages again on gthread workers with that many threads; 0 skips), PORT (8766),
PROFILE_REQUESTS (20).
"""

import cProfile
import io
import os
import pstats
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from common import ROOT, TRIVIAL_PATH, start_server, stop_server
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from lifecycle.demo import DemoSizes, build_demo_sandbox
from training.cohorts.demo import demo_class, demo_trainer
from training.play import start_attempt
from training.scenarios import get as scenario

SMALL = os.environ.get("BENCH_SMALL") == "1"  # the smoke test's quick run
DURATION = int(os.environ.get("DURATION", "1" if SMALL else "5"))
CONNECTIONS = int(os.environ.get("CONNECTIONS", "16"))
THREADS = int(os.environ.get("THREADS", "2"))
WORKERS = int(os.environ.get("WORKERS", "2"))
WEB_THREADS = int(os.environ.get("WEB_THREADS", "1"))  # > 1: gunicorn gthread workers
COMPARE_THREADS = int(os.environ.get("COMPARE_THREADS", "4"))  # the gthread lever, measured
PORT = int(os.environ.get("PORT", "8766"))
PROFILE_REQUESTS = int(os.environ.get("PROFILE_REQUESTS", "2" if SMALL else "20"))
TARGET_RATIO, TARGET_P99_MS, TARGET_QUERIES = 0.10, 100.0, 8
ONE = (
    DemoSizes(products=4, customers=5, orders=10, inquiries=2, campaigns=1)
    if SMALL
    else DemoSizes()
)
TRAINEES = 2 if SMALL else 20
TEN = DemoSizes(
    products=ONE.products * 10,
    customers=ONE.customers * 10,
    orders=ONE.orders * 10,
    inquiries=ONE.inquiries * 10,
    campaigns=ONE.campaigns * 10,
)
SELLER_PAGES = {
    "dashboard": "",
    "products": "products/",
    "orders": "orders/",
    "customers": "customers/",
    "analytics": "analytics/",
    "timeline": "timeline/",
    "close account": "close/",
    "account type": "settings/type/",
}


def build(scale: DemoSizes, trainees: int, label: str) -> dict[str, tuple[str, Client]]:
    """A sandbox and a cohort at the given scale; each page's path and a signed-in client."""
    owner, _ = User.objects.get_or_create(username=f"bench-owner-{label}")
    owner.sandboxes.all().delete()
    sandbox = build_demo_sandbox(owner=owner, name=f"Bench {label}", sizes=scale)
    trainer = demo_trainer()
    cohort = demo_class(trainer, trainees)
    admin, _ = User.objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    seller, coach, staff = (Client(SERVER_NAME="127.0.0.1") for _ in range(3))
    seller.force_login(owner)
    coach.force_login(trainer)
    staff.force_login(admin)
    pages = {name: (f"/s/{sandbox.pk}/{tail}", seller) for name, tail in SELLER_PAGES.items()}
    attempt = start_attempt(trainee=owner, scenario=scenario("close-account"))
    pages["scenario page"] = (f"/training/attempts/{attempt.pk}/", seller)
    pages["trainer grid"] = (f"/trainer/cohorts/{cohort.pk}/progress/", coach)
    pages["admin account list"] = ("/admin/accounts/selleraccount/", staff)
    return pages


def count_queries(pages: dict[str, tuple[str, Client]]) -> dict[str, int]:
    counts = {}
    for name, (path, client) in pages.items():
        client.get(path)  # warm: the first request fills caches a steady server has filled
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        if response.status_code != 200:
            sys.exit(f"{name} ({path}) answered {response.status_code}, not 200")
        counts[name] = len(queries)
    return counts


def profile(path: str, client: Client) -> str:
    """The project's own functions by cumulative time, and the shares in SQL and templates."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(PROFILE_REQUESTS):
        client.get(path)
    profiler.disable()
    stats = pstats.Stats(profiler, stream=io.StringIO()).stats
    total = max(ct for (_, _, _, ct, _) in stats.values())
    sql = sum(
        ct
        for (file, _, func), (_, _, _, ct, _) in stats.items()
        if func == "_execute" and file.endswith("django/db/backends/utils.py")
    )
    templates = sum(
        ct
        for (file, _, func), (_, _, _, ct, _) in stats.items()
        if func == "render" and file.endswith("django/template/backends/django.py")
    )
    own = sorted(
        (
            (ct, f"{Path(file).relative_to(ROOT)}:{line} {func}")
            for (file, line, func), (_, _, _, ct, _) in stats.items()
            if file.startswith(str(ROOT)) and "/.venv/" not in file and "/bench/" not in file
        ),
        reverse=True,
    )[:10]
    per = total / PROFILE_REQUESTS * 1000
    lines = [
        f"{per:.1f} ms per request in-process; SQL {sql / total:.0%}, templates "
        f"{templates / total:.0%} (templates include the queries they trigger)"
    ]
    lines += [f"  {ct / PROFILE_REQUESTS * 1000:7.2f} ms  {where}" for ct, where in own]
    return "\n".join(lines)


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def settle(port: int) -> None:
    """Wait until the server has answered every request of the previous run: wrk stops
    sending, but the requests already queued at the sync workers are still served, and a run
    that started before they are would be measured against them."""
    urllib.request.urlopen(f"http://127.0.0.1:{port}/{TRIVIAL_PATH}", timeout=120)  # noqa: S310


def wrk(path: str, cookie: str, *, port: int = PORT) -> dict[str, float]:
    settle(port)
    out = subprocess.run(
        [
            "wrk",
            f"-t{THREADS}",
            f"-c{CONNECTIONS}",
            f"-d{DURATION}s",
            "--latency",
            "--timeout",
            "10s",
        ]
        + ["-H", f"Cookie: sessionid={cookie}", f"http://127.0.0.1:{port}{path}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1)),
        "p99": _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)),
        "non2xx": int(bad.group(1)) if bad else 0,
        "socket": sum(int(n) for n in errors.groups()) if errors else 0,
    }


def compare_threads(pages: dict[str, tuple[str, Client]]) -> list[tuple[str, dict, dict]]:
    """The same workers with COMPARE_THREADS threads each (gunicorn's gthread), on the trivial
    view and the heaviest pages, to weigh the gthread lever on this machine."""
    server = start_server(PORT, workers=WORKERS, threads=COMPARE_THREADS)
    rows = []
    try:
        for name in ("dashboard", "close account", "orders"):
            path, client = pages[name]
            cookie = client.cookies["sessionid"].value
            rows.append((name, wrk("/" + TRIVIAL_PATH, cookie), wrk(path, cookie)))
    finally:
        stop_server(server)
    return rows


def main() -> None:
    if connection.vendor != "postgresql":
        sys.exit("set DATABASE_URL to a PostgreSQL database: the bench measures the real setup")
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    small = build(ONE, TRAINEES, "1x")
    big = build(TEN, TRAINEES * 10, "10x")
    built = time.perf_counter() - started
    queries_1x, queries_10x = count_queries(small), count_queries(big)
    profiles = {name: profile(path, client) for name, (path, client) in big.items()}
    connection.close()  # the server's workers open their own
    server = start_server(PORT, workers=WORKERS, threads=WEB_THREADS)
    rows = []
    try:
        for name, (path, client) in big.items():
            cookie = client.cookies["sessionid"].value
            trivial, page = wrk("/" + TRIVIAL_PATH, cookie), wrk(path, cookie)
            rows.append((name, trivial, page))
    finally:
        stop_server(server)
    threaded = compare_threads(big) if COMPARE_THREADS > 1 else []
    print(
        f"Data: 1x = {ONE}, {TRAINEES} trainees; 10x = {TEN}, {TRAINEES * 10} trainees "
        f"(built in {built:.0f} s)."
    )
    print(
        f"Served: gunicorn {WORKERS} sync workers, DEBUG off, CONN_MAX_AGE "
        f"{connection.settings_dict['CONN_MAX_AGE']}; wrk {THREADS} threads, {CONNECTIONS} "
        f"connections, {DURATION} s per run, trivial view then page, alternating; 10x data.\n"
    )
    print(
        "| page | page req/s | trivial req/s | ratio | p50 ms | p99 ms | non-2xx | socket errors "
        "| queries 1x | queries 10x | target met |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for name, trivial, page in rows:
        ratio = page["rps"] / trivial["rps"] if trivial["rps"] else 0.0
        q1, q10 = queries_1x[name], queries_10x[name]
        misses = [
            label
            for label, ok in (
                ("ratio", trivial["rps"] > 0 and ratio >= TARGET_RATIO),
                ("p99", page["p99"] < TARGET_P99_MS),
                ("queries", q10 <= TARGET_QUERIES),
                ("flat", q1 == q10),
                ("errors", page["non2xx"] + page["socket"] == 0),
            )
            if not ok
        ]
        verdict = "yes" if not misses else "no: " + ", ".join(misses)
        print(
            f"| {name} | {page['rps']:.1f} | {trivial['rps']:.1f} | {ratio:.1%} "
            f"| {page['p50']:.1f} | {page['p99']:.1f} | {page['non2xx']} | {page['socket']} "
            f"| {q1} | {q10} "
            f"| {verdict} |"
        )
    print(
        "\nSocket errors are wrk's (timeouts after 10 s, resets); non-2xx are answers other than "
        "200/3xx. Profiles list the project's own functions by cumulative time per request; "
        "the first lines are the page wrappers that contain the rest."
    )
    if threaded:
        print(
            f"\n### gthread: the same {WORKERS} workers with {COMPARE_THREADS} threads each\n\n"
            "| page | page req/s | trivial req/s | ratio | p50 ms | p99 ms | non-2xx |\n"
            "|---|---|---|---|---|---|---|"
        )
        for name, trivial, page in threaded:
            ratio = page["rps"] / trivial["rps"] if trivial["rps"] else 0.0
            print(
                f"| {name} | {page['rps']:.1f} | {trivial['rps']:.1f} | {ratio:.1%} "
                f"| {page['p50']:.1f} | {page['p99']:.1f} | {page['non2xx']} |"
            )
    print("\n### Where the time goes (cProfile, in-process, 10x data)\n")
    for name, text in profiles.items():
        print(f"**{name}**\n\n```\n{text}\n```\n")


if __name__ == "__main__":
    main()
