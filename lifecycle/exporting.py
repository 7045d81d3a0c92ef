"""Building a data export: a ZIP of CSV files and a manifest.json (RULEBOOK §6).

Rows are streamed from the database into a ZIP written to a temporary file, so memory stays flat
whatever the account's size: on PostgreSQL as CSV lines PostgreSQL formats itself
(`lifecycle.csv_sql`, the same bytes), elsewhere with .iterator(), a cell at a time.
Progress and a heartbeat are stored as it goes. Only a complete archive is copied into storage
and then marked ready in one transaction: nothing half-written is ever offered.
"""

import csv
import hashlib
import io
import json
import logging
import secrets
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

from django.core.exceptions import ObjectDoesNotExist
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection
from django.db.models import Count, F, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from accounts.models import SellerAccount
from lifecycle.conf import setting
from lifecycle.csv_sql import csv_line_sql, fetch_lines
from lifecycle.models import ExportJob
from lifecycle.money import amount, currency, plain
from lifecycle.services import (
    export_progress,
    fail_export,
    mark_export_ready,
    requeue_export,
    start_export,
)
from lifecycle.services.exports import BUILDER
from lifecycle.spreadsheet import text_cell
from shops.models import Customer, Inquiry, Order, OrderLine, OrderStatus, Product

log = logging.getLogger(__name__)
CHUNK = 2000
COMPRESS_LEVEL = 1


class ExportStopped(Exception):
    """The export stopped being ours while it was built (failed, sent again or taken over)."""


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[str, ...]
    rows: Callable[[], Iterable[tuple]]
    count: Callable[[], int]
    # the queryset and its lookups in column order, for lines written by PostgreSQL
    source: tuple[QuerySet, tuple[str, ...]] | None = None


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):  # every Decimal of an export is an amount of money
        return plain(value)
    if isinstance(value, str):  # text someone typed: never a formula in a spreadsheet
        return text_cell(value)
    return str(value)


def daily_sales(account: SellerAccount) -> QuerySet:
    """Revenue per day of the account's orders that were not cancelled (sandbox dates)."""
    return (
        Order.objects.filter(account=account)
        .exclude(status=OrderStatus.CANCELLED)
        .annotate(day=TruncDate("placed_at"))
        .values("day")
        .annotate(
            orders=Count("id", distinct=True),
            units=Sum("lines__quantity"),
            revenue=Sum(F("lines__quantity") * F("lines__unit_price")),
        )
        .order_by("day")
    )


def _table(
    name: str, queryset: QuerySet, columns: dict[str, str], count: QuerySet | None = None
) -> Table:
    """A CSV file: column headers mapped to the queryset's fields, rows read as plain tuples.
    `count` counts the same rows more cheaply (without the queryset's aggregates)."""
    rows = queryset.values_list(*columns.values())
    return Table(
        name,
        tuple(columns),
        lambda: rows.iterator(chunk_size=CHUNK),
        (queryset if count is None else count).count,
        source=(queryset, tuple(columns.values())),
    )


