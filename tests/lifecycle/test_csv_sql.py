"""The export's lines written by PostgreSQL (lifecycle.csv_sql) are byte for byte the Python
writer's (lifecycle.exporting._cell through csv.writer), on rows made to test every difference
between the two: formula starts, quotes, separators, line breaks, empty and missing values,
amounts to round, moments with and without microseconds."""

import csv
import io
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.db import connection

from lifecycle import exporting
from lifecycle.csv_sql import csv_line_sql, fetch_lines
from lifecycle.exporting import _cell, build_export, tables
from lifecycle.models import ExportStatus
from lifecycle.services import request_export
from shops.models import Customer, Inquiry, Order, OrderLine, Product

from .jobs_helpers import small_account

pytestmark = pytest.mark.django_db

AWKWARD_TEXT = [
    "=1+1",
    "＋1",
    '"quoted" here',
    "a, b",
    "two\nlines",
    "carriage\rreturn",
    "crlf\r\nend",
    "'already",
    "plain",
    "",
    "ünïcödé ✓",
    "back\\slash",
    "tab\tinside",
    "vertical\x0btab, form\x0cfeed, back\x08space",
    "\\n is not a line break",
    " leading space",
]


def python_lines(table: exporting.Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in table.rows():
        writer.writerow([_cell(value) for value in row])
    return out.getvalue()


def sql_lines(table: exporting.Table) -> str:
    assert table.source is not None
    query = csv_line_sql(*table.source, connection)
    assert query is not None, f"{table.name} has a column without an SQL format"
    chunks = list(fetch_lines(connection, query, 7))
    assert all(count == 7 for _, count in chunks[:-1])
    assert sum(count for _, count in chunks) == table.count()
    return b"".join(lines for lines, _ in chunks).decode()


def awkward(account) -> None:
    """Rewrite the account's text, amounts and moments with the values that differ most."""
    moments = [
        datetime(2026, 3, 1, 9, 30, tzinfo=UTC),
        datetime(2026, 3, 1, 9, 30, 5, 120, tzinfo=UTC),
        datetime(1999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
    ]
    for n, customer in enumerate(Customer.objects.filter(account=account).order_by("id")):
        customer.name = AWKWARD_TEXT[n % len(AWKWARD_TEXT)]
        customer.email = AWKWARD_TEXT[(n + 3) % len(AWKWARD_TEXT)]
        customer.created_at = moments[n % len(moments)]
        customer.save(update_fields=["name", "email", "created_at"])
    for n, product in enumerate(Product.objects.filter(account=account).order_by("id")):
        product.title = AWKWARD_TEXT[(n + 5) % len(AWKWARD_TEXT)]
        product.sku = AWKWARD_TEXT[(n + 1) % len(AWKWARD_TEXT)]
        product.price = [Decimal("0.00"), Decimal("1234567.89"), Decimal("0.05")][n % 3]
        product.save(update_fields=["title", "sku", "price"])
    for n, order in enumerate(Order.objects.filter(account=account).order_by("id")):
        order.shipping_address = AWKWARD_TEXT[(n + 2) % len(AWKWARD_TEXT)]
        if order.tracking_number:  # a shipped order keeps one
            order.tracking_number = (AWKWARD_TEXT[(n + 4) % len(AWKWARD_TEXT)] or "T")[:40]
        order.placed_at = moments[n % len(moments)]
        order.save(update_fields=["shipping_address", "tracking_number", "placed_at"])
    for n, line in enumerate(OrderLine.objects.filter(order__account=account).order_by("id")):
        line.title = AWKWARD_TEXT[(n + 6) % len(AWKWARD_TEXT)]
        line.save(update_fields=["title"])
    for n, inquiry in enumerate(Inquiry.objects.filter(account=account).order_by("id")):
        inquiry.message = AWKWARD_TEXT[(n + 7) % len(AWKWARD_TEXT)]
        inquiry.reply = AWKWARD_TEXT[(n + 9) % len(AWKWARD_TEXT)]
        inquiry.received_at = moments[(n + 1) % len(moments)]
        inquiry.save(update_fields=["message", "reply", "received_at"])


def test_every_export_file_postgresql_writes_is_the_python_writers_byte_for_byte(trainee):
    account = small_account(trainee)
    awkward(account)
    OrderLine.objects.filter(order__account=account, product__isnull=False).first().delete()
    Order.objects.filter(account=account).first().lines.all().delete()  # a total that is NULL
    written = 0
    for table in tables(account):
        if table.source is None:
            continue
        expected = python_lines(table)
        assert expected, f"{table.name} has no rows to compare"
        assert sql_lines(table) == expected, table.name
        written += 1
    assert written == 5


def test_a_column_with_no_sql_format_leaves_the_table_to_python(trainee):
    account = small_account(trainee)
    queryset = Order.objects.filter(account=account)
    assert csv_line_sql(queryset, ("number", "placed_at"), connection) is not None
    # a JSON field has no format here
    from lifecycle.models import ExportJob

    assert csv_line_sql(ExportJob.objects.all(), ("id", "manifest"), connection) is None


@pytest.mark.usefixtures("own_media")
def test_an_export_of_many_chunks_stores_its_progress_between_them(
    trainee, as_trainee, monkeypatch
):
    """The lines are read a chunk at a time on the connection that also stores the progress:
    a reader holding it to the end (COPY) would block the first report of a longer table."""
    account = small_account(trainee)
    monkeypatch.setattr(exporting, "CHUNK", 7)
    seen = []
    real = exporting.export_progress

    def spy(*, export, progress):
        seen.append(progress)
        return real(export=export, progress=progress)

    monkeypatch.setattr(exporting, "export_progress", spy)
    job = build_export(request_export(actor=as_trainee, account=account).pk)
    assert job.status == ExportStatus.READY
    assert job.manifest["rows"]["order_lines.csv"] > 7  # more than one chunk
    assert seen == sorted(seen) and len(set(seen)) > 50
