"""Money, the one way it is rounded and written (pages, CSV files, emails).

Sums computed by the database come back with whatever digits its arithmetic left (SQLite adds
DECIMAL columns as floating point: 8187.2200000000000). Every amount goes through `amount` before
it is shown or written: a Decimal with exactly two places. `format_money` adds the currency of
the simulated shops (SIMULATOR["CURRENCY"], default USD) and thousands separators.
"""

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings

CENT = Decimal("0.01")
SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}


def currency() -> str:
    return str(settings.SIMULATOR.get("CURRENCY", "USD"))


def amount(value: Any) -> Decimal:
    """Two places, half up; None (a sum over no rows) is zero."""
    if value is None or value == "":
        return Decimal("0.00")
    if isinstance(value, float):
        value = repr(value)  # the shortest text of the float, not its binary expansion
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def plain(value: Any) -> str:
    """The amount as a CSV cell: two places, no separators, no symbol ("8187.22")."""
    return f"{amount(value):.2f}"


def format_money(value: Any) -> str:
    """The amount for people: "$8,187.22", or "CHF 8,187.22" for a currency with no symbol."""
    number = amount(value)
    text = f"{abs(number):,.2f}"
    code = currency()
    written = f"{SYMBOLS[code]}{text}" if code in SYMBOLS else f"{code} {text}"
    return f"-{written}" if number < 0 else written
