"""Two real threads on PostgreSQL act on one account at once (RULEBOOK §9).

Whichever order the database lets them run in, the end state is consistent and the timeline
holds exactly the transitions that happened: its done events chain from the start state to the
final one, and every call left one event or none (a repeat).
"""

import threading
import time
from collections.abc import Callable

import pytest
from django.db import connection, connections

from lifecycle.errors import Code, LifecycleError
from lifecycle.models import DeletionRequest, DeletionStatus, TimelineEvent
from lifecycle.services import cancel_deletion, relink_shop, unlink_shop
from shops.models import ShopLink

from .helpers import World, build_world, request

pytestmark = pytest.mark.django_db(transaction=True)
ROUNDS = 4


def race(*calls: Callable[[], object]) -> list[object]:
    """Start every call at the same moment, each in its own thread with its own connection."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except LifecycleError as err:
            results[index] = err
        except Exception as err:  # noqa: BLE001  (reported by the assertion below)
            results[index] = err
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    unexpected = [
        r for r in results if isinstance(r, Exception) and not isinstance(r, LifecycleError)
    ]
    assert unexpected == []
    return results


def new_events(world: World, since: int, **filters) -> list[TimelineEvent]:
    return list(
        TimelineEvent.objects.filter(sandbox=world.sandbox, id__gt=since, **filters).order_by("id")
    )


def assert_chain(done: list[TimelineEvent], start: str, end: str) -> None:
    state = start
    for event in done:
        assert event.before == state, [(e.action, e.before, e.after) for e in done]
        state = event.after
    assert state == end


def mark(world: World) -> int:
    return TimelineEvent.objects.filter(sandbox=world.sandbox).order_by("-id").first().pk


def test_unlink_races_relink(trainee):
    for round_ in range(ROUNDS):  # one test, several rounds: each flush of the database is slow
        unlink_races_relink(build_world(trainee, name=f"Race {round_}"))


def unlink_races_relink(world: World) -> None:
    since = mark(world)
    unlink_result, relink_result = race(
        lambda: unlink_shop(
            actor=world.actor, account=world.account.pk, shop=world.shop.pk, confirmed=True
        ),
        lambda: relink_shop(actor=world.actor, account=world.account.pk, shop=world.shop.pk),
    )
    assert isinstance(unlink_result, ShopLink) and isinstance(relink_result, ShopLink)

    links = list(ShopLink.objects.filter(shop=world.shop).order_by("id"))
    assert sum(link.unlinked_at is None for link in links) <= 1
    linked = any(link.unlinked_at is None for link in links)
    done = new_events(world, since, subject_type="shop", subject_id=world.shop.pk)
    assert all(e.outcome == "done" for e in done)
    assert_chain(done, "linked", "linked" if linked else "unlinked")
    if linked:  # the unlink ran first, then the relink made a new link
        assert [e.action for e in done] == ["unlink_shop", "relink_shop"]
        assert len(links) == 2
    else:  # the relink found the shop linked already and changed nothing
        assert [e.action for e in done] == ["unlink_shop"]
        assert len(links) == 1


def test_request_deletion_races_cancel(trainee):
    for round_ in range(ROUNDS):
        request_deletion_races_cancel(build_world(trainee, name=f"Race {round_}"))


def request_deletion_races_cancel(world: World) -> None:
    since = mark(world)
    requested, cancelled = race(
        lambda: request(world),
        lambda: cancel_deletion(actor=world.actor, account=world.account.pk),
    )
    assert isinstance(requested, DeletionRequest)
    world.refresh()
    deletion = DeletionRequest.objects.get(account=world.account)
    timeline = new_events(world, since)
    done = [e for e in timeline if e.outcome == "done"]
    assert_chain(done, "active", world.account.status)
    if isinstance(cancelled, LifecycleError):  # the cancel ran first and found nothing to cancel
        assert cancelled.code == Code.NO_OPEN_REQUEST
        assert world.account.status == "deletion_requested"
        assert deletion.status == DeletionStatus.PENDING
        assert [e.action for e in done] == ["request_deletion"]
        assert [(e.action, e.code) for e in timeline if e.outcome == "refused"] == [
            ("cancel_deletion", "no_open_request")
        ]
    else:
        assert cancelled == deletion
        assert world.account.status == "active"
        assert deletion.status == DeletionStatus.CANCELLED
        assert [e.action for e in done] == ["request_deletion", "cancel_deletion"]
        assert len(timeline) == 2


def test_a_double_click_has_the_effect_of_one(trainee):
    world = build_world(trainee, name="Twice")
    since = mark(world)
    first, second = race(lambda: request(world), lambda: request(world))
    assert first == second
    a, b = race(
        lambda: cancel_deletion(actor=world.actor, account=world.account.pk),
        lambda: cancel_deletion(actor=world.actor, account=world.account.pk),
    )
    assert a == b
    assert DeletionRequest.objects.filter(account=world.account).count() == 1
    assert [e.action for e in new_events(world, since)] == ["request_deletion", "cancel_deletion"]


def _wait_until_a_backend_waits_for_a_lock(seconds: float = 10.0) -> bool:
    """Poll PostgreSQL, on a connection of its own, until a session is blocked on a lock."""
    poller = connections.create_connection("default")
    try:
        with poller.cursor() as cursor:
            deadline = time.monotonic() + seconds
            while time.monotonic() < deadline:
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE wait_event_type = 'Lock' AND datname = current_database()"
                )
                if cursor.fetchone()[0]:
                    return True
                time.sleep(0.05)
        return False
    finally:
        poller.close()


def test_a_refusal_is_recorded_before_any_later_change(trainee, monkeypatch):
    """Another tab's request arrives while a refused cancel still holds the account's lock.

    The refusal is recorded inside the refused service's transaction, so the other request waits
    for it and comes after it on the timeline, and every event follows on from the one before.
    """
    from lifecycle.core import engine as _core

    world = build_world(trainee, name="Window")
    record_refusal = _core._record_refusal
    other: list[threading.Thread] = []
    results: list[object] = []

    def other_tab() -> None:
        try:
            results.append(request(world))
        except Exception as err:  # noqa: BLE001  (checked below)
            results.append(err)
        finally:
            connection.close()

    def let_another_tab_in_then_record(*args, **kwargs):
        thread = threading.Thread(target=other_tab)
        thread.start()
        other.append(thread)
        assert _wait_until_a_backend_waits_for_a_lock(), "the other tab never reached the lock"
        record_refusal(*args, **kwargs)

    monkeypatch.setattr(_core, "_record_refusal", let_another_tab_in_then_record)
    since = mark(world)
    with pytest.raises(LifecycleError) as refused:
        cancel_deletion(actor=world.actor, account=world.account.pk)
    assert refused.value.code == Code.NO_OPEN_REQUEST
    other[0].join(timeout=30)
    assert not other[0].is_alive()
    assert [type(r).__name__ for r in results] == ["DeletionRequest"]
    timeline = new_events(world, since)
    assert [(e.action, e.before, e.after) for e in timeline] == [
        ("cancel_deletion", "active", "active"),
        ("request_deletion", "active", "deletion_requested"),
    ]
