"""A real gunicorn on the production settings, emailing through a real SMTP server: every log
line it writes (access log, error log, Django's own lines on its stderr) through the password
reset, the set-password link of an imported trainee, a sign-up through a cohort's invitation
link and the link that verifies its email shows none of their tokens, no password and no email
address."""

import re
import secrets
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.urls import reverse

from accounts.models import User
from lifecycle.redaction import HIDDEN
from tests.lifecycle.workers import worker_env
from training.cohorts.roles import ensure_trainers_group
from training.cohorts.services import create_cohort, create_invitation

from .smtp_sink import smtp_sink
from .test_access_log import CSRF, Browser, free_port, running_gunicorn

ROOT = Path(__file__).resolve().parents[2]
OLD, NEW, TRAINER_PASS = "Old-Lantern-Pass-31", "Quiet-Harbour-Pass-62", "Maple-Pass-93"
SET = "Copper-Violet-Pass-47"
JOIN = "Amber-Willow-Pass-58"


def upload(browser: Browser, path: str, fields: dict, content: bytes) -> tuple[int, str]:
    """A multipart form post of `fields` and one CSV file as the field `file`."""
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
        f'filename="people.csv"\r\nContent-Type: text/csv\r\n\r\n'.encode()
        + content
        + b"\r\n"
    )
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return browser.send(path, body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})


@pytest.fixture
def production(transactional_db, tmp_path):
    """(base address, access log, stderr log, the SMTP sink's messages)."""
    port = free_port()
    access, errors = tmp_path / "access.log", tmp_path / "stderr.log"
    with smtp_sink() as sink:
        env = worker_env(
            DJANGO_SETTINGS_MODULE="config.settings.prod",
            SECRET_KEY=secrets.token_urlsafe(50),
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(sink.server_address[1]),
            SECURE_SSL_REDIRECT="0",  # plain http on a test machine (README, Deployment)
            SECURE_COOKIES="0",
            SITE_URL=f"http://127.0.0.1:{port}",
            SIMULATOR_VAR_DIR=str(tmp_path / "var"),
            GUNICORN_BIND=f"127.0.0.1:{port}",
            WEB_CONCURRENCY="1",
        )
        collected = subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert collected.returncode == 0, collected.stderr
        with running_gunicorn(env, access, errors):
            yield f"http://127.0.0.1:{port}", access, errors, sink.messages


def emailed_path(messages, to: str, start: str) -> str:
    body = next(m for m in messages if m["To"] == to).get_content()
    return re.search(r"https?://[^/\s]+(" + re.escape(start) + r"\S+)", body).group(1)


def form(browser: Browser, path: str, **fields) -> tuple[int, str]:
    status, page = browser.open(path)
    assert status == 200, (path, page[:500])
    return browser.open(path, {"csrfmiddlewaretoken": CSRF.search(page).group(1), **fields})


def signs_in(base: str, username: str, password: str, browser: Browser | None = None) -> bool:
    """Through the sign-in form (this test process's hasher cannot read production's hashes)."""
    browser = browser or Browser(base)
    status, page = form(browser, reverse("login"), username=username, password=password)
    return status == 200 and "Sign out" in page


def test_reset_set_password_and_invitation_tokens_never_reach_a_log(production):
    base, access, errors, mailed = production
    rosa = User.objects.create_user("rosa-prod", "rosa.prod@example.net", OLD)
    coach = User.objects.create_user("coach-prod", "coach.prod@example.net")
    # Hashed as production hashes (this test run's settings use a faster hasher it cannot read).
    coach.password = PBKDF2PasswordHasher().encode(TRAINER_PASS, secrets.token_hex(8))
    coach.save(update_fields=["password"])
    coach.groups.add(ensure_trainers_group())
    cohort = create_cohort(actor=coach, name="Evening class")
    invitation = create_invitation(actor=coach, cohort=cohort, seats=5, valid_for=timedelta(1))

    # The password reset: ask, follow the emailed link, set a new password.
    browser = Browser(base)
    status, _ = form(browser, reverse("password_reset"), email=rosa.email)
    assert status == 200 and mailed, errors.read_text()
    reset = emailed_path(mailed, rosa.email, "/password/reset/")
    assert browser.open(reset, {})[0] == 403  # no CSRF token: Django logs the path
    status, page = browser.open(reset)  # the link's hop, then Django's token-less page
    assert status == 200 and "Save the password" in page
    set_here = reverse(
        "password_reset_confirm", kwargs={"uidb64": reset.split("/")[3], "token": "set-password"}
    )
    status, done = form(browser, set_here, new_password1=NEW, new_password2=NEW)
    assert status == 200 and "Your password is saved" in done
    assert signs_in(base, rosa.username, NEW)

    # The set-password link of a trainee a trainer imports.
    trainer = Browser(base)
    assert signs_in(base, coach.username, TRAINER_PASS, trainer)
    status, page = trainer.open(reverse("trainer_cohort", args=[cohort.pk]))
    assert status == 200
    status, _ = upload(
        trainer,
        reverse("trainer_import", args=[cohort.pk]),
        {"csrfmiddlewaretoken": CSRF.search(page).group(1)},
        b"username,email\nana-prod,ana.prod@example.net\n",
    )
    assert status == 200 and User.objects.filter(username="ana-prod").exists()
    first = emailed_path(mailed, "ana.prod@example.net", "/password/reset/")
    ana = Browser(base)
    status, page = ana.open(first)
    assert status == 200
    ana_set = reverse(
        "password_reset_confirm", kwargs={"uidb64": first.split("/")[3], "token": "set-password"}
    )
    assert form(ana, ana_set, new_password1=SET, new_password2=SET)[0] == 200
    assert signs_in(base, "ana-prod", SET)

    # The cohort's invitation link: a sign-up through it, then the link sent to verify the email.
    join = reverse("join", args=[invitation.token])
    newcomer = Browser(base)
    status, page = form(
        newcomer,
        join,
        username="lea-prod",
        email="lea.prod@example.net",
        password1=JOIN,
        password2=JOIN,
    )
    assert status == 200 and "Confirm your email" in page
    verify = emailed_path(mailed, "lea.prod@example.net", "/email/verify/")
    status, page = form(newcomer, verify)
    assert status == 200 and "email now" in page
    assert User.objects.get(username="lea-prod").email == "lea.prod@example.net"

    time.sleep(0.5)  # the last access line
    logged = access.read_text()
    everything = logged + errors.read_text()
    assert f"/password/reset/{reset.split('/')[3]}/{HIDDEN}/ HTTP" in logged
    assert f"/join/{HIDDEN}/ HTTP" in logged
    assert f"/email/verify/{verify.split('/')[3]}/{HIDDEN}/ HTTP" in logged
    assert "Forbidden (CSRF" in everything  # Django's own warning was written here too
    tokens = [reset.split("/")[4], first.split("/")[4], invitation.token, verify.split("/")[4]]
    people = [rosa.email, "ana.prod@example.net", "lea.prod@example.net"]
    for secret in [*tokens, OLD, NEW, SET, TRAINER_PASS, JOIN, *people]:
        assert secret not in everything, secret
