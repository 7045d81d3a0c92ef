"""`make run` as a trainee meets it: the real Makefile, Procfile and honcho on SQLite and the
filesystem broker in a folder that does not exist yet; the address and the sign-ins printed again
once every process is up; DEBUG off with the simulator's own error pages; each warning logged
once; Ctrl-C stops every process within honcho's grace period (no SIGKILL)."""

import http.client
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.test import Client, override_settings
from django.urls import path

from lifecycle.management.commands.seed_demo import DEMO_PASSWORD, DEMO_USERNAME
from tests.lifecycle.workers import manage_shell
from training.cohorts.demo import TRAINER_PASSWORD

ROOT = Path(__file__).resolve().parent.parent
STARTED = re.compile(r"system\s+\| (\w+)\.1 started \(pid=(\d+)\)")
STOPPED = re.compile(r"system\s+\| (\w+)\.1 stopped \(rc=(-?\d+)\)")
PROCESSES = {"web", "worker", "beat", "ready"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Output:
    """The lines of a process, read in a thread so its pipe never fills."""

    def __init__(self, stream) -> None:
        self.lines: list[str] = []
        self.thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self.thread.start()

    def _read(self, stream) -> None:
        for raw in iter(stream.readline, b""):
            self.lines.append(raw.decode(errors="replace").rstrip("\n"))

    def text(self) -> str:
        return "\n".join(self.lines)

    def index(self, pattern: str) -> int:
        return next(i for i, line in enumerate(self.lines) if re.search(pattern, line))

    def wait_for(self, pattern: str, timeout: float) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                return self.index(pattern)
            except StopIteration:
                time.sleep(0.2)
        pytest.fail(f"no line matching {pattern!r} in {timeout} s:\n{self.text()[-6000:]}")


def get(port: int, path: str) -> tuple[int, str, float]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    start = time.perf_counter()
    conn.request("GET", path)
    response = conn.getresponse()
    body = response.read().decode()
    took = time.perf_counter() - start
    conn.close()
    return response.status, body, took


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture
def make_env(tmp_path) -> tuple[dict[str, str], Path, int]:
    var = tmp_path / "not" / "there" / "yet"  # make run creates it
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    for name in ("DATABASE_URL", "REDIS_URL", "DEBUG", "DEMO_MODE", "SIMULATOR_EXPORT_SLOWDOWN"):
        env.pop(name, None)
    env.update(SIMULATOR_VAR_DIR=str(var), WEB_PORT=str(port))
    return env, var, port


@contextmanager
def make_serve(env: dict[str, str]) -> Iterator[Output]:
    """`make serve` in a process group of its own; Ctrl-C'd on the way out (the test goes on to
    read what it printed after it stopped)."""
    proc = subprocess.Popen(
        ["make", "--no-print-directory", "serve"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )
    out = Output(proc.stdout)
    try:
        yield out
    finally:
        os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C: the terminal signals make and honcho
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            raise
        out.thread.join(timeout=10)


def stopped_cleanly(text: str) -> None:
    """Every process (and the command each runs under config/supervise.py) was started and is
    gone; honcho never had to SIGKILL one."""
    pids = {m[1]: int(m[2]) for m in STARTED.finditer(text)}
    stopped = {m[1]: int(m[2]) for m in STOPPED.finditer(text)}
    assert set(pids) == PROCESSES, text[-4000:]
    assert "SIGKILL" not in text, text[-4000:]
    assert set(stopped) == PROCESSES, text[-4000:]
    assert stopped["worker"] == 0 and stopped["beat"] == 0 and stopped["ready"] == 0, stopped
    assert not [name for name, pid in pids.items() if alive(pid)]
    children = [int(pid) for pid in re.findall(r"supervise: \w+ started \(pid=(\d+)\)", text)]
    assert len(children) >= len(PROCESSES), text[-4000:]
    assert not [pid for pid in children if alive(pid)]


@pytest.mark.worker
def test_make_run_announces_when_up_serves_without_debug_and_stops_cleanly(make_env):
    env, var, port = make_env
    with make_serve(env) as out:
        ready = out.wait_for(r"ready\.1\s+\| Ready: open ", timeout=180)
        # After the banners: the worker and the scheduler had printed theirs and started.
        assert out.index(r"worker\.1\s+\| .*celery@\S+ ready\.") < ready
        assert out.index(r"beat\.1\s+\| .*beat: Starting") < ready
        assert f"Ready: open http://127.0.0.1:{port}/" in out.lines[ready]
        out.wait_for(r"ready\.1\s+\| Ctrl-C stops", timeout=10)
        announced = "\n".join(out.lines[ready:])
        assert f"{DEMO_USERNAME} / {DEMO_PASSWORD}" in announced
        assert TRAINER_PASSWORD in announced and "support / " in announced

        status, body, took = get(port, "/healthz")
        print(f"/healthz under make run: {status} in {took * 1000:.1f} ms")
        health = json.loads(body)
        assert status == 200, body
        assert (health["worker"], health["scheduler"], health["broker"]) == ("ok", "ok", "ok")

        # DEBUG is off: the simulator's own 404 page, not Django's technical one.
        status, body, _ = get(port, "/no-such-page/")
        assert status == 404
        assert "Nothing here" in body and "URLconf" not in body and "DEBUG = True" not in body
        out.wait_for(r"web\.1\s+\| .*Not Found: /no-such-page/", timeout=10)
    text = out.text()
    stopped_cleanly(text)
    # A warning line is printed once, and the embedded broker has nothing to warn about.
    assert len(re.findall(r"Not Found: /no-such-page/", text)) == 1
    assert "No hostname was supplied" not in text
    assert "Traceback" not in text
    # Each process marked its heartbeat stopped on the way out.
    with sqlite3.connect(var / "simulator.sqlite3") as db:
        rows = db.execute("SELECT kind, stopped_at IS NOT NULL FROM lifecycle_heartbeat").fetchall()
    assert sorted(rows) == [("scheduler", 1), ("worker", 1)]


def child_pid(out: Output, name: str, nth: int = 1) -> int:
    """The pid of the command that config/supervise.py started for `name` the nth time."""
    pattern = rf"{name}\.1\s+\| supervise: {name} started \(pid=(\d+)\)"
    found = [re.search(pattern, line) for line in out.lines]
    return int([m[1] for m in found if m][nth - 1])


def health_of(port: int) -> dict:
    try:
        return json.loads(get(port, "/healthz")[1])
    except (OSError, ValueError):
        return {}


def queue_a_sweep(env: dict[str, str]) -> None:
    """A job through the embedded broker, from a process of its own as the site's would."""
    code = "from lifecycle.tasks import sweep_task; sweep_task.delay()"
    manage_shell({**env, "DJANGO_SETTINGS_MODULE": "config.settings.dev"}, code)


@pytest.mark.worker
def test_make_run_survives_an_empty_broker_message_and_any_process_exiting(make_env):
    """Issue 20, item 1: an empty message file stopped the worker ("Unrecoverable error:
    JSONDecodeError") and honcho then stopped the web server and the scheduler. Now it is set
    aside; and a process that exits is started again while the others keep serving, /healthz
    saying the jobs are down until the worker is back."""
    env, var, port = make_env
    with make_serve(env) as out:
        out.wait_for(r"ready\.1\s+\| Ctrl-C stops", timeout=180)
        done = r"worker\.1\s+\| .*Task lifecycle\.tasks\.sweep_task\[\S+\] succeeded"
        succeeded = len([line for line in out.lines if re.search(done, line)])

        # The reproduction: an empty message in the queue.
        empty = var / "broker" / "queue" / f"0000001_{uuid.uuid4()}.celery.msg"
        empty.touch()
        out.wait_for(rf"worker\.1\s+\| .*set aside the unreadable broker message {empty.name}", 60)
        assert (var / "broker" / "unreadable" / empty.name).exists()
        queue_a_sweep(env)
        wait_until(lambda: count(out, done) > succeeded, 60, out, "a sweep done after it")
        assert get(port, "/healthz")[0] == 200

        # The worker exits by itself: the site answers, /healthz says the jobs are down, the
        # worker is started again and does the job queued meanwhile.
        os.kill(child_pid(out, "worker"), signal.SIGTERM)
        wait_until(lambda: health_of(port).get("worker") == "down", 30, out, "worker down")
        status, body, _ = get(port, "/login/")
        assert status == 200 and "Sign in" in body
        queue_a_sweep(env)
        succeeded = count(out, done)
        wait_until(lambda: health_of(port).get("worker") == "ok", 120, out, "worker up again")
        wait_until(lambda: count(out, done) > succeeded, 60, out, "the sweep queued meanwhile")
        assert child_pid(out, "worker", 2) != child_pid(out, "worker", 1)

        # The web server killed outright: started again, and the worker was not stopped.
        os.kill(child_pid(out, "web"), signal.SIGKILL)
        out.wait_for(r"web\.1\s+\| supervise: web exited by itself \(rc=-9\)", timeout=30)
        wait_until(lambda: health_of(port).get("status") == "ok", 120, out, "the site back")
        assert len(re.findall(r"supervise: worker started", out.text())) == 2
    text = out.text()
    stopped_cleanly(text)
    assert "Unrecoverable error" not in text and "Traceback" not in text


def count(out: Output, pattern: str) -> int:
    return len([line for line in out.lines if re.search(pattern, line)])


def wait_until(condition, timeout: float, out: Output, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}:\n{out.text()[-6000:]}")


def test_a_warning_is_logged_once_with_debug_on():
    """Django's "django" logger had a console handler of its own under DEBUG and propagated to
    the root's as well: each of its warnings was printed twice."""
    code = (
        "import django, logging; django.setup(); "
        "logging.getLogger('django.request').warning('marker-request'); "
        "logging.getLogger('lifecycle.jobs').warning('marker-jobs')"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev", "DEBUG": "1"}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("marker-request") == 1, done.stderr
    assert done.stderr.count("marker-jobs") == 1, done.stderr


@pytest.mark.parametrize(
    "settings_module, transport",
    [
        ("config.settings.test", "kombu.transport.redis.Transport"),
        ("config.settings.dev", "config.broker.Transport"),
    ],
)
def test_without_redis_url_only_the_embedded_default_uses_the_filesystem_broker(
    settings_module, transport
):
    """The base settings name the quick-to-stop filesystem transport when REDIS_URL is unset;
    the test settings, which default to a local Redis, must not keep it."""
    code = (
        "import django; django.setup(); from config.celery import app; "
        "t = type(app.connection_for_write().transport); print(t.__module__ + '.' + t.__name__)"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    env["DJANGO_SETTINGS_MODULE"] = settings_module
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == transport


def boom(request):
    raise RuntimeError("a defect")


urlpatterns = [path("boom/", boom)]


@pytest.mark.django_db
def test_with_debug_off_errors_show_the_simulators_own_pages(client):
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404 and b"Nothing here" in missing.content
    with override_settings(ROOT_URLCONF=__name__, DEBUG=False):
        failed = Client(raise_request_exception=False).get("/boom/")
    assert failed.status_code == 500
    assert b"Something went wrong on our side" in failed.content
    assert b"RuntimeError" not in failed.content and b"Traceback" not in failed.content


def _serve_env(tmp_path, **extra: str) -> str:
    """`make serve` with stand-ins for the virtualenv's programs that print the SITE_URL each
    was started with; what the Makefile hands to the web server, the worker and seed_demo."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    for name in ("python", "honcho"):
        program = bin_dir / name
        program.write_text('#!/bin/sh\necho "$(basename "$0") SITE_URL=$SITE_URL"\n')
        program.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "WEB_PORT")}
    env.update(SIMULATOR_VAR_DIR=str(tmp_path / "var"), **extra)
    done = subprocess.run(
        ["make", "--no-print-directory", "serve", f"BIN={bin_dir}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_make_run_builds_links_on_the_port_it_serves(tmp_path):
    """With WEB_PORT=8201, invitation and email links read 127.0.0.1:8201, not :8000."""
    out = _serve_env(tmp_path, WEB_PORT="8201")
    assert out.count("SITE_URL=http://127.0.0.1:8201") == 3, out  # 2 manage.py, honcho
    assert ":8000" not in out
    assert "SITE_URL=http://127.0.0.1:8000" in _serve_env(tmp_path)
    given = _serve_env(tmp_path, WEB_PORT="8201", SITE_URL="https://sim.example.org")
    assert "SITE_URL=http://127.0.0.1" not in given and "SITE_URL=https://sim.example.org" in given
