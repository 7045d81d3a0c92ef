"""Heartbeats: /healthz answers from the rows the workers and the scheduler write, never by
asking the workers over the broker; a process down, stale or stopped answers 503."""

import os
import socket
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from config.celery import app
from lifecycle import heartbeat
from lifecycle.heartbeat import SCHEDULER, STALE_AFTER, WORKER, HeartbeatScheduler
from lifecycle.models import Heartbeat

pytestmark = pytest.mark.django_db


MONITOR = "monitor-token-for-the-tests"


@pytest.fixture(autouse=True)
def monitor(client, settings):
    """These tests read the detail, as a monitor with the token does."""
    settings.HEALTHZ_TOKEN = MONITOR
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {MONITOR}"


@pytest.fixture
def no_round_trips(monkeypatch):
    """A ping or an inspect of the workers fails the test: health reads rows only."""

    def refused(*args, **kwargs):
        raise AssertionError("health asked the workers over the broker")

    monkeypatch.setattr(app.control, "ping", refused)
    monkeypatch.setattr(app.control, "inspect", refused)
    monkeypatch.setattr(app.control, "broadcast", refused)


def both_beating() -> None:
    assert heartbeat.beat(WORKER, "celery@box", started=True)
    assert heartbeat.beat(SCHEDULER, "beat@box", started=True)


@pytest.fixture
def frozen(monkeypatch):
    """Health's clock stands still (real time, read once), so the ages it reports are exact
    however slowly the test runs: a busy machine took "21 s" to "22 s", "0 s ago" to "1 s"."""
    now = timezone.now()
    monkeypatch.setattr(heartbeat, "timezone", SimpleNamespace(now=lambda: now))
    return now


def age(name: str, by: timedelta, now=None) -> None:
    Heartbeat.objects.filter(name=name).update(beat_at=(now or timezone.now()) - by)


def test_healthz_answers_from_the_heartbeats_without_asking_the_workers(client, no_round_trips):
    both_beating()
    response = client.get("/healthz")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["database"], body["broker"]) == ("ok", "ok", "ok")
    assert (body["worker"], body["scheduler"]) == ("ok", "ok")
    assert body["workers"] == ["celery@box"]
    assert body["heartbeats"]["scheduler"]["detail"] == "beat@box"


def test_healthz_is_two_queries_whatever_the_number_of_workers(
    client, no_round_trips, django_assert_num_queries
):
    both_beating()
    for n in range(5):
        heartbeat.beat(WORKER, f"celery@box{n}")
    with django_assert_num_queries(2):  # SELECT 1, then the heartbeat rows
        assert client.get("/healthz").status_code == 200


@pytest.mark.parametrize("kind, name", [(WORKER, "celery@box"), (SCHEDULER, "beat@box")])
def test_a_stale_heartbeat_answers_503(client, no_round_trips, frozen, kind, name):
    both_beating()
    age(name, STALE_AFTER + timedelta(seconds=1), frozen)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert (body["status"], body[kind]) == ("degraded", "down")
    assert body["heartbeats"][kind]["detail"] == f"{name} silent for 21 s"
    other = SCHEDULER if kind == WORKER else WORKER
    assert body[other] == "ok"


def test_a_heartbeat_just_inside_the_limit_is_fresh(client, no_round_trips, frozen):
    both_beating()
    age("celery@box", STALE_AFTER - timedelta(seconds=2), frozen)
    assert client.get("/healthz").json()["worker"] == "ok"


def test_a_worker_stopped_cleanly_is_down_at_once(client, no_round_trips, frozen):
    both_beating()
    heartbeat.beat(WORKER, "celery@box", stopped=True)
    body = client.get("/healthz").json()
    assert (body["worker"], body["workers"]) == ("down", [])
    assert body["heartbeats"]["worker"]["detail"] == "celery@box stopped 0 s ago"


def test_one_live_worker_among_dead_ones_is_enough(client, no_round_trips):
    both_beating()
    heartbeat.beat(WORKER, "celery@old")
    age("celery@old", timedelta(hours=3))
    body = client.get("/healthz").json()
    assert (body["worker"], body["workers"]) == ("ok", ["celery@box"])


def test_no_heartbeat_ever_is_down_and_says_so(client, no_round_trips):
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert (body["worker"], body["scheduler"]) == ("down", "down")
    assert body["heartbeats"]["worker"] == {"last": None, "detail": "no heartbeat recorded yet"}


def test_a_restart_keeps_one_row_and_a_new_start_time(no_round_trips):
    heartbeat.beat(WORKER, "celery@box", started=True)
    first = Heartbeat.objects.get().started_at
    heartbeat.beat(WORKER, "celery@box")
    assert Heartbeat.objects.get().started_at == first
    heartbeat.beat(WORKER, "celery@box", stopped=True)
    heartbeat.beat(WORKER, "celery@box", started=True)
    row = Heartbeat.objects.get()
    assert row.started_at > first and row.stopped_at is None


