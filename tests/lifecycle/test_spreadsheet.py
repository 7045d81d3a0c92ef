"""CSV formula injection (OWASP): every CSV the product writes keeps a cell a spreadsheet would
run as a formula as text. The data export's files are checked here; the trainer's grid CSV in
tests/training/test_progress.py."""

import zipfile

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from lifecycle.exporting import build_export, iter_csv
from lifecycle.services import Actor, request_export
from lifecycle.spreadsheet import safe_cell, text_cell
from shops.models import Customer, Inquiry, Product

from .jobs_helpers import small_account

pytestmark = pytest.mark.usefixtures("own_media")

FORMULAS = ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1", "\n=1", "＝1+1", "＋1", "＠A1"]


@pytest.mark.parametrize("text", FORMULAS)
def test_a_cell_that_could_start_a_formula_is_kept_as_text(text):
    assert text_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["Maple Crafts", "a=b", "1-2", "", "'=already quoted"])
def test_other_text_is_written_as_it_is(text):
    assert text_cell(text) == text


def test_numbers_the_product_wrote_stay_numbers():
    assert safe_cell(-5) == -5 and safe_cell(None) is None and safe_cell("-5") == "'-5"


@pytest.fixture
def own_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "test-media"


@pytest.mark.django_db
def test_the_data_export_writes_no_cell_a_spreadsheet_would_run(trainee):
    account = small_account(trainee)
    now = timezone.now()
    Customer.objects.create(
        account=account,
        name='=HYPERLINK("http://x.test")',
        email="=1+1@example.org",
        created_at=now,
    )
    customer = Customer.objects.create(
        account=account, name="@evil", email="plain@example.org", created_at=now
    )
    Inquiry.objects.create(
        account=account, customer=customer, message="+1+1", reply="-2+3", received_at=now
    )
    shop = Product.objects.filter(account=account).first().shop
    Product.objects.create(
        account=account, shop=shop, title="-cmd|' /C calc'!A0", sku="=SKU", price=5
    )
    export = build_export(request_export(actor=Actor.trainee(trainee), account=account).pk)
    with default_storage.open(export.file.name) as raw, zipfile.ZipFile(raw) as archive:
        cells = [
            cell
            for name in archive.namelist()
            if name.endswith(".csv")
            for row in iter_csv(archive, name)
            for cell in row
        ]
    for text in ('=HYPERLINK("http://x.test")', "=1+1@example.org", "@evil", "+1+1", "-2+3"):
        assert "'" + text in cells
        assert text not in cells
    assert "'-cmd|' /C calc'!A0" in cells and "'=SKU" in cells
    assert not [c for c in cells if c.startswith(("=", "+", "@", "\t", "\r"))]
    assert not [c for c in cells if c.startswith("-") and not _number(c)]


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
