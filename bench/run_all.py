"""Every benchmark in one command (`make bench`): installs its tools, runs, writes the report.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sim_bench REDIS_URL=redis://127.0.0.1:6379/9 \
        make bench            # or: .venv/bin/python bench/run_all.py

Installs gunicorn into this virtualenv (pip) and wrk (apt-get) when they are missing, runs each
benchmark script below as its own process on PostgreSQL and Redis, and writes docs/benchmarks.md
with their tables, the machine (cores, memory), the date and the commands to reproduce. Locust
goes into its own virtualenv (var/bench-tools), not the project's. Options are environment
variables: bench/pages.py's (DURATION, CONNECTIONS, WEB_THREADS...), the sizes of the others
(EXPORT_LINES, EXPORT_REPEATS, FINALIZE_ORDERS, SWEEP_DUE, SWEEP_IDLE, COHORT_TRAINEES,
COHORT_USERS, COHORT_SECONDS, CAPACITY_START, CAPACITY_MOST, CAPACITY_SECONDS, CAPACITY_SPAWN,
CAPACITY_REFINE, SEED_TRAINEES, REWIND_SCALE, EMBEDDED_EXPORTS, EMBEDDED_ORDERS,
EMBEDDED_SECONDS; the embedded run's seconds default to DURATION), BENCH_ONLY (scripts to run)
and BENCH_SMALL=1 (every size small: what tests/bench_setup's smoke test runs). REPORT writes
elsewhere.
"""

import datetime
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORT = Path(os.environ.get("REPORT", ROOT / "docs" / "benchmarks.md"))
# Tools the project does not depend on, in their own virtualenv (locust pulls in gevent & co).
TOOLS = Path(os.environ.get("BENCH_TOOLS", ROOT / "var" / "bench-tools"))


def option(name: str, full: str, small: str) -> str:
    """An environment option of the benchmarks; BENCH_SMALL=1 picks the quick size (the smoke
    test's) where the variable is not set."""
    return os.environ.get(name, small if os.environ.get("BENCH_SMALL") == "1" else full)


# (title, script and its arguments); each size is an environment variable, named in the docs.
BENCHMARKS = [
    ("Pages against the trivial view", ["bench/pages.py"]),
    (
        "Export against PostgreSQL COPY",
        [
            "bench/export.py",
            "--lines",
            option("EXPORT_LINES", "10000,100000,1000000", "400"),
            "--repeats",
            option("EXPORT_REPEATS", "3", "1"),
        ],
    ),
    (
        "Finalize against a raw SQL DELETE",
        ["bench/finalize.py", "--orders", option("FINALIZE_ORDERS", "2000,20000", "200")],
    ),
    (
        "Sweep with many sandboxes, few due",
        [
            "bench/sweep.py",
            "--due",
            option("SWEEP_DUE", "1000", "20"),
            "--idle",
            option("SWEEP_IDLE", "1000,10000,50000", "20,200"),
        ],
    ),
    (
        "Cohort: seed_demo and trainees closing accounts at once",
        [
            "bench/cohort.py",
            "--trainees",
            option("COHORT_TRAINEES", "200", "3"),
            "--users",
            option("COHORT_USERS", "100", "3"),
            "--seconds",
            option("COHORT_SECONDS", "60", "3"),
        ],
    ),
    (
        "Capacity: the largest live class one machine serves",
        [
            "bench/capacity.py",
            "--start",
            option("CAPACITY_START", "25", "2"),
            "--most",
            option("CAPACITY_MOST", "800", "2"),
            "--seconds",
            option("CAPACITY_SECONDS", "60", "5"),
            "--spawn",
            option("CAPACITY_SPAWN", "15", "1"),
            "--refine",
            option("CAPACITY_REFINE", "2", "0"),
        ],
    ),
    (
        "Seeding a demo class: seed_demo --trainees",
        ["bench/seed.py", "--trainees", option("SEED_TRAINEES", "200", "3")],
    ),
    (
        "Checkpoint and restore against INSERT ... SELECT",
        ["bench/rewind.py", "--scale", option("REWIND_SCALE", "1,10", "1")],
    ),
    (
        "Embedded default: SQLite and the filesystem broker, the worker exporting",
        [
            "bench/embedded.py",
            "--exports",
            option("EMBEDDED_EXPORTS", "3", "1"),
            "--orders",
            option("EMBEDDED_ORDERS", "2000", "100"),
            "--seconds",
            option("EMBEDDED_SECONDS", os.environ.get("DURATION", "5"), "1"),
        ],
    ),
]
ONLY = [name for name in os.environ.get("BENCH_ONLY", "").split(",") if name]