def test_a_heartbeat_that_cannot_be_written_is_logged_not_raised(monkeypatch, caplog):
    def down(*args, **kwargs):
        raise OSError("database down")

    monkeypatch.setattr(Heartbeat.objects, "update_or_create", down)
    assert heartbeat.beat(WORKER, "celery@box") is False
    assert "could not write the worker heartbeat of celery@box" in caplog.text


def test_the_scheduler_beats_from_its_tick_and_marks_itself_stopped(tmp_path, no_round_trips):
    scheduler = HeartbeatScheduler(app=app, schedule_filename=str(tmp_path / "schedule"))
    interval = scheduler.tick()
    assert 0 < interval <= heartbeat.EVERY.total_seconds()  # it wakes up for the next beat
    row = Heartbeat.objects.get(kind=SCHEDULER)
    assert row.stopped_at is None
    assert heartbeat.status()[SCHEDULER].up
    scheduler.close()
    row.refresh_from_db()
    assert row.stopped_at is not None
    assert not heartbeat.status()[SCHEDULER].up


def test_the_scheduler_writes_at_most_once_per_interval(tmp_path, no_round_trips):
    scheduler = HeartbeatScheduler(app=app, schedule_filename=str(tmp_path / "schedule"))
    scheduler.tick()
    first = Heartbeat.objects.get().beat_at
    scheduler.tick()  # at once again: no second write
    assert Heartbeat.objects.get().beat_at == first
    scheduler.close()


def test_beat_uses_the_heartbeat_scheduler():
    assert app.conf.beat_scheduler == "lifecycle.heartbeat:HeartbeatScheduler"
    assert heartbeat.WorkerHeartbeat in app.steps["consumer"]


def test_two_schedulers_show_as_two_and_say_one_is_meant_to_run(client, no_round_trips):
    """Issue 20, item 9: two beats by mistake shared one row (one per name), so /healthz could
    not show them; each beat process now has a row of its own."""
    both_beating()
    heartbeat.beat(SCHEDULER, "beat@box:2", started=True)
    body = client.get("/healthz").json()
    assert body["scheduler"] == "ok"
    assert sorted(body["schedulers"]) == ["beat@box", "beat@box:2"]
    assert body["heartbeats"]["scheduler"]["detail"] == (
        "2 schedulers beating: beat@box, beat@box:2 (run exactly one)"
    )


def test_each_beat_process_has_a_row_of_its_own_and_forgets_its_hosts_dead_ones(
    tmp_path, no_round_trips, monkeypatch
):
    host = socket.gethostname()
    heartbeat.beat(SCHEDULER, f"beat@{host}:1", stopped=True)  # an earlier run, stopped
    heartbeat.beat(SCHEDULER, f"beat@{host}:2")  # an earlier run, killed: silent since
    age(f"beat@{host}:2", STALE_AFTER + timedelta(seconds=1))
    heartbeat.beat(SCHEDULER, f"beat@{host}:3")  # another beat here, alive
    heartbeat.beat(SCHEDULER, "beat@elsewhere:1", stopped=True)  # another host's: not ours
    scheduler = HeartbeatScheduler(app=app, schedule_filename=str(tmp_path / "schedule"))
    scheduler.tick()
    mine = f"beat@{host}:{os.getpid()}"
    names = set(Heartbeat.objects.values_list("name", flat=True))
    assert names == {mine, f"beat@{host}:3", "beat@elsewhere:1"}
    scheduler.close()


def test_beat_keeps_its_schedule_file_in_the_var_dir_wherever_it_starts(settings):
    """`celery -A config beat` as the README writes it wrote celerybeat-schedule in the
    working directory; make run gave it the var dir. Now that is its default."""
    from celery.apps.beat import Beat

    expected = str(settings.VAR_DIR / "celerybeat-schedule")
    assert app.conf.beat_schedule_filename == expected
    assert Beat(app=app).schedule == expected


@pytest.mark.parametrize("who", ["anonymous", "signed-in trainee", "wrong token"])
def test_healthz_tells_others_the_states_only(client, trainee, settings, who):
    """Issue 20, item 12: anonymous visitors read the workers' names and heartbeat times."""
    both_beating()
    client.defaults.pop("HTTP_AUTHORIZATION")
    if who == "signed-in trainee":
        client.force_login(trainee)
    elif who == "wrong token":
        client.defaults["HTTP_AUTHORIZATION"] = "Bearer not-the-token"
    body = client.get("/healthz").json()
    assert body == {
        "status": "ok",
        "database": "ok",
        "broker": "ok",
        "worker": "ok",
        "scheduler": "ok",
    }


def test_healthz_tells_support_staff_the_detail(client, staff_user):
    both_beating()
    client.defaults.pop("HTTP_AUTHORIZATION")
    client.force_login(staff_user)
    body = client.get("/healthz").json()
    assert body["workers"] == ["celery@box"] and body["schedulers"] == ["beat@box"]
