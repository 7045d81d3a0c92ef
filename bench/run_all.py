"""Every benchmark in one command (`make bench`): installs its tools, runs, writes the report.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sim_bench REDIS_URL=redis://127.0.0.1:6379/9 \
        make bench            # or: .venv/bin/python bench/run_all.py

Installs gunicorn into this virtualenv (pip) and wrk (apt-get) when they are missing, runs each
benchmark script below as its own process on PostgreSQL and Redis, and writes docs/benchmarks.md
with their tables, the machine (cores, memory), the date and the commands to reproduce. Options
are environment variables: bench/pages.py's (DURATION, CONNECTIONS, ...) and EXPORT_ORDERS.
"""

import datetime
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "docs" / "benchmarks.md"
# (title, script and its arguments); sizes come from EXPORT_ORDERS (comma-separated).
BENCHMARKS = [
    ("Pages against the trivial view", ["bench/pages.py"]),
    (
        "Export against PostgreSQL COPY",
        ["bench/export.py", "--orders", os.environ.get("EXPORT_ORDERS", "2000,10000")],
    ),
]


def install_tools() -> None:
    if shutil.which("gunicorn", path=str(Path(sys.executable).parent)) is None:
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "gunicorn"], check=True)
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
        "REDIS_URL=redis://127.0.0.1:6379/9 make bench\n"
        "DURATION=20 CONNECTIONS=16 EXPORT_ORDERS=10000,100000 make bench   # longer, bigger\n"
        "```\n\n"
        "Targets (issue 12): every page >= 10% of the trivial view's requests per second, p99 "
        "under 100 ms, at most 8 queries, the same query count at 10x the data.\n\n"
        + "\n".join(sections)
    )
    print(f"wrote {REPORT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
