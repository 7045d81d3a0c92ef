"""`make run`'s embedded broker (kombu's filesystem transport, config.broker): a message file is
never seen half-written, and one that cannot be read is set aside with a log line instead of
stopping the worker (issue 20, item 1)."""

import json
import logging
import os
import threading
import uuid
from pathlib import Path

import pytest
from kombu import Connection, Queue

from .jobs_helpers import PASSWORD, ready_for_deletion, small_account
from .workers import broker_at, confirmation_sent_through, wait_for, worker_env, worker_process

CLOSED_PORT = "redis://127.0.0.1:1/0"


def folders(root: Path) -> dict[str, str]:
    names = ("data_folder_in", "data_folder_out", "processed_folder", "control_folder")
    options = {
        "data_folder_in": str(root / "queue"),
        "data_folder_out": str(root / "queue"),
        "processed_folder": str(root / "processed"),
        "control_folder": str(root / "control"),
    }
    for name in names:
        Path(options[name]).mkdir(parents=True, exist_ok=True)
    return options


def connection(root: Path) -> Connection:
    return Connection(
        "filesystem://localhost/",
        transport="config.broker:Transport",
        transport_options=folders(root),
    )


def test_a_message_file_is_never_seen_half_written(tmp_path):
    """kombu creates the file under its queue name, then writes it: a reader listing the folder
    at that moment finds it empty or cut short. Written under another name and renamed, every
    file of the queue holds a whole message."""
    seen: list[str] = []
    unreadable: list[str] = []
    done = threading.Event()
    queue_folder = tmp_path / "queue"

    def read_every_file() -> None:
        while not done.is_set():
            for name in os.listdir(queue_folder):
                if name.partition(".")[2] != "atomic.msg":  # the files a consumer reads
                    continue
                try:
                    text = (queue_folder / name).read_text()
                except FileNotFoundError:
                    continue
                seen.append(name)
                try:
                    json.loads(text)
                except ValueError:
                    unreadable.append(name)

    with connection(tmp_path) as conn:
        queue = Queue("atomic", routing_key="atomic")
        producer = conn.Producer(serializer="json")
        reader = threading.Thread(target=read_every_file)
        reader.start()
        try:
            for n in range(150):
                producer.publish(
                    {"n": n, "filler": "x" * 300_000},
                    routing_key="atomic",
                    declare=[queue],
                )
        finally:
            done.set()
            reader.join()
    assert seen, "the reader never saw a message file"
    assert unreadable == []
    assert len(list(queue_folder.glob("*.atomic.msg"))) == 150
    assert [p.name for p in queue_folder.iterdir() if not p.name.endswith(".atomic.msg")] == []


@pytest.mark.parametrize("content", [b"", b'{"body": "eyJ', b"[1, 2]", b'{"properties": {}}'])
def test_an_unreadable_message_is_set_aside_and_the_next_one_is_read(tmp_path, caplog, content):
    with connection(tmp_path) as conn:
        queue = Queue("jobs", routing_key="jobs")
        bad = tmp_path / "queue" / f"0000001_{uuid.uuid4()}.jobs.msg"
        bad.write_bytes(content)
        conn.Producer(serializer="json").publish(
            {"job": "real"}, routing_key="jobs", declare=[queue]
        )
        received = []
        with (
            conn.Consumer(queue, callbacks=[lambda body, message: received.append(body)]),
            caplog.at_level(logging.WARNING, logger="config.broker"),
        ):
            conn.drain_events(timeout=5)
        # The next message is delivered, the unreadable one waits in the quarantine folder.
        assert received == [{"job": "real"}]
    assert not bad.exists()
    assert (tmp_path / "unreadable" / bad.name).read_bytes() == content
    [line] = [r.getMessage() for r in caplog.records if r.name == "config.broker"]
    assert bad.name in line and str(tmp_path / "unreadable") in line


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sets_an_empty_message_aside_and_goes_on_working(
    trainee, as_trainee, tmp_path
):
    """The issue's reproduction: `touch var/broker/queue/0000001_<uuid>.celery.msg` under a
    worker on the filesystem transport stopped it ("Unrecoverable error: JSONDecodeError")."""
    from lifecycle.services import request_deletion

    account = ready_for_deletion(small_account(trainee))
    with broker_at(CLOSED_PORT):  # nothing of this test goes through Redis
        deletion = request_deletion(
            actor=as_trainee, account=account, password=PASSWORD, acknowledged=True
        )
    env = worker_env(DJANGO_SETTINGS_MODULE="config.settings.dev", SIMULATOR_VAR_DIR=str(tmp_path))
    env.pop("REDIS_URL")
    queue = tmp_path / "broker" / "queue"
    queue.mkdir(parents=True)
    empty = queue / f"0000001_{uuid.uuid4()}.celery.msg"
    log = tmp_path / "worker.log"
    with worker_process(env, log, name="embedded") as proc:
        wait_for(lambda: "ready." in log.read_text(), timeout=60, what="the worker to start")
        empty.touch()
        wait_for(lambda: not empty.exists(), timeout=30, what="the worker to take the empty file")
        confirmation_sent_through(env, deletion.pk)
        assert proc.poll() is None, log.read_text()
    text = log.read_text()
    assert "Unrecoverable error" not in text, text
    assert f"set aside the unreadable broker message {empty.name}" in text, text
    assert (tmp_path / "broker" / "unreadable" / empty.name).exists()
