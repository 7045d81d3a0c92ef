"""Each page served in-process (Django's test client), milliseconds per request: medians.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sim_bench .venv/bin/python bench/inprocess.py

Builds the pages of bench/pages.py at 10x data (or 1x with --scale 1), then requests each page
REQUESTS times and prints the median wall time and the median CPU time of this process per
request (the CPU time is the steadier figure on a shared machine: it leaves out the time spent
waiting for PostgreSQL and for the other processes' turns), with its query count. No server:
what a page costs its worker, without gunicorn and the network. `--pages` picks some
(comma-separated names); `--profile NAME` prints a cProfile of one page instead.
"""

import argparse
import cProfile
import pstats
import statistics
import time

import pages
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext


def measure(path, client, requests: int) -> tuple[float, float, int]:
    client.get(path)  # warm
    walls, cpus = [], []
    for _ in range(requests):
        wall, cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
        assert response.status_code == 200, (path, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    return statistics.median(walls) * 1000, statistics.median(cpus) * 1000, len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, choices=(1, 10), default=10)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--pages", default="", help="comma-separated page names (all if empty)")
    parser.add_argument("--profile", default="", help="a page name: print its cProfile")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if args.scale == 10:
        built = pages.build(pages.TEN, pages.TRAINEES * 10, "10x")
    else:
        built = pages.build(pages.ONE, pages.TRAINEES, "1x")
    if args.profile:
        path, client = built[args.profile]
        client.get(path)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.requests):
            client.get(path)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
        return
    wanted = [name for name in args.pages.split(",") if name] or list(built)
    print(f"| page | wall ms (median) | CPU ms (median) | queries |  ({args.scale}x data)")
    print("|---|---|---|---|")
    for name in wanted:
        wall, cpu, queries = measure(*built[name], args.requests)
        print(f"| {name} | {wall:.1f} | {cpu:.1f} | {queries} |", flush=True)


if __name__ == "__main__":
    main()
