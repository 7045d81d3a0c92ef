"""Every benchmark runs end to end at its small size (BENCH_SMALL=1) through bench/run_all.py,
on a scratch PostgreSQL database of its own, and writes its table into the report.

The figures are not checked (timing is the benchmark's job, on a quiet machine); what is checked
is that each script runs, measures against its reference and prints its rows. The benchmarks
that drive a server need wrk or locust (installed by `make bench`): without them they skip.
"""

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

from tests.lifecycle.workers import free_port

ROOT = Path(__file__).resolve().parents[2]
LOCUST = ROOT / "var" / "bench-tools" / "bin" / "locust"


@pytest.fixture(scope="module")
def scratch_database():
    """A database only the benchmark's processes use, dropped afterwards."""
    db = settings.DATABASES["default"]
    name = f"bench_smoke_{uuid.uuid4().hex[:8]}"
    server = dict(
        host=db.get("HOST") or "127.0.0.1",
        port=db.get("PORT") or 5432,
        user=db.get("USER") or "postgres",
        password=db.get("PASSWORD") or None,
    )
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    auth = server["user"] + (f":{server['password']}" if server["password"] else "")
    try:
        yield f"postgres://{auth}@{server['host']}:{server['port']}/{name}"
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_small(script: str, database: str, tmp_path: Path) -> str:
    report = tmp_path / "benchmarks.md"
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
        "DATABASE_URL": database,
        "REDIS_URL": settings.REDIS_URL,
        "BENCH_SMALL": "1",
        "BENCH_ONLY": script,
        "BENCH_NO_INSTALL": "1",
        "REPORT": str(report),
        "PORT": str(free_port()),  # the servers' port: parallel runs and other benches differ
    }
    done = subprocess.run(
        [sys.executable, "bench/run_all.py"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return report.read_text()


def table_rows(text: str, header_start: str) -> list[list[str]]:
    """The rows of the Markdown table whose header starts with `header_start`."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(header_start))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def test_export_runs_beside_copy_of_the_same_rows(scratch_database, tmp_path):
    text = run_small("export", scratch_database, tmp_path)
    (row,) = table_rows(text, "| order lines | rows exported")
    lines, exported, _s, _rate, copied, *_ = row
    assert int(lines) > 200  # about two lines per order of the demo generator
    assert int(exported) == int(copied)  # the export and COPY read the same rows


def test_finalize_runs_beside_its_raw_delete(scratch_database, tmp_path):
    text = run_small("finalize", scratch_database, tmp_path)
    (row,) = table_rows(text, "| orders | rows removed")
    orders, removed, _s, transactions, longest, raw_rows, *_ = row
    assert orders == "200"
    assert int(removed) > 200 and int(raw_rows) > 200  # orders, their lines and the rest
    assert int(transactions) >= 2  # the tombstone, then the purge's batches
    assert float(longest) > 0


def test_sweep_runs_at_each_size_and_leaves_nothing_due(scratch_database, tmp_path):
    text = run_small("sweep", scratch_database, tmp_path)
    rows = table_rows(text, "| sandboxes | with nothing due")
    assert [(r[0], r[1], r[2], r[7]) for r in rows] == [
        ("40", "20", "20", "0"),
        ("220", "200", "20", "0"),
    ]
    assert "query 1:" in text and "Scan" in text  # the finder's plans are shown


@pytest.mark.skipif(not LOCUST.exists(), reason="locust is installed by `make bench`")
def test_cohort_runs_seed_demo_and_the_close_account_flow(scratch_database, tmp_path):
    text = run_small("cohort", scratch_database, tmp_path)
    assert "`seed_demo --trainees 3`" in text
    flow = {r[0]: r for r in table_rows(text, "| request | requests")}
    assert int(flow["close-account flow: all"][1]) > 0
    assert flow["close-account flow: all"][2] == "0"  # no failure: every request went through


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is installed by `make bench`")
def test_embedded_default_serves_while_the_worker_exports(scratch_database, tmp_path):
    text = run_small("embedded", scratch_database, tmp_path)
    rows = table_rows(text, "| page | page req/s")
    assert [r[0] for r in rows] == ["dashboard", "orders", "exports", "close account"]
    assert all(r[-1] == "yes" for r in rows), rows  # no 5xx, no socket error
    assert "1 ready, 0 failed" in text


def test_seed_counts_the_password_hashes_of_seeding_a_class(scratch_database, tmp_path):
    text = run_small("seed", scratch_database, tmp_path)
    (row,) = table_rows(text, "| trainees | attempts played")
    trainees, played, seconds, _cpu, _per, hashes, met = row
    assert (trainees, met) == ("3", "n/a below 200")
    assert int(played) > 0 and float(seconds) > 0
    # At most the demo trainee's and the trainer's logins (made once per database): none per
    # played attempt (one of the three plays the careless run, which asks for the password).
    assert int(hashes) <= 2


def test_rewind_runs_beside_its_plain_copy(scratch_database, tmp_path):
    text = run_small("rewind", scratch_database, tmp_path)
    (row,) = table_rows(text, "| demo x | rows")
    scale, rows, _mb, checkpoint, new, in_place, copied, plain, *_ = row
    assert scale == "1x" and int(rows) > 500  # the demo's rows, every table
    assert int(copied) == int(rows) + 1  # the same rows, and the checkpoint's own event
    assert min(float(checkpoint), float(new), float(in_place), float(plain)) > 0