def tables(account: SellerAccount) -> list[Table]:
    """What an export holds, file by file, each with its columns and its rows."""
    account_orders = Order.objects.filter(account=account)
    orders = account_orders.annotate(
        line_count=Count("lines"), total=Sum(F("lines__quantity") * F("lines__unit_price"))
    ).order_by("number")
    lines = (
        OrderLine.objects.filter(order__account=account)
        .annotate(line_total=F("quantity") * F("unit_price"))
        .order_by("order__number", "id")
    )
    sales = daily_sales(account)
    return [
        _table(
            "orders.csv",
            orders,
            {
                "number": "number",
                "status": "status",
                "placed_at": "placed_at",
                "shop": "shop__name",
                "customer_id": "customer_id",
                "customer_name": "customer__name",
                "customer_email": "customer__email",
                "shipping_address": "shipping_address",
                "tracking_number": "tracking_number",
                "shipped_at": "shipped_at",
                "delivered_at": "delivered_at",
                "lines": "line_count",
                "total": "total",
            },
            count=account_orders,
        ),
        _table(
            "order_lines.csv",
            lines,
            {
                "order_number": "order__number",
                "line_id": "id",
                "sku": "product__sku",
                "title": "title",
                "quantity": "quantity",
                "unit_price": "unit_price",
                "line_total": "line_total",
            },
        ),
        _table(
            "products.csv",
            Product.objects.filter(account=account).order_by("id"),
            {
                "id": "id",
                "sku": "sku",
                "title": "title",
                "shop": "shop__name",
                "price": "price",
                "stock": "stock",
                "listing_status": "listing_status",
            },
        ),
        _table(
            "customers.csv",
            Customer.objects.filter(account=account).order_by("id"),
            {"id": "id", "name": "name", "email": "email", "created_at": "created_at"},
        ),
        _table(
            "inquiries.csv",
            Inquiry.objects.filter(account=account).order_by("id"),
            {
                "id": "id",
                "customer_id": "customer_id",
                "customer_name": "customer__name",
                "received_at": "received_at",
                "message": "message",
                "reply": "reply",
                "replied_at": "replied_at",
            },
        ),
        Table(
            "analytics_summary.csv",
            ("day", "orders", "units", "revenue"),
            lambda: (
                (s["day"], s["orders"], s["units"] or 0, amount(s["revenue"]))
                for s in sales.iterator(chunk_size=CHUNK)
            ),
            sales.count,
        ),
    ]


