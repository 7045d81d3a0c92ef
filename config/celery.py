"""The Celery app. Imported by config/__init__.py so that @shared_task binds to it."""

import os
from pathlib import Path

from celery import Celery
from celery.schedules import crontab

from lifecycle.heartbeat import WorkerHeartbeat

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")

app = Celery("simulator")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(["training.cohorts"])

# The periodic schedules: the sweep finds what became due on each sandbox's clock (every minute;
# SIMULATOR_SWEEP_EVERY seconds, which the recovery tests lower); in demo mode the demo
# sandboxes are rebuilt once a night, at DEMO_RESET_HOUR (UTC, default 3).
app.conf.beat_schedule = {
    "sweep-every-minute": {
        "task": "lifecycle.tasks.sweep_task",
        "schedule": float(os.environ.get("SIMULATOR_SWEEP_EVERY", "60")),
    },
    "reset-demo-sandboxes-nightly": {
        "task": "training.cohorts.tasks.reset_demo_sandboxes_task",
        "schedule": crontab(hour=int(os.environ.get("DEMO_RESET_HOUR", "3")), minute=0),
    },
}

# Health: each worker and the scheduler write a heartbeat row that /healthz reads.
app.steps["consumer"].add(WorkerHeartbeat)
app.conf.beat_scheduler = "lifecycle.heartbeat:HeartbeatScheduler"


@app.on_after_configure.connect
def _make_broker_folders(sender: Celery, **kwargs) -> None:
    """The filesystem transport (no REDIS_URL) needs its folders before the first message, and
    beat its var dir before it opens its schedule file."""
    options = sender.conf.broker_transport_options or {}
    folders = [
        options.get(key)
        for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder")
    ]
    backend = str(sender.conf.result_backend or "")
    if backend.startswith("file://"):
        folders.append(backend.removeprefix("file://"))
    if sender.conf.beat_schedule_filename:  # beat's state file goes in the var dir
        folders.append(str(Path(sender.conf.beat_schedule_filename).parent))
    for folder in filter(None, folders):
        Path(folder).mkdir(parents=True, exist_ok=True)
