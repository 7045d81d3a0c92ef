"""Every Seller Center page follows background work (issue 23, item 18): the page carries the
sandbox's version as it rendered it, and its poll answers 204 until a job changes the sandbox.
The browser side (the page swapped in without a reload) is in tests/browser/test_follow.py."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Sandbox
from lifecycle.follow import CHANGED
from lifecycle.models import TimelineEvent
from lifecycle.selectors import sandbox_version
from lifecycle.services import cancel_deletion
from lifecycle.services.due import run_due_work
from tests.web import url

from .helpers import SCHEDULED_DUE, build_world, drive_to

pytestmark = pytest.mark.django_db

POLL = re.compile(r'data-hx-get="(/s/\d+/changes/\?seen=(\d+))"')


@pytest.fixture
def world(trainee):
    return build_world(trainee)


def poll_of(response) -> tuple[str, int]:
    """The address the page polls, and the version it carries."""
    found = POLL.search(response.content.decode())
    assert found, "the page does not follow its sandbox"
    return found[1], int(found[2])


def newest_event(sandbox) -> int:
    return TimelineEvent.objects.filter(sandbox=sandbox).order_by("-id").first().pk


@pytest.mark.parametrize("name", ["dashboard", "exports", "inbox", "timeline", "close_account"])
def test_every_page_carries_the_sandbox_version_it_rendered(world, client, name):
    client.force_login(world.owner)
    address, seen = poll_of(client.get(url(name, world.sandbox)))
    assert seen == newest_event(world.sandbox) == sandbox_version(world.sandbox.pk)
    assert client.get(address).status_code == 204


def test_a_sandbox_without_events_has_version_zero(trainee):
    assert sandbox_version(Sandbox.objects.create(owner=trainee, name="Empty").pk) == 0


def test_background_work_changes_the_answer_and_triggers_the_swap(world, client):
    world = drive_to(world, SCHEDULED_DUE)
    client.force_login(world.owner)
    address, _ = poll_of(client.get(url("dashboard", world.sandbox)))
    assert client.get(address).status_code == 204

    run_due_work(sandbox=world.sandbox)  # the sweep finalizes the deletion meanwhile
    answer = client.get(address)
    assert answer.status_code == 200
    assert answer["HX-Trigger"] == CHANGED
    # The page the script then fetches is the deleted account's page.
    again = client.get(url("dashboard", world.sandbox))
    assert again.status_code == 302 and again.url == url("account_deleted", world.sandbox)
    _, seen = poll_of(client.get(again.url))
    assert seen == newest_event(world.sandbox)


def test_the_page_s_own_change_is_not_background_work(world, client):
    """A page rendered after its own action (a refused one writes an event too) carries the
    version with that event: its poll does not swap it away, message and all."""
    client.force_login(world.owner)
    before = newest_event(world.sandbox)
    refused = client.post(
        url("request_deletion", world.sandbox),
        {"password": "not-the-password", "acknowledged": "on"},
    )
    assert refused.status_code in (400, 409)
    address, seen = poll_of(refused)
    assert seen == newest_event(world.sandbox) > before
    assert client.get(address).status_code == 204


def test_a_cancelled_request_in_another_tab_is_a_change(world, client):
    world = drive_to(world, SCHEDULED_DUE)
    client.force_login(world.owner)
    address, _ = poll_of(client.get(url("timeline", world.sandbox)))
    cancel_deletion(actor=world.actor, account=world.account)
    assert client.get(address)["HX-Trigger"] == CHANGED


def test_the_poll_costs_one_query_besides_the_sign_in(world, client):
    client.force_login(world.owner)
    address, _ = poll_of(client.get(url("dashboard", world.sandbox)))
    with CaptureQueriesContext(connection) as poll:
        assert client.get(address).status_code == 204
    sqls = [q["sql"] for q in poll.captured_queries]
    assert len(sqls) == 4, sqls  # session, user, the sandbox with its account, the version
    assert sum("lifecycle_timelineevent" in sql for sql in sqls) == 1, sqls


def test_another_trainee_cannot_poll_a_sandbox(world, client, other_trainee):
    client.force_login(other_trainee)
    assert client.get(url("sandbox_changes", world.sandbox, query="seen=0")).status_code == 404
