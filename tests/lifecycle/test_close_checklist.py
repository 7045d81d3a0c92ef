"""The close page's checklist is generated from the deletion request's guards (RULEBOOK §5).

The tests below are generated from the declaration: a blocking guard added to the request
without its checklist row fails them, so the page can never show nothing blocking beside a
disabled "Request deletion" button.
"""

from dataclasses import replace

import pytest
from django.urls import reverse

from lifecycle.core import account_rows
from lifecycle.selectors import close_checklist, deletion_offer
from lifecycle.transitions.base import checklist_rows
from lifecycle.transitions.deletion import RECOMMENDED, REQUEST_DELETION
from tests.web import demo

BLOCKING = [g for g in REQUEST_DELETION.guards if not getattr(g, "asks", False)]


@pytest.mark.parametrize("guard", BLOCKING, ids=lambda g: g.__name__)
def test_every_blocking_guard_has_its_checklist_row(guard, trainee):
    row = getattr(guard, "checklist", None)
    assert row is not None, f"{guard.__name__} blocks a deletion request but has no row"
    sandbox = demo(trainee)
    items = {item["key"]: item for item in close_checklist(sandbox.account)}
    assert items[row.key]["blocking"] is True and items[row.key]["label"] == row.label
    assert reverse(row.fix, args=[sandbox.pk])  # the link that fixes it is a page


def test_a_guard_without_a_row_is_refused_by_the_generator():
    def new_rule(rows):
        return None

    added = replace(REQUEST_DELETION, guards=(*REQUEST_DELETION.guards, new_rule))
    with pytest.raises(LookupError, match="new_rule of request_deletion has no checklist row"):
        checklist_rows(added)


def test_the_rows_follow_the_guards_order_then_the_recommended():
    keys = [row.key for _guard, row in checklist_rows(REQUEST_DELETION)]
    assert keys == ["orders", "campaigns"]
    assert [row.key for row in RECOMMENDED] == ["exported", "notified"]


def test_a_blocked_row_and_the_disabled_request_say_the_same(trainee):
    """The demo has orders awaiting shipment and running campaigns: both rows block, and the
    offer is refused with the first guard's sentence."""
    account = demo(trainee).account
    items = close_checklist(account)
    blocked = [item for item in items if item["blocking"] and not item["done"]]
    assert [item["key"] for item in blocked] == ["orders", "campaigns"]
    assert blocked[0]["detail"].endswith("awaiting shipment")
    first = checklist_rows(REQUEST_DELETION)[0][0]
    assert deletion_offer(account).reason == first(account_rows(account)).sentence


def test_nothing_blocks_a_quiet_account(quiet):
    items = close_checklist(quiet)
    assert all(item["done"] for item in items if item["blocking"])
    assert all(item["detail"] == "" for item in items if item["blocking"])
    assert deletion_offer(quiet).enabled
