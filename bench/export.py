"""The export against PostgreSQL's own COPY of the same rows, at several sizes (prints Markdown).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sim_bench .venv/bin/python bench/export.py \
        --lines 10000,100000,1000000

For each size, in a process of its own (so its max RSS is that size's): builds an account with
about that many order lines (the demo generator up to 10,000 orders, then its orders and their
lines copied in SQL), times the export (lifecycle.exporting.build_export) REPEATS times with its
Python heap peak (tracemalloc), then times `COPY (<each export table's own query>) TO STDOUT
(FORMAT csv)` of the same rows as often, alternating; medians. The sandbox is dropped at the
end. Target (issue 22): export rows/s >= 50% of COPY's, worker memory under 150 MB and flat
across sizes. `--orders` sizes the account by orders instead (the demo generator alone).
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ.setdefault("DEBUG", "0")

import django  # noqa: E402

django.setup()

from django.core.files.storage import default_storage  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.urls import reverse  # noqa: E402

from accounts.models import User  # noqa: E402
from lifecycle.core.protection import building  # noqa: E402
from lifecycle.demo import DemoSizes, build_demo_sandbox  # noqa: E402
from lifecycle.exporting import build_export, tables  # noqa: E402
from lifecycle.services import Actor, request_export  # noqa: E402

BASE_ORDERS = 10_000  # the demo generator's share; the rest are SQL copies of its orders


def copy_rows(account) -> tuple[int, float]:
    """COPY every export table's query as CSV to nowhere; rows and seconds."""
    rows, started = 0, time.perf_counter()
    for table in tables(account):
        # Table.rows is a lambda over the table's values_list queryset: take that queryset so
        # COPY runs exactly the export's query, not a hand-written copy of it.
        queryset = next(
            c.cell_contents for c in table.rows.__closure__ if hasattr(c.cell_contents, "query")
        )
        sql, params = queryset.query.get_compiler(using="default").as_sql()
        statement = f"COPY ({sql}) TO STDOUT (FORMAT csv)"
        with connection.cursor() as cursor, cursor.cursor.copy(statement, params) as copy:
            for block in copy:
                rows += bytes(block).count(b"\n")
    return rows, time.perf_counter() - started


def grow(account, copies: int) -> None:
    """Copy the account's orders `copies` times with their lines (new numbers, same rows)."""
    if copies < 1:
        return
    with building(), connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO shops_order (account_id, shop_id, customer_id, number, status, placed_at,
                shipping_address, tracking_number, shipped_at, delivered_at)
            SELECT o.account_id, o.shop_id, o.customer_id,
                   2000000 + g * 100000 + o.number %% 100000, o.status, o.placed_at,
                   o.shipping_address, o.tracking_number, o.shipped_at, o.delivered_at
            FROM shops_order o CROSS JOIN generate_series(1, %s) g
            WHERE o.account_id = %s
            """,
            [copies, account.pk],
        )
        cursor.execute(
            """
            INSERT INTO shops_orderline (order_id, product_id, title, quantity, unit_price)
            SELECT n.id, l.product_id, l.title, l.quantity, l.unit_price
            FROM shops_order o
            JOIN shops_orderline l ON l.order_id = o.id
            JOIN shops_order n ON n.account_id = o.account_id AND n.number >= 2000000
                AND n.number %% 100000 = o.number %% 100000
            WHERE o.account_id = %s AND o.number < 2000000
            """,
            [account.pk],
        )
        cursor.execute("ANALYZE shops_order; ANALYZE shops_orderline")


def one(size: int, *, by_lines: bool, repeats: int) -> str:
    """The table row of one size (run in its own process)."""
    reverse("exports", args=[1])  # a worker has its URLs loaded before its first job
    name = f"bench-export-{os.getpid()}-{size}"
    owner = User.objects.create_user(name, f"{name}@example.com", "bench-pass-9")
    orders = min(size // 2, BASE_ORDERS) if by_lines else size
    sizes = DemoSizes(products=200, customers=max(50, orders // 4), orders=orders, inquiries=50)
    try:
        account = build_demo_sandbox(owner=owner, name=name, sizes=sizes).account
        if by_lines:
            base_lines = account.orders.values("lines").count()
            grow(account, round(size / max(base_lines, 1)) - 1)
        exports, copies, peaks = [], [], []
        for _ in range(repeats):
            job = request_export(actor=Actor.trainee(owner), account=account)
            tracemalloc.start()
            started = time.perf_counter()
            job = build_export(job.pk)
            exports.append(time.perf_counter() - started)
            peaks.append(tracemalloc.get_traced_memory()[1])
            tracemalloc.stop()
            rows = sum(job.manifest["rows"].values())
            lines = job.manifest["rows"].get("order_lines.csv", 0)
            default_storage.delete(job.file.name)
            job.delete()  # the next request is not refused by the cooldown
            copied, copy_time = copy_rows(account)
            copies.append(copy_time)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        elapsed, copy_time = statistics.median(exports), statistics.median(copies)
        export_rate, copy_rate = rows / elapsed, copied / copy_time
        return (
            f"| {lines} | {rows} | {elapsed:.2f} | {export_rate:.0f} | {copied} "
            f"| {copy_time:.2f} | {copy_rate:.0f} | {export_rate / copy_rate:.1%} "
            f"| {max(peaks) / 1e6:.1f} | {rss:.0f} |"
        )
    finally:
        owner.delete()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", help="comma-separated sizes in order lines")
    parser.add_argument("--orders", default="2000,10000", help="comma-separated sizes in orders")
    parser.add_argument("--repeats", type=int, default=3, help="runs per size (medians)")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a size, in this process
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("set DATABASE_URL to a PostgreSQL database: COPY is the reference")
    by_lines = args.lines is not None
    if args.one is None:
        call_command("migrate", verbosity=0)
    else:
        print(one(args.one, by_lines=by_lines, repeats=args.repeats), flush=True)
        return
    print(
        "| order lines | rows exported | export s | export rows/s | rows copied "
        "| COPY s | COPY rows/s | export / COPY | heap peak MB | max RSS MB |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    sizes = args.lines if by_lines else args.orders
    for size in (int(n) for n in sizes.split(",")):
        flag = ["--lines", ""] if by_lines else []
        command = [sys.executable, __file__, *flag, "--repeats", str(args.repeats)]
        subprocess.run([*command, "--one", str(size)], check=True)
    print(
        f"\nMedians of {args.repeats} runs each, export and COPY alternating. COPY counts CSV "
        "lines (a header-less COPY; the export adds one header per file). Max RSS is the "
        "whole process's high-water mark (one process per size: Django, the build of the "
        "account and the export); the heap peak is the export's own Python allocations."
    )


if __name__ == "__main__":
    main()
