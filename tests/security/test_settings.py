"""Safe defaults: what a server or worker started without DJANGO_SETTINGS_MODULE runs, and the
production settings' own refusal to start on a missing or published SECRET_KEY."""

import os
import runpy
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from config.settings.base import DEV_SECRET_KEY

ROOT = Path(__file__).resolve().parents[2]
REAL_KEY = secrets.token_urlsafe(50)
# What the test run itself sets and a production process would not have (the browser tests set
# DJANGO_ALLOW_ASYNC_UNSAFE, which check --deploy rightly reports).
OURS = {
    "DJANGO_SETTINGS_MODULE",
    "SECRET_KEY",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "EMAIL_BACKEND",
    "EMAILS_SANDBOX_ONLY",
    "DELIVER_EMAIL",
    "SITE_URL",
    "WEB_PORT",
}
SHOW = "from django.conf import settings; print(settings.SETTINGS_MODULE, settings.DEBUG)"
SMTP = "django.core.mail.backends.smtp.EmailBackend"


def run(code: str, **env: str) -> subprocess.CompletedProcess:
    """Python code in a fresh process, in the project, with only the given settings variables."""
    base = {k: v for k, v in os.environ.items() if k not in OURS}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "entry",
    [
        "import config.wsgi",
        "import config.asgi",
        "from config.celery import app; app.loader.import_default_modules()",
    ],
)
def test_servers_and_workers_default_to_production_and_need_a_key(entry):
    refused = run(entry)
    assert refused.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is not set" in refused.stderr

    started = run(f"{entry}; {SHOW}", SECRET_KEY=REAL_KEY, EMAIL_BACKEND=SMTP)
    assert started.returncode == 0, started.stderr
    assert started.stdout.split() == ["config.settings.prod", "False"]


SHOW_EMAIL = (
    "import config.wsgi; from django.conf import settings; "
    "print(settings.EMAIL_BACKEND, settings.EMAILS_SANDBOX_ONLY)"
)


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({}, "EMAIL_BACKEND is not set"),
        ({"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}, "not a real"),
        ({"EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend"}, "not a real"),
        ({"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}, "not a real"),
        ({"EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend"}, "not a real"),
        ({"EMAILS_SANDBOX_ONLY": "1", "EMAIL_BACKEND": SMTP}, "set one of them"),
        ({"EMAILS_SANDBOX_ONLY": "1", "DELIVER_EMAIL": "1"}, "DELIVER_EMAIL"),
    ],
)
def test_production_refuses_to_start_without_a_real_email_backend(env, says):
    refused = run(SHOW_EMAIL, SECRET_KEY=REAL_KEY, **env)
    assert refused.returncode != 0
    assert "ImproperlyConfigured" in refused.stderr and says in refused.stderr, refused.stderr


@pytest.mark.parametrize(
    ("env", "shows"),
    [
        ({"EMAIL_BACKEND": SMTP}, [SMTP, "False"]),
        ({"EMAIL_BACKEND": f" {SMTP} "}, [SMTP, "False"]),
        ({"EMAILS_SANDBOX_ONLY": "1"}, ["django.core.mail.backends.dummy.EmailBackend", "True"]),
    ],
)
def test_production_starts_with_smtp_or_with_emails_kept_in_the_sandbox(env, shows):
    started = run(SHOW_EMAIL, SECRET_KEY=REAL_KEY, **env)
    assert started.returncode == 0, started.stderr
    assert started.stdout.split() == shows


@pytest.mark.parametrize(
    ("key", "says"),
    [
        ("", "SECRET_KEY is not set"),
        ("   ", "SECRET_KEY is not set"),
        (DEV_SECRET_KEY, "the development key published"),
        ("django-insecure-" + "x1y2z3" * 10, "the development key published"),
        ("short-but-random-9", "too short"),
        ("ab" * 40, "not random"),
        ("x" * 60, "not random"),  # long enough, one character: it was called "too short"
    ],
)
def test_production_refuses_a_key_that_is_not_real(key, says):
    from django.core.exceptions import ImproperlyConfigured

    from config.settings.base import real_secret_key

    with pytest.raises(ImproperlyConfigured, match=says):
        real_secret_key(key)
    assert real_secret_key(f" {REAL_KEY} ") == REAL_KEY


def test_manage_py_keeps_the_development_settings():
    started = run(
        "import runpy, sys; sys.argv = ['manage.py', 'shell', '--no-imports', '-c', "
        "'from django.conf import settings; print(settings.SETTINGS_MODULE, settings.DEBUG)']; "
        "runpy.run_path('manage.py', run_name='__main__')"
    )
    assert started.returncode == 0, started.stderr
    assert started.stdout.split() == ["config.settings.dev", "True"]


SHOW_SITE = "from django.conf import settings; print(settings.SIMULATOR['SITE_URL'])"


@pytest.mark.parametrize(
    "env, link",
    [
        ({}, "http://127.0.0.1:8000"),
        ({"WEB_PORT": "8201"}, "http://127.0.0.1:8201"),
        ({"WEB_PORT": "8201", "SITE_URL": "https://sim.example.org"}, "https://sim.example.org"),
    ],
)
def test_links_start_with_the_served_port_unless_site_url_is_set(env, link):
    """A process started outside `make run` (a worker, manage.py) with WEB_PORT builds its
    links on that port too (issue 23, item 10)."""
    shown = run(SHOW_SITE, DJANGO_SETTINGS_MODULE="config.settings.dev", **env)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip() == link


def test_make_run_gives_the_procfile_worker_the_development_settings(tmp_path):
    """honcho (and so the Procfile's worker and beat) inherits the run target's settings module.

    The recipe runs for real with stand-ins for python and honcho that only report.
    """
    for tool in ("python", "honcho"):
        stub = tmp_path / tool
        stub.write_text(f'#!/bin/sh\necho "{tool} $DJANGO_SETTINGS_MODULE"\n')
        stub.chmod(0o755)
    ran = subprocess.run(
        ["make", "--no-print-directory", "-o", "install", f"BIN={tmp_path}", "run"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
        timeout=60,
    )
    assert ran.returncode == 0, ran.stderr
    assert "honcho config.settings.dev" in ran.stdout.splitlines()
    assert "celery -A config" in (ROOT / "Procfile").read_text()


def test_check_deploy_on_the_production_settings_reports_nothing():
    checked = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k not in OURS},
            "DJANGO_SETTINGS_MODULE": "config.settings.prod",
            "SECRET_KEY": REAL_KEY,
            "EMAIL_BACKEND": SMTP,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.strip() == "System check identified no issues (0 silenced)."
    assert checked.stderr.strip() == ""


def test_gunicorn_keeps_its_control_socket_in_the_var_dir(tmp_path, monkeypatch):
    """gunicorn 23+ opens a control socket, by default under the home folder
    (~/.gunicorn/gunicorn.ctl); the project keeps it with its other files."""
    from gunicorn.config import Config

    monkeypatch.setenv("SIMULATOR_VAR_DIR", str(tmp_path / "var"))
    config = Config()
    namespace = runpy.run_path(str(ROOT / "config" / "gunicorn.conf.py"))
    config.set("control_socket", namespace["control_socket"])
    assert config.control_socket == str(tmp_path / "var" / "gunicorn.ctl")
    assert (tmp_path / "var").is_dir()
