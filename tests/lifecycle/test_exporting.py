"""The export of the demo account, built by a real worker on Redis, matches the database."""

import hashlib
import json
import zipfile
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.db import transaction

from lifecycle.demo import build_demo_sandbox
from lifecycle.exporting import daily_sales, iter_csv
from lifecycle.models import ExportJob, ExportStatus, InboxMessage
from lifecycle.services import request_export
from shops.models import Customer, Inquiry, Order, OrderLine, Product

from .workers import wait_for

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("own_media"),
]


def iso(value) -> str:
    return value.isoformat() if value is not None else ""


def test_export_of_the_demo_account_matches_the_database_row_for_row(
    celery_worker, trainee, as_trainee
):
    account = build_demo_sandbox(owner=trainee).account
    with transaction.atomic():
        job = request_export(actor=as_trainee, account=account)

    def ready():
        return ExportJob.objects.filter(pk=job.pk, status=ExportStatus.READY).first()

    job = wait_for(ready, what="the export to be ready")
    assert InboxMessage.objects.filter(account=account, kind="export_ready").count() == 1

    with default_storage.open(job.file.name) as raw, zipfile.ZipFile(raw) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        csvs = {info["name"]: list(iter_csv(archive, info["name"])) for info in manifest["files"]}
        contents = {info["name"]: archive.read(info["name"]) for info in manifest["files"]}

    assert manifest == job.manifest
    assert (manifest["export_id"], manifest["account_id"]) == (job.pk, account.pk)
    for info in manifest["files"]:
        rows = csvs[info["name"]]
        assert rows[0] == info["columns"]
        assert len(rows) - 1 == info["rows"] == manifest["rows"][info["name"]]
        assert hashlib.sha256(contents[info["name"]]).hexdigest() == info["sha256"]
        assert len(contents[info["name"]]) == info["bytes"]

    orders = Order.objects.filter(account=account).order_by("number")
    assert [r[:3] + r[4:5] for r in csvs["orders.csv"][1:]] == [
        [str(o.number), o.status, iso(o.placed_at), str(o.customer_id)] for o in orders
    ]
    for row, order in zip(csvs["orders.csv"][1:], orders, strict=True):
        lines = list(order.lines.all())
        assert int(row[11]) == len(lines)
        assert Decimal(row[12]) == sum(line.total for line in lines)
    lines = OrderLine.objects.filter(order__account=account).order_by("order__number", "id")
    assert [r[:2] + r[4:6] for r in csvs["order_lines.csv"][1:]] == [
        [str(ln.order.number), str(ln.pk), str(ln.quantity), str(ln.unit_price)] for ln in lines
    ]
    assert [r[:2] + r[4:6] for r in csvs["products.csv"][1:]] == [
        [str(p.pk), p.sku, str(p.price), str(p.stock)]
        for p in Product.objects.filter(account=account).order_by("id")
    ]
    assert csvs["customers.csv"][1:] == [
        [str(c.pk), c.name, c.email, iso(c.created_at)]
        for c in Customer.objects.filter(account=account).order_by("id")
    ]
    assert [r[:2] + r[4:6] for r in csvs["inquiries.csv"][1:]] == [
        [str(i.pk), str(i.customer_id), i.message, i.reply]
        for i in Inquiry.objects.filter(account=account).order_by("id")
    ]
    assert csvs["analytics_summary.csv"][1:] == [
        [s["day"].isoformat(), str(s["orders"]), str(s["units"]), str(s["revenue"])]
        for s in daily_sales(account)
    ]
    assert len(csvs["orders.csv"]) - 1 == 200
