"""Redis down under the production settings (issue 20, item 8): a real gunicorn with
config.settings.prod whose sessions live in the cache of a redis-server of the test's own. The
test stops that Redis and walks the pages: they answer 200, the signed-in trainee stays signed
in (the session is read from the database), a new sign-in works, and an export says it is
queued until background jobs are back. Before the fix every page answered 500, `/login/`
included (a ConnectionError through sessions/backends/cached_db.py)."""

import re
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.urls import reverse

from accounts.models import User
from tests.security.test_access_log import Browser

from .jobs_helpers import small_account
from .workers import ROOT, PrivateRedis, free_port, wait_for, worker_env

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
PASSWORD = "Outage-Pass-77"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
QUEUED = "Background jobs are unavailable right now, so it starts as soon as they are back"


def prod_env(tmp_path: Path, redis_url: str, port: int) -> dict[str, str]:
    """The production settings on plain http (README, Deployment), this test's database and
    Redis, and a var dir of its own for the collected static files."""
    return worker_env(
        DJANGO_SETTINGS_MODULE="config.settings.prod",
        SECRET_KEY=secrets.token_urlsafe(50),
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        EMAILS_SANDBOX_ONLY="1",
        REDIS_URL=redis_url,
        SIMULATOR_VAR_DIR=str(tmp_path),
        GUNICORN_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="2",
    )


def served(env: dict[str, str], log: Path) -> Iterator[subprocess.Popen]:
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        port = int(env["GUNICORN_BIND"].rsplit(":", 1)[1])
        wait_for(lambda: _listening(port), timeout=60, what=f"gunicorn: {log.read_text()}")
        yield server
    finally:
        server.terminate()
        server.wait(timeout=30)


def _listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.fixture
def outage(tmp_path) -> Iterator[tuple[str, PrivateRedis, Path]]:
    server = PrivateRedis(tmp_path)
    server.start()
    port = free_port()
    log = tmp_path / "gunicorn.log"
    try:
        for _ in served(prod_env(tmp_path, server.url, port), log):
            yield f"http://127.0.0.1:{port}", server, log
    finally:
        server.stop()


def login(username: str) -> User:
    """A login whose password the production settings can check (the test settings hash with
    MD5, which production does not accept)."""
    password = PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt())
    return User.objects.create(
        username=username, email=f"{username}@example.net", password=password
    )


def sign_in(browser: Browser, username: str) -> str:
    status, page = browser.open(reverse("login"))
    assert status == 200, page
    form = {"csrfmiddlewaretoken": CSRF.search(page)[1], "username": username}
    status, page = browser.open(reverse("login"), {**form, "password": PASSWORD})
    assert status == 200 and "Sign out" in page, page[page.find("<main") :][:3000]
    return page


def session_keys(url: str) -> list[bytes]:
    return redis.Redis.from_url(url).keys("*django.contrib.sessions.cached_db*")


def test_with_redis_down_pages_answer_and_sessions_are_kept(outage):
    base, server, log = outage
    owner = login("rhea")
    login("theo")
    sandbox = small_account(owner).sandbox
    pages = [
        reverse(name, args=[sandbox.pk])
        for name in ("dashboard", "exports", "inbox", "timeline", "lifecycle_map", "close_account")
    ] + ["/"]

    rhea = Browser(base)
    sign_in(rhea, "rhea")
    assert session_keys(server.url), "the session is not in the cache: not the served setup"

    server.stop()
    for page in pages:
        status, body = rhea.open(page)
        assert status == 200, (page, body[-1500:], log.read_text()[-3000:])
        assert "Sign out" in body, page  # still signed in: the session came from the database
    assert Browser(base).open(reverse("login"))[0] == 200
    theo = Browser(base)
    sign_in(theo, "theo")  # a new session, written to the database only
    assert theo.open(reverse("dashboard", args=[sandbox.pk]))[0] == 404  # not theirs, not 500

    csrf = CSRF.search(rhea.open(reverse("exports", args=[sandbox.pk]))[1])[1]
    status, page = rhea.open(
        reverse("request_export", args=[sandbox.pk]), {"csrfmiddlewaretoken": csrf}
    )
    assert status == 200 and QUEUED in page, page[-3000:]

    csrf = CSRF.search(theo.open("/")[1])[1]
    status, page = theo.open(reverse("logout"), {"csrfmiddlewaretoken": csrf})
    assert status == 200 and "Sign out" not in page

    server.start()  # back, and empty
    for page in pages:
        status, body = rhea.open(page)
        assert status == 200 and "Sign out" in body, page
    status, body = theo.open("/")
    assert "Sign out" not in body  # signed out during the outage, and still
    time.sleep(0.2)
    assert "Internal Server Error" not in log.read_text()
