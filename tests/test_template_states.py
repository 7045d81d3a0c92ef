"""Templates ask the declared machines (`lifecycle.templatetags.states`), never compare a state
string: a renamed state would otherwise hide a control without failing any test."""

import re
from pathlib import Path

import pytest
from django.template import Context, Template

from accounts.models import AccountStatus, SellerAccount
from lifecycle.models import ExportJob, ExportStatus
from lifecycle.transitions import MACHINES
from shops.models import ListingStatus, Order, OrderStatus, Product

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
DECLARED = {
    state
    for machine in MACHINES.values()
    if not machine.open_states
    for state in machine.states
    if state
}
COMPARISON = re.compile(r"([\w.]+)\s*(?:==|!=)\s*['\"]([^'\"]*)['\"]")


def _comparisons_of_states() -> list[str]:
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        for line_no, line in enumerate(path.read_text().splitlines(), 1):
            for subject, value in COMPARISON.findall(line):
                if subject.endswith(("status", "state")) or value in DECLARED:
                    found.append(f"{path.relative_to(TEMPLATES)}:{line_no}: {subject} == {value!r}")
    return found


def test_no_template_compares_a_declared_state_string():
    assert _comparisons_of_states() == []


def test_the_scan_finds_a_state_comparison():
    assert COMPARISON.findall('{% if o.status == "awaiting_shipment" %}') == [
        ("o.status", "awaiting_shipment")
    ]
    assert "awaiting_shipment" in DECLARED and "sold_out" in DECLARED


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def test_in_state_and_allows_read_the_row_s_machine():
    order = Order(status=OrderStatus.AWAITING_SHIPMENT)
    assert render('{% if o|allows:"ship_order" %}ship{% endif %}', o=order) == "ship"
    order.status = OrderStatus.SHIPPED
    assert render('{% if o|allows:"ship_order" %}ship{% endif %}', o=order) == ""
    account = SellerAccount(status=AccountStatus.DEACTIVATED)
    assert render('{% if a|in_state:"deactivated" %}off{% endif %}', a=account) == "off"


def test_a_state_or_action_the_machine_does_not_declare_fails_the_page():
    with pytest.raises(ValueError, match="'shipped_out' is not a state of the order machine"):
        render('{% if o|in_state:"shipped_out" %}{% endif %}', o=Order(status="shipped"))
    with pytest.raises(ValueError, match="ship_order is not a transition of the listing machine"):
        render('{% if p|allows:"ship_order" %}{% endif %}', p=Product())


@pytest.mark.parametrize(
    ("row", "tone"),
    [
        (Order(status=OrderStatus.AWAITING_SHIPMENT), "text-bg-warning"),
        (Order(status=OrderStatus.SHIPPED), "text-bg-success"),
        (Product(listing_status=ListingStatus.REMOVED), "text-bg-secondary"),
        (ExportJob(status=ExportStatus.RUNNING), "text-bg-info"),
        (SellerAccount(status=AccountStatus.DELETION_REQUESTED), "text-bg-danger"),
    ],
)
def test_a_badge_s_tone_is_its_machine_s(row, tone):
    assert render("{{ r|tone }}", r=row) == tone


def test_a_page_without_the_row_is_in_no_state():
    assert render('{% if a|in_state:"active" %}on{% else %}off{% endif %}', a=None) == "off"
    assert render('{% if a|allows:"deactivate" %}on{% else %}off{% endif %}', a=None) == "off"
