"""Finalizing a deletion against a raw SQL DELETE of the same rows, side by side (prints Markdown).

    .venv/bin/python bench/finalize.py --orders 2000,20000      # bench/run_all.py runs it

For each size: two accounts from the demo generator with the same sizes (about two order lines
per order). The first goes the trainee's way (request, confirm through the emailed link, the
clock past the grace period) and is then finalized as the sweep does it (`run_due_work`: the
tombstone in one transaction, then `purge_deleted_account` in batches). The second has exactly
the rows finalization removes deleted by hand-written SQL: one DELETE per table, children first,
in one transaction. Every transaction of the finalization is timed (the longest is the figure);
target (issue 12): finalization <= 2x the raw delete, no transaction over 1 s.
"""

import argparse

from common import Transactions, purge_job_queue, require_postgresql, scale_arg, timed
from django.core.management import call_command
from django.db import connection, models, transaction

from accounts.models import User
from editions.registry import rule
from lifecycle.conf import setting
from lifecycle.core.protection import building
from lifecycle.demo import DemoSizes, build_demo_sandbox
from lifecycle.models import ExportJob, InboxMessage
from lifecycle.services import (
    Actor,
    advance_clock,
    confirm_deletion,
    deletion_token,
    request_deletion,
    run_due_work,
)
from lifecycle.services.deletion.purge import bulk_data
from shops.models import Campaign, CampaignStatus, Order, OrderStatus

PASSWORD = "bench-pass-9"  # noqa: S105 (a throwaway bench account's)
PREFIX = "bench-finalize"


def doomed_querysets(account_id: int):
    """What finalization removes: the bulk rows (purged in batches) and the few rows."""
    from accounts.models import AppAuthorization

    return [
        *(queryset for _label, queryset in bulk_data(account_id)),
        ExportJob.objects.filter(account_id=account_id),
        InboxMessage.objects.filter(account_id=account_id),
        AppAuthorization.objects.filter(account_id=account_id),
    ]


def raw_statements(model, where: str, params: list) -> list[tuple[str, list]]:
    """DELETE statements for the rows of `model` matching `where`, the rows that cascade from
    them first (found from the models' own foreign keys, so nothing is forgotten)."""
    table, pk = model._meta.db_table, model._meta.pk.column
    statements: list[tuple[str, list]] = []
    for relation in model._meta.related_objects:
        if relation.on_delete not in (models.CASCADE, models.SET_NULL) or relation.many_to_many:
            continue
        child = relation.related_model
        column = relation.field.column
        # Names from the models' metadata; every value stays a query parameter.
        inner = f'"{column}" IN (SELECT "{pk}" FROM "{table}" WHERE {where})'  # noqa: S608
        if relation.on_delete is models.SET_NULL:
            statements.append(
                (f'UPDATE "{child._meta.db_table}" SET "{column}" = NULL WHERE {inner}', params)  # noqa: S608
            )
        else:
            statements += raw_statements(child, inner, params)
    statements.append((f'DELETE FROM "{table}" WHERE {where}', params))  # noqa: S608
    return statements


def statements(account_id: int) -> list[tuple[str, list]]:
    """The raw SQL that removes what finalization removes for the account, children first."""
    found = []
    for queryset in doomed_querysets(account_id):
        query = queryset.order_by().query  # the WHERE clause only: no ORDER BY after it
        sql, params = query.get_compiler(using="default").as_sql()
        where = sql.split(" WHERE ", 1)[1]
        found += raw_statements(queryset.model, where, list(params))
    return found


