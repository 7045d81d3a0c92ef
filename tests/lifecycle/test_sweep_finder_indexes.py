"""The sweep's finder reads partial indexes, so its time does not grow with the sandboxes that
have nothing due (issue 12, item 4; bench/sweep.py measures it). With sequential scans switched
off, PostgreSQL's plan of each of the finder's queries names the index it can use: a query whose
filter stops matching its index's condition fails here."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lifecycle.services.due import sandboxes_with_due_work

pytestmark = pytest.mark.django_db

EXPECTED = [
    ("deletion requests", "deletion_request_notice_owed"),
    ("deletion requests", "one_open_deletion_request_per_account"),
    ("exports", "export_sweep_may_act_on"),
    ("announcements", "event_announcement_queued"),
    ("deleted accounts", "account_deleted"),
]


def plans() -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        sandboxes_with_due_work()
    found = []
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        for query in ctx.captured_queries:
            cursor.execute("EXPLAIN " + query["sql"])
            found.append("\n".join(row[0] for row in cursor.fetchall()))
    return found


@pytest.mark.parametrize(("what", "index"), EXPECTED)
def test_the_finder_uses_its_partial_index(what, index):
    shown = plans()
    assert len(shown) == 4  # requests, exports, announcements, deleted accounts
    assert any(index in plan for plan in shown), f"{what}: no plan uses {index}:\n" + "\n\n".join(
        shown
    )
