"""The one way amounts are rounded and written (lifecycle.money and the `money` filter)."""

from decimal import Decimal

import pytest
from django.template import Context, Template

from lifecycle.money import amount, format_money, plain


@pytest.mark.parametrize(
    ("raw", "two_places"),
    [
        (Decimal("8187.2200000000000"), Decimal("8187.22")),
        (Decimal("185.780000000000"), Decimal("185.78")),
        (Decimal("0.005"), Decimal("0.01")),  # half up, as a till rounds
        (0.1 + 0.2, Decimal("0.30")),
        (None, Decimal("0.00")),
        (7, Decimal("7.00")),
    ],
)
def test_amount_has_exactly_two_places(raw, two_places):
    result = amount(raw)
    assert result == two_places
    assert result.as_tuple().exponent == -2


def test_csv_cells_have_no_separator_or_symbol():
    assert plain(Decimal("8187.2200000000000")) == "8187.22"
    assert plain(None) == "0.00"


def test_people_see_the_currency_and_thousands_separators(settings):
    assert format_money(Decimal("1234567.891")) == "$1,234,567.89"
    assert format_money(Decimal("-5")) == "-$5.00"
    settings.SIMULATOR = {**settings.SIMULATOR, "CURRENCY": "EUR"}
    assert format_money(Decimal("8187.22")) == "€8,187.22"
    settings.SIMULATOR = {**settings.SIMULATOR, "CURRENCY": "CHF"}
    assert format_money(Decimal("8187.22")) == "CHF 8,187.22"


def test_the_template_filter_is_the_same_function():
    rendered = Template("{% load money %}{{ value|money }}").render(
        Context({"value": Decimal("185.780000000000")})
    )
    assert rendered == "$185.78"
