"""Amounts as a trainee meets them: on the pages and in the export's CSV files (issue 8 item 2).

`money_figures` is run on PostgreSQL by the test itself and on SQLite in a subprocess
(tests/sqlite/writers.py), so both databases are held to the same figures.
"""

import io
import zipfile
from decimal import Decimal

from django.core.files.storage import default_storage
from django.urls import reverse

from lifecycle.exporting import build_export, iter_csv
from lifecycle.services import request_export
from shops.models import OrderStatus
from tests.shops.factories import OrderFactory, OrderLineFactory, ProductFactory

# Two orders whose sums a floating-point database cannot hold exactly.
LINES = (
    (1001, ((2, "1234.56"), (1, "0.10"))),  # 2469.22
    (1002, ((3, "1905.99"),)),  # 5717.97
)


def make_orders(world) -> None:
    now = world.sandbox.now()
    for number, lines in LINES:
        order = OrderFactory(
            account=world.account,
            shop=world.shop,
            number=number,
            status=OrderStatus.DELIVERED,
            placed_at=now,
        )
        for quantity, price in lines:
            product = ProductFactory(account=world.account, shop=world.shop, price=Decimal(price))
            OrderLineFactory(order=order, product=product, quantity=quantity)


def money_figures(world, client_for) -> dict:
    """What the analytics and orders pages print, and the money cells of the export's CSVs."""
    make_orders(world)
    client = client_for()
    sid = world.sandbox.pk
    pages = {
        name: client.get(reverse(name, args=[sid])).content.decode()
        for name in ("analytics", "orders")
    }
    export = request_export(actor=world.actor, account=world.account)
    ready = build_export(export.pk)
    with default_storage.open(ready.file.name) as stored:
        archive = zipfile.ZipFile(io.BytesIO(stored.read()))
    csv = {
        name: list(iter_csv(archive, name))
        for name in ("orders.csv", "order_lines.csv", "analytics_summary.csv")
    }
    return {
        "pages": pages,
        "orders_total": {row[0]: row[-1] for row in csv["orders.csv"][1:]},
        "line_totals": sorted(row[-1] for row in csv["order_lines.csv"][1:]),
        "analytics_revenue": [row[-1] for row in csv["analytics_summary.csv"][1:]],
    }
