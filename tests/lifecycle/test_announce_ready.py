"""`manage.py announce_ready` (make run's `ready` process): what it waits for and what it prints."""

from io import StringIO

import pytest
from django.core.management import call_command

from lifecycle import heartbeat
from lifecycle.management.commands import announce_ready
from lifecycle.management.commands.seed_demo import STAFF_PASSWORD

pytestmark = pytest.mark.django_db
URL = "http://127.0.0.1:1/"  # a closed port: no web server answers


def test_it_waits_for_the_worker_the_scheduler_then_the_web_server(monkeypatch):
    assert announce_ready.missing(URL) == ["worker", "scheduler"]
    heartbeat.beat(heartbeat.WORKER, "celery@box", started=True)
    assert announce_ready.missing(URL) == ["scheduler"]
    heartbeat.beat(heartbeat.SCHEDULER, "beat@box", started=True)
    assert announce_ready.missing(URL) == ["web server"]
    monkeypatch.setattr(announce_ready, "web_answers", lambda url: True)
    assert announce_ready.missing(URL) == []


def test_the_support_login_is_printed_only_where_seed_demo_made_it(settings):
    settings.DEMO_MODE = False
    call_command("seed_demo", stdout=StringIO())
    assert not any(STAFF_PASSWORD in line for line in announce_ready.sign_ins())
    settings.DEMO_MODE = True
    call_command("seed_demo", stdout=StringIO())
    assert any(STAFF_PASSWORD in line for line in announce_ready.sign_ins())
