"""The periodic sweep with many sandboxes of which a fixed number have something due (Markdown).

    .venv/bin/python bench/sweep.py --due 1000 --idle 1000,10000,50000   # bench/run_all.py

Builds `--due` sandboxes, each with a ready export whose link expired (the sweep expires it),
and grows the sandboxes with nothing due (each with an expired export and a lapsed, notified
deletion request: history the finder must skip) through the `--idle` sizes. At each size, with
fresh due items: the finder (`sandboxes_with_due_work`, what the periodic task runs) timed, then
one set-based `sweep_sandboxes` of every sandbox it found, in this one process (production
splits them into batches over the workers), with its queries counted. EXPLAIN of the finder's
queries shows the index each uses. Target (issue 22): 1,000 due among 10,000 sandboxes swept
under 5 s, flat as the idle sandboxes grow, one query per kind of due work.
"""

import argparse
import re
from datetime import timedelta

from common import bulk_sandboxes, purge_job_queue, require_postgresql, scale_arg, timed
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from lifecycle.models import DeletionRequest, DeletionStatus, ExportJob, ExportStatus
from lifecycle.services.due import sandboxes_with_due_work, sweep_sandboxes

PREFIX = "bench-sweep"


def due_items(accounts) -> None:
    """A ready export whose link expired an hour ago (sandbox time), for each account."""
    now = timezone.now()
    ExportJob.objects.bulk_create(
        (
            ExportJob(
                account=account,
                status=ExportStatus.READY,
                progress=100,
                requested_at=now - timedelta(days=8),
                ready_at=now - timedelta(days=8),
                expires_at=now - timedelta(hours=1),
            )
            for account in accounts
        ),
        batch_size=5000,
    )


def history(accounts) -> None:
    """What an idle sandbox keeps and the finder must skip: an expired export and a lapsed
    deletion request whose notice was sent."""
    now = timezone.now()
    ExportJob.objects.bulk_create(
        (
            ExportJob(
                account=a,
                status=ExportStatus.EXPIRED,
                progress=100,
                requested_at=now - timedelta(days=20),
                expires_at=now - timedelta(days=13),
            )
            for a in accounts
        ),
        batch_size=5000,
    )
    DeletionRequest.objects.bulk_create(
        (
            DeletionRequest(
                account=a,
                status=DeletionStatus.LAPSED,
                previous_status="active",
                nonce=f"n{a.pk}",
                requested_at=now - timedelta(days=10),
                link_expires_at=now - timedelta(days=9),
                closed_at=now - timedelta(days=9),
                lapse_notice_sent_at=now - timedelta(days=9),
            )
            for a in accounts
        ),
        batch_size=5000,
    )


SCANS = re.compile(
    r"((?:Parallel )?(?:Seq Scan|Index Scan|Index Only Scan|Bitmap Index Scan)"
    r"(?: using| on)? \S+(?: on \S+)?)"
)


def explain_finder() -> list[str]:
    """The scan of each query the finder runs: the index it uses, or a sequential scan."""
    with CaptureQueriesContext(connection) as ctx:
        sandboxes_with_due_work()
    lines = []
    with connection.cursor() as cursor:
        for n, query in enumerate(ctx.captured_queries, 1):
            cursor.execute("EXPLAIN " + query["sql"])
            plan = "\n".join(row[0] for row in cursor.fetchall())
            lines.append(f"query {n}: " + "; ".join(dict.fromkeys(SCANS.findall(plan))))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--due", type=int, default=1000)
    parser.add_argument("--idle", default="1000,10000,50000", help="comma-separated sizes")
    args = parser.parse_args()
    require_postgresql("the index plans are PostgreSQL's")
    call_command("migrate", verbosity=0)
    rows, plans = [], {}
    try:
        due = bulk_sandboxes(args.due, f"{PREFIX}-due")
        idle = 0
        for size in scale_arg(args.idle):
            more = bulk_sandboxes(size - idle, f"{PREFIX}-idle{size}")
            history(more)
            idle = size
            due_items(due)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            with timed() as found_in:
                found = sandboxes_with_due_work()
            find_s = found_in()
            with CaptureQueriesContext(connection) as queries, timed() as swept_in:
                sweep_sandboxes(found)
            sweep_s = swept_in()
            left = ExportJob.objects.filter(
                status=ExportStatus.READY, expires_at__lte=timezone.now()
            ).count()
            rows.append((args.due + idle, idle, len(found), find_s, sweep_s, left, len(queries)))
            plans[size] = explain_finder()
    finally:
        purge_job_queue()
        User.objects.filter(username__startswith=f"{PREFIX}-").delete()
    print(
        "| sandboxes | with nothing due | found by the finder | finder s | sweeping them s "
        "| one sweep s | per due sandbox ms | left due | sweep queries | per due sandbox "
        "| target met |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    first = rows[0][3] + rows[0][4]
    for total, idle, found, find_s, sweep_s, left, queries in rows:
        one = find_s + sweep_s
        flat = one <= 1.5 * first  # noisy machine: flat within half again of the smallest
        met = "yes" if one < 5 and flat and left == 0 else "no"
        print(
            f"| {total} | {idle} | {found} | {find_s:.3f} | {sweep_s:.2f} | {one:.2f} "
            f"| {sweep_s / max(found, 1) * 1000:.1f} | {left} | {queries} "
            f"| {queries / max(found, 1):.1f} | {met} |"
        )
    print(
        "\nOne sweep = the finder plus one `sweep_sandboxes` of every sandbox found, in one "
        "process (production splits them into batches over the workers): one query per kind of "
        "due work across them all, then each item's own (its claim, re-check and service). "
        "Left due counts ready exports whose link expired that the sweep did not expire (0 "
        "when it did its work)."
    )
    print("\nThe finder's queries (EXPLAIN at the largest size):\n\n```")
    print("\n".join(plans[max(plans)]))
    print("```")


if __name__ == "__main__":
    main()
