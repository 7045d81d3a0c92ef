"""Actions racing a clock move, with real threads on PostgreSQL (RULEBOOK §7).

An action that waits for a clock move to commit must use the clock as the move left it: every
service locks the sandbox's clock row first, then its subject, and reads the clock once it holds
the lock. So the timeline's sandbox times never go backwards in commit order.
"""

import contextlib
import random
import threading
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connection, transaction

from lifecycle.errors import Code, LifecycleError
from lifecycle.models import DeletionStatus, TimelineEvent
from lifecycle.services import (
    advance_clock,
    cancel_deletion,
    confirm_deletion,
    deactivate_account,
    link_shop,
    reactivate_account,
    relink_shop,
    unlink_shop,
)
from tests.rulebook import rule

from .helpers import World, build_world, request
from .test_races import _wait_until_a_backend_waits_for_a_lock

pytestmark = pytest.mark.django_db(transaction=True)


def while_clock_move_is_open(
    world: World, by: timedelta, action: Callable[[], object]
) -> list[object]:
    """Move the clock in a transaction that stays open until `action` (started in a second
    thread once the move is written) waits for a lock or has finished; then commit the move.

    Returns [the move's result, the action's result or refusal]."""
    results: list[object] = [None, None]
    moved = threading.Event()
    acted = threading.Event()

    def act() -> None:
        try:
            moved.wait(timeout=10)
            results[1] = action()
        except Exception as err:  # noqa: BLE001  (checked by the caller)
            results[1] = err
        finally:
            acted.set()
            connection.close()

    def move() -> None:
        try:
            with transaction.atomic():
                results[0] = advance_clock(actor=world.actor, sandbox=world.sandbox.pk, by=by)
                moved.set()
                # Either the action queues behind the clock row, or (the defect) it does not
                # wait at all and commits under the clock from before the move.
                waiting = _wait_until_a_backend_waits_for_a_lock(seconds=5)
                if not waiting:
                    acted.wait(timeout=10)
        except Exception as err:  # noqa: BLE001  (checked by the caller)
            results[0] = err
        finally:
            moved.set()
            connection.close()

    threads = [threading.Thread(target=move), threading.Thread(target=act)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    assert not isinstance(results[0], Exception), results[0]
    return results


def _confirm(world: World) -> Callable[[], object]:
    token = world.token()
    return lambda: confirm_deletion(actor=world.actor, token=token)


def test_a_confirmation_waiting_for_a_clock_move_schedules_from_the_new_now(trainee):
    world = build_world(trainee)
    request(world)
    move, confirmed = while_clock_move_is_open(world, timedelta(hours=12), _confirm(world))

    assert not isinstance(confirmed, Exception), confirmed
    moved_to = world.refresh().sandbox.clock_offset
    assert moved_to == move.clock_offset
    deletion = world.latest_request()
    assert deletion.status == DeletionStatus.SCHEDULED
    moves = TimelineEvent.objects.filter(sandbox=world.sandbox, action="advance_clock")
    clock_event = moves.latest("id")
    assert deletion.confirmed_at >= clock_event.sandbox_time  # the clock the move left
    assert deletion.scheduled_for == deletion.confirmed_at + rule("DELETION_GRACE")
    assert deletion.scheduled_for - world.sandbox.now() > rule("DELETION_GRACE") - timedelta(
        minutes=1
    )


def test_a_confirmation_waiting_for_thirty_days_finds_its_link_expired(trainee):
    """The defect: scheduled at the old now + 30 days, i.e. the new now, and finalized at once."""
    world = build_world(trainee)
    request(world)
    _move, confirmed = while_clock_move_is_open(world, timedelta(days=30), _confirm(world))

    assert isinstance(confirmed, LifecycleError), confirmed
    assert confirmed.code == Code.TOKEN_EXPIRED
    world.refresh()
    assert world.account.status == "deletion_requested"  # not scheduled, never finalized
    assert world.latest_request().scheduled_for is None


def test_a_link_made_while_a_day_passes_keeps_its_cooldown(trainee):
    world = build_world(trainee)
    _move, link = while_clock_move_is_open(
        world,
        timedelta(days=1),
        lambda: link_shop(actor=world.actor, account=world.account.pk, shop=world.spare.pk),
    )
    assert not isinstance(link, Exception), link
    world.refresh()
    assert link.linked_at >= world.sandbox.now() - timedelta(minutes=1)
    with pytest.raises(LifecycleError) as refused:
        unlink_shop(actor=world.actor, account=world.account, shop=world.spare, confirmed=True)
    assert refused.value.code == Code.UNLINK_TOO_SOON


def _random_actions(world: World, seed: int, steps: int) -> Callable[[], None]:
    rng = random.Random(seed)
    account, sandbox, actor = world.account.pk, world.sandbox.pk, world.actor
    choices: list[Callable[[], object]] = [
        lambda: advance_clock(actor=actor, sandbox=sandbox, by=timedelta(hours=rng.randint(1, 30))),
        lambda: link_shop(actor=actor, account=account, shop=world.spare.pk),
        lambda: unlink_shop(actor=actor, account=account, shop=world.spare.pk, confirmed=True),
        lambda: relink_shop(actor=actor, account=account, shop=world.former.pk),
        lambda: unlink_shop(actor=actor, account=account, shop=world.former.pk, confirmed=True),
        lambda: deactivate_account(actor=actor, account=account),
        lambda: reactivate_account(actor=actor, account=account),
        lambda: request(world),
        lambda: cancel_deletion(actor=actor, account=account),
    ]

    def run() -> None:
        try:
            for _ in range(steps):
                with contextlib.suppress(LifecycleError):  # refusals are events too
                    rng.choice(choices)()
        finally:
            connection.close()

    return run


def test_timeline_times_never_go_backwards_in_commit_order(trainee, other_trainee):
    """A property of a concurrent run: per sandbox, events in id (commit) order have
    non-decreasing sandbox time, whatever the actions and clock moves interleave to."""
    worlds = [build_world(trainee, name="Busy"), build_world(other_trainee, name="Crowded")]
    since = TimelineEvent.objects.order_by("-id").first().pk
    threads = [
        threading.Thread(target=_random_actions(world, seed, steps=15))
        for seed, world in enumerate(worlds * 3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)

    for world in worlds:
        events = list(
            TimelineEvent.objects.filter(sandbox=world.sandbox, id__gt=since)
            .order_by("id")
            .values_list("id", "action", "sandbox_time")
        )
        assert len(events) >= 20  # a repeat writes nothing; most calls write one event
        backwards = [
            (earlier, later)
            for earlier, later in zip(events, events[1:], strict=False)
            if later[2] < earlier[2]
        ]
        assert backwards == []