def table_rows(tables: set[str]) -> dict[str, int]:
    """Every row of each table (the bench runs alone on its database, so a difference is what
    the operation removed, each row once however many parents it cascades from)."""
    with connection.cursor() as cursor:
        counts = {}
        for table in sorted(tables):
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 (a model's table)
            counts[table] = cursor.fetchone()[0]
    return counts


def removed(before: dict[str, int], after: dict[str, int]) -> int:
    return sum(before[table] - after[table] for table in before)


def touched_tables(account_id: int) -> set[str]:
    return {sql.split('"')[1] for sql, _ in statements(account_id) if sql.startswith("DELETE")}


def raw_delete(account_id: int) -> tuple[int, float]:
    """Rows deleted and seconds, for the same tables finalization empties, in one transaction."""
    tables = touched_tables(account_id)
    before = table_rows(tables)
    with timed() as took, transaction.atomic(), connection.cursor() as cursor:
        for sql, params in statements(account_id):
            cursor.execute(sql, params)
    return removed(before, table_rows(tables)), took()


def build(label: str, sizes: DemoSizes, *, ready: bool):
    owner = User.objects.create_user(f"{PREFIX}-{label}", f"{label}@example.com", PASSWORD)
    account = build_demo_sandbox(owner=owner, name=f"Finalize {label}", sizes=sizes).account
    if ready:
        # The generator's commerce data reshaped before any lifecycle event (as the generator
        # bulk-creates it): every open order cancelled and every campaign ended, so nothing blocks.
        with building():  # a world builder's own reshaping (lifecycle.core.protection)
            Order.objects.filter(account=account, status=OrderStatus.AWAITING_SHIPMENT).update(
                status=OrderStatus.CANCELLED
            )
            Campaign.objects.filter(account=account, status=CampaignStatus.ACTIVE).update(
                status=CampaignStatus.ENDED
            )
    return owner, account


def run(orders: int) -> str:
    sizes = DemoSizes(products=200, customers=max(50, orders // 4), orders=orders, inquiries=50)
    try:
        owner, account = build(f"{orders}-service", sizes, ready=True)
        _, twin = build(f"{orders}-raw", sizes, ready=False)
        actor = Actor.trainee(owner)
        request = request_deletion(
            actor=actor, account=account, password=PASSWORD, acknowledged=True
        )
        confirm_deletion(actor=actor, token=deletion_token(request))
        grace = rule(account.sandbox, "DELETION_GRACE") + rule(
            account.sandbox, "DELETION_LINK_VALID_FOR"
        )
        advance_clock(actor=actor, sandbox=account.sandbox, by=grace)
        tables = touched_tables(account.pk)
        before = table_rows(tables)
        with Transactions() as log, timed() as took:
            done = run_due_work(sandbox=account.sandbox_id)
        rows = removed(before, table_rows(tables))
        if not any("finalized account" in line for line in done):
            raise SystemExit(f"the sweep did not finalize the account: {done}")
        finalize_s = took()
        raw_rows, raw_s = raw_delete(twin.pk)
        ratio = finalize_s / raw_s if raw_s else float("inf")
        longest = log.longest
        met = "yes" if ratio <= 2 and longest <= 1 else "no"
        return (
            f"| {orders} | {rows} | {finalize_s:.2f} | {len(log.durations)} | {longest:.3f} "
            f"| {raw_rows} | {raw_s:.2f} | {ratio:.1f}x | {met} |"
        )
    finally:
        purge_job_queue()
        User.objects.filter(username__startswith=f"{PREFIX}-{orders}-").delete()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", default="2000,20000", help="comma-separated sizes")
    args = parser.parse_args()
    require_postgresql("the reference is PostgreSQL's own DELETE")
    call_command("migrate", verbosity=0)
    print(
        "| orders | rows removed | finalize s | transactions | longest transaction s "
        "| rows deleted raw | raw DELETE s | finalize / raw | target met |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for orders in scale_arg(args.orders):
        print(run(orders), flush=True)
    print(
        "\nRows removed counts every row finalization deletes, cascades included (order lines, "
        "product links), as the tables' row counts before and after; the raw DELETE removes the "
        "same tables' rows of an account built with the same sizes (the generator's randomness "
        "makes the counts differ by a few rows). "
        "Finalize s is the sweep's whole `run_due_work`: the tombstone transaction, then the "
        f"purge in batches of {setting('PURGE_BATCH_SIZE')}."
    )


if __name__ == "__main__":
    main()