class _HashingWriter:
    """A text sink for csv.writer that encodes, hashes and counts what it passes on."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.sha256 = hashlib.sha256()
        self.size = 0

    def write(self, text: str) -> int:
        self.write_bytes(text.encode("utf-8"))
        return len(text)

    def write_bytes(self, data: bytes) -> None:
        self.sha256.update(data)
        self.size += len(data)
        self.raw.write(data)


class _Progress:
    """Stores progress and a heartbeat every 1% of the rows, and at least every few seconds, so
    that a silence of EXPORT_RECOVER_AFTER means the builder died; raises when the export was
    taken away from this job."""

    def __init__(self, job: ExportJob, total: int) -> None:
        self.job = job
        self.total = max(total, 1)
        self.step = max(1, self.total // 100)
        self.done = 0
        self.delay = setting("EXPORT_SLOWDOWN")
        self.every = min(5.0, setting("EXPORT_RECOVER_AFTER").total_seconds() / 4)
        self.last = time.monotonic()

    def tick(self) -> None:
        self.done += 1
        if self.done % self.step == 0 or time.monotonic() - self.last >= self.every:
            self.report()

    def advance(self, rows: int) -> None:
        """`rows` rows written at once: a report for every step they crossed, as `tick` would
        have made one by one (the same values), or a heartbeat when none was crossed."""
        before, self.done = self.done, self.done + rows
        crossed = range((before // self.step + 1) * self.step, self.done + 1, self.step)
        for done in crossed:
            self.report(done)
        if not crossed and time.monotonic() - self.last >= self.every:
            self.report()

    def report(self, done: int | None = None) -> None:
        if self.delay:
            time.sleep(self.delay)
        self.last = time.monotonic()
        done = self.done if done is None else done
        if not export_progress(export=self.job, progress=done * 100 // self.total):
            raise ExportStopped


def _entry(name: str, generated: datetime) -> zipfile.ZipInfo:
    """A file of the archive, dated with the export's sandbox time (a bare name would be dated
    1980-01-01). ZIP keeps local wall time to the even second, without a time zone."""
    local = timezone.localtime(generated)
    stamp = (local.year, local.month, local.day, local.hour, local.minute, local.second // 2 * 2)
    info = zipfile.ZipInfo(name, date_time=stamp)
    info.compress_type = zipfile.ZIP_DEFLATED
    # zlib's fastest level: about 2.5 times faster than its default for some 10% more bytes,
    # which made compressing a third of a large export's time (docs/benchmarks.md). The
    # attribute is what ZipFile itself sets for a named entry (compress_level from 3.13 on).
    info._compresslevel = COMPRESS_LEVEL  # type: ignore[attr-defined]
    info.external_attr = 0o600 << 16  # what zipfile gives a bare name: rw for the owner
    return info


def _write_rows(table: Table, writer: Any, sink: _HashingWriter, progress: _Progress) -> int:
    """The table's rows after its header; how many. On PostgreSQL the lines come formatted
    (`lifecycle.csv_sql`), a chunk at a time; elsewhere each cell is formatted here."""
    query = None
    if table.source is not None and connection.vendor == "postgresql":
        query = csv_line_sql(*table.source, connection)
    rows = 0
    if query is None:
        for row in table.rows():
            writer.writerow([_cell(value) for value in row])
            rows += 1
            progress.tick()
        return rows
    for lines, count in fetch_lines(connection, query, CHUNK):
        sink.write_bytes(lines)
        rows += count
        progress.advance(count)
    return rows


def write_archive(job: ExportJob, target: IO[bytes]) -> dict[str, Any]:
    """Write the ZIP into `target`; return the manifest (also stored in the ZIP)."""
    account = SellerAccount.objects.select_related("sandbox").get(pk=job.account_id)
    generated = account.sandbox.now()
    parts = tables(account)
    progress = _Progress(job, sum(table.count() for table in parts))
    files = []
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table in parts:
            with archive.open(_entry(table.name, generated), "w") as raw:
                sink = _HashingWriter(raw)
                writer = csv.writer(sink)
                writer.writerow(table.columns)
                rows = _write_rows(table, writer, sink, progress)
            files.append(
                {
                    "name": table.name,
                    "rows": rows,
                    "bytes": sink.size,
                    "sha256": sink.sha256.hexdigest(),
                    "columns": list(table.columns),
                }
            )
        progress.report()
        manifest = {
            "export_id": job.pk,
            "account_id": account.pk,
            "account": account.display_name,
            "generated_at": generated.isoformat(),
            "generated_at_real": timezone.now().isoformat(),
            "format": "CSV, UTF-8, one header row per file",
            "currency": currency(),
            "files": files,
            "rows": {f["name"]: f["rows"] for f in files},
        }
        archive.writestr(
            _entry("manifest.json", generated), json.dumps(manifest, indent=2, sort_keys=True)
        )
    return manifest


def build_export(export_id: int) -> ExportJob | None:
    """The whole job: claim, write to a temporary file, store, mark ready.

    Transient database errors put the export back in the queue and propagate, so the task
    retries it; any other error marks it failed with a reason (never silently).
    """
    job = start_export(export=export_id)
    if job is None:  # done, failed, or being built by a live builder elsewhere
        log.info("export %s: nothing for this delivery to build", export_id)
        return None
    try:
        with tempfile.TemporaryFile(suffix=".zip") as tmp:
            manifest = write_archive(job, tmp)
            size = tmp.tell()
            tmp.seek(0)
            name = default_storage.save(
                f"exports/{job.account_id}/export-{job.pk}-{secrets.token_hex(8)}.zip",
                File(tmp, name="export.zip"),
            )
    except ExportStopped:
        log.info("export %s was taken away while it was built; dropping the file", job.pk)
        return None
    except DatabaseError:
        requeue_export(export=job)
        raise
    except Exception:
        log.exception("export %s failed", job.pk)
        fail_export(
            actor=BUILDER,
            export=job,
            # The seller reads this: no Python names (the log has the traceback for staff).
            reason="Writing the archive failed: the file could not be stored. Try again.",
        )
        return None
    try:
        ready = mark_export_ready(
            actor=BUILDER, export=job, file_name=name, size_bytes=size, manifest=manifest
        )
    except ObjectDoesNotExist:
        ready = None  # removed while its file was stored (a demo reset, a finalization)
    if ready is None:
        default_storage.delete(name)
    return ready


def iter_csv(archive: zipfile.ZipFile, name: str) -> Iterator[list[str]]:
    """The rows of one CSV inside an export, header first (for checks and tests)."""
    with archive.open(name) as raw:
        yield from csv.reader(io.TextIOWrapper(raw, encoding="utf-8", newline=""))
