"""A real gunicorn with the project's config: its access and error logs, and Django's own lines
on its stderr, never show the confirmation token, a password or an email address."""

import http.cookiejar
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.urls import reverse

from accounts.models import User
from lifecycle.models import DeletionRequest
from lifecycle.redaction import HIDDEN
from lifecycle.services import Actor, deletion_token, request_deletion
from tests.lifecycle.jobs_helpers import ready_for_deletion, small_account
from tests.lifecycle.workers import wait_for, worker_env

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Secret-Gunicorn-Pass-55"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    """Just enough of a browser: cookies, CSRF tokens from forms, redirects followed."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def open(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        return self.send(path, body)

    def send(self, path: str, body: bytes | None, headers: dict | None = None) -> tuple[int, str]:
        request = urllib.request.Request(  # noqa: S310 (http only)
            self.base + path, data=body, headers=headers or {}
        )
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode()


@contextmanager
def running_gunicorn(env: dict, access: Path, errors: Path) -> Iterator[None]:
    """gunicorn with the project's config, its access log in `access`, all else in `errors`."""
    port = int(env["GUNICORN_BIND"].rsplit(":", 1)[1])
    with errors.open("w") as err:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-c",
                "config/gunicorn.conf.py",
                "--access-logfile",
                str(access),
            ],
            cwd=ROOT,
            env=env,
            stdout=err,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.2)
            else:
                pytest.fail(f"gunicorn did not start: {errors.read_text()}")
            yield
        finally:
            server.terminate()
            server.wait(timeout=30)


@pytest.fixture
def gunicorn(transactional_db, tmp_path):
    port = free_port()
    access, errors = tmp_path / "access.log", tmp_path / "stderr.log"
    env = worker_env(GUNICORN_BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY="1")
    with running_gunicorn(env, access, errors):
        yield f"http://127.0.0.1:{port}", access, errors


def test_gunicorn_logs_hide_the_token_and_the_credentials(gunicorn):
    base, access, errors = gunicorn
    owner = User.objects.create_user("lena-gunicorn", "lena.gunicorn@example.net", PASSWORD)
    account = ready_for_deletion(small_account(owner))
    deletion = request_deletion(
        actor=Actor.trainee(owner), account=account, password=PASSWORD, acknowledged=True
    )
    token = deletion_token(deletion)
    link = reverse("confirm_deletion", args=[account.sandbox_id, token])

    browser = Browser(base)
    status, login_page = browser.open(reverse("login"))
    assert status == 200
    csrf = CSRF.search(login_page).group(1)
    form = {"csrfmiddlewaretoken": csrf, "username": owner.username}
    assert browser.open(reverse("login"), {**form, "password": "Wrong-Pass-0"})[0] == 200
    assert browser.open(reverse("login"), {**form, "password": PASSWORD})[0] == 200
    assert browser.open(link, {})[0] == 403  # a POST without CSRF token: Django logs the path
    status, page = browser.open(link)  # the emailed link, then its token-less page
    assert status == 200 and "Confirm: delete this account" in page
    confirm = {"csrfmiddlewaretoken": CSRF.search(page).group(1)}
    status, done = browser.open(
        reverse("confirm_deletion_page", args=[account.sandbox_id]), confirm
    )
    assert status == 200 and "Deletion confirmed" in done
    deletion.refresh_from_db()
    assert deletion.confirmed_at is not None

    # gunicorn writes a request's access line after answering it: wait for the last one.
    wait_for(lambda: "/close/confirm/ HTTP" in access.read_text(), timeout=10, what="its line")
    logged = access.read_text()
    assert f"/close/confirm/{HIDDEN}/ HTTP" in logged  # the link's hop, hidden
    assert "/close/confirm/ HTTP" in logged  # the page after it has no token to hide
    everything = logged + errors.read_text()
    assert "Forbidden (CSRF" in everything  # Django's own warning was written here too
    for secret in (token, token.split(":")[0], deletion.nonce, PASSWORD, owner.email):
        assert secret not in everything, secret
    assert DeletionRequest.objects.get(pk=deletion.pk).status == "scheduled"