def install_tools() -> None:
    if os.environ.get("BENCH_NO_INSTALL") == "1":  # the smoke test: use what is there
        return
    if shutil.which("gunicorn", path=str(Path(sys.executable).parent)) is None:
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "gunicorn"], check=True)
    if not (TOOLS / "bin" / "locust").exists():
        subprocess.run([sys.executable, "-m", "venv", str(TOOLS)], check=True)
        pip = [str(TOOLS / "bin" / "python"), "-m", "pip", "install", "--quiet", "locust"]
        subprocess.run(pip, check=True)
    if shutil.which("wrk") is None:
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        apt = ["apt-get", "install", "-y", "wrk"]
        if subprocess.run(apt, env=env).returncode != 0:
            subprocess.run(["apt-get", "update"], env=env, check=True)
            subprocess.run(apt, env=env, check=True)


def machine() -> str:
    memory = "unknown"
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    load = Path("/proc/loadavg").read_text().split()[:3]
    return f"{os.cpu_count()} cores, {memory} memory, load average {' '.join(load)} at start"


BY_HAND = ("<!-- by hand: bench/run_all.py keeps this part -->", "<!-- end of the part by hand -->")


def kept_by_hand() -> str:
    """The part of the report written by hand (the levers taken, the reading of a run), carried
    over from the report this run replaces."""
    if not REPORT.exists():
        return ""
    text = REPORT.read_text()
    start, end = (text.find(marker) for marker in BY_HAND)
    if start < 0 or end < start:
        return ""
    return text[start : end + len(BY_HAND[1])] + "\n\n"


def main() -> None:
    for name in ("DATABASE_URL", "REDIS_URL"):
        if not os.environ.get(name):
            sys.exit(f"set {name}: the benchmarks run on PostgreSQL and Redis")
    install_tools()
    started = datetime.datetime.now(datetime.UTC)
    where = machine()
    sections = []
    for title, command in BENCHMARKS:
        script = " ".join(command)
        if ONLY and not any(name in command[0] for name in ONLY):
            continue
        print(f"running {script}", flush=True)
        result = subprocess.run(
            [sys.executable, *command], cwd=ROOT, capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            sys.stderr.write(result.stdout + result.stderr)
            sys.exit(f"{script} failed (exit {result.returncode})")
        sections.append(f"## {title}\n\n`{script}`\n\n{result.stdout}")
    REPORT.write_text(
        "# Benchmarks\n\n"
        f"Written by `make bench` (bench/run_all.py) on {started:%Y-%m-%d %H:%M} UTC; "
        f"machine: {where}.\n\n"
        "The machine is shared: other engineers' test suites ran during this run, so absolute "
        "figures are noisy. That is why every page is measured beside the trivial view "
        '(`HttpResponse("ok")` through the same middleware, config/bench_urls.py) in the same '
        "server, alternating, and the ratio is the figure to compare.\n\n"
        "Reproduce:\n\n"
        "```\nDATABASE_URL=postgres://postgres@127.0.0.1:5432/sim_bench "
        "REDIS_URL=redis://127.0.0.1:6379/8 make bench\n"
        "DURATION=20 CONNECTIONS=16 EXPORT_LINES=10000,100000 make bench   # longer, bigger\n"
        "BENCH_ONLY=sweep,finalize make bench   # some of them (the report then holds those)\n"
        "BENCH_SMALL=1 make bench               # every one at a quick size (the smoke test's)\n"
        "```\n\n"
        "Targets (issue 12): every page >= 10% of the trivial view's requests per second, p99 "
        "under 100 ms, at most 8 queries, the same query count at 10x the data. The other "
        "benchmarks' targets are stated beside their tables.\n\n"
        + kept_by_hand()
        + "\n".join(sections)
    )
    print(f"wrote {REPORT}")


if __name__ == "__main__":
    main()
