"""A checkpoint and a restore of the demo sandbox at N times its data, beside a plain copy of
the same rows (`INSERT ... SELECT`), printed as Markdown.

    .venv/bin/python bench/rewind.py --scale 1,10      # bench/run_all.py runs it

For each scale: the demo sandbox built with N times the demo's sizes (products, customers,
orders, inquiries, campaigns, videos), its deletion requested and confirmed and an export
asked for, so every table has rows. Then, each REPEAT times (the median is shown): a checkpoint
(`save_checkpoint`: every row read and kept as JSON, the files copied), a restore into a new
sandbox and a restore in place (`restore_checkpoint`). The plain copy reads the same rows with
one `INSERT INTO <temp table> SELECT * FROM <table> WHERE <the sandbox's rows>` per table, in
one transaction: the cost of moving the rows inside PostgreSQL with no renumbering and no JSON.
Target (issue 26): checkpoint and restore of the demo at 10x each under 2 s.
"""

import argparse
import json
import statistics

from common import purge_job_queue, require_postgresql, scale_arg, timed
from django.core.management import call_command
from django.db import connection, transaction

from accounts.models import User
from lifecycle.demo import DemoSizes, build_demo_sandbox
from lifecycle.services import Actor, request_export
from rewind.models import Checkpoint, ExactEncoder
from rewind.owned import held_models
from rewind.services import restore_checkpoint, save_checkpoint

PREFIX = "bench-rewind"
REPEAT = 3


def _sizes(scale: int) -> DemoSizes:
    base = DemoSizes()
    return DemoSizes(
        products=base.products * scale,
        customers=base.customers * scale,
        orders=base.orders * scale,
        inquiries=base.inquiries * scale,
        campaigns=base.campaigns * scale,
        videos=base.videos * scale,
    )


def _owner(scale: int) -> User:
    name = f"{PREFIX}-{scale}"
    User.objects.filter(username=name).delete()
    return User.objects.create_user(name, f"{name}@example.com", "bench-pass-9")


def plain_copy(sandbox_id: int) -> tuple[float, int]:
    """Seconds for INSERT ... SELECT of every row the sandbox holds, and the rows copied."""
    copied = 0
    with timed() as took, transaction.atomic(), connection.cursor() as cursor:
        for n, held in enumerate(held_models()):
            table = connection.ops.quote_name(held.model._meta.db_table)
            ids = held.rows_of(sandbox_id).values("pk")
            inner, params = ids.query.sql_with_params()
            cursor.execute(f"CREATE TEMP TABLE copy_{n} (LIKE {table}) ON COMMIT DROP")  # noqa: S608
            cursor.execute(
                f"INSERT INTO copy_{n} SELECT * FROM {table} WHERE id IN ({inner})",  # noqa: S608
                params,
            )
            copied += cursor.rowcount
    return took(), copied


def run(scale: int) -> str:
    owner = _owner(scale)
    actor = Actor.trainee(owner)
    sandbox = build_demo_sandbox(owner=owner, name=f"{PREFIX} {scale}x", sizes=_sizes(scale))
    request_export(actor=actor, account=sandbox.account)
    saves, news, places, plains = [], [], [], []
    for n in range(REPEAT):
        with timed() as took:
            checkpoint = save_checkpoint(actor=actor, sandbox=sandbox, name=f"bench {n}")
        saves.append(took())
        seconds, copied = plain_copy(sandbox.pk)  # the same rows the checkpoint holds
        plains.append(seconds)
        with timed() as took:
            restore_checkpoint(actor=actor, checkpoint=checkpoint)
        news.append(took())
        with timed() as took:
            restore_checkpoint(actor=actor, checkpoint=checkpoint, in_place=True, confirmed=True)
        places.append(took())
    checkpoint = Checkpoint.objects.filter(sandbox=sandbox).latest("id")
    size = len(json.dumps(checkpoint.rows, cls=ExactEncoder))
    purge_job_queue()
    save, new, place, plain = (statistics.median(x) for x in (saves, news, places, plains))
    met = "yes" if max(save, new, place) < 2 else "no"
    User.objects.filter(username=owner.username).delete()
    return (
        f"| {scale}x | {checkpoint.row_count} | {size / 1e6:.1f} | {save:.2f} | {new:.2f} "
        f"| {place:.2f} | {copied} | {plain:.3f} | {max(save, new, place) / plain:.0f}x | {met} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="1,10", help="comma-separated multiples of the demo")
    args = parser.parse_args()
    require_postgresql("the restore draws ids from PostgreSQL sequences")
    call_command("migrate", verbosity=0)
    print(
        "| demo x | rows | JSON MB | checkpoint s | restore new s | restore in place s "
        "| rows copied plain | INSERT ... SELECT s | slowest / plain | under 2 s |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for scale in scale_arg(args.scale):
        print(run(scale), flush=True)
    print(
        f"\nMedians of {REPEAT} runs each. Rows counts every row the sandbox holds (all tables "
        "`rewind.owned` finds); the plain copy moves the same rows between tables inside "
        "PostgreSQL, with no new ids, no renumbered references, no JSON and no files, so it is "
        "the floor, not a like-for-like alternative. It runs right after the checkpoint, so it "
        "also copies the checkpoint's own timeline event (one row more)."
    )


if __name__ == "__main__":
    main()
