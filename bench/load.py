"""Load on the busiest Seller Center pages, on loopback (run by hand, prints figures).

    apt-get install wrk   # gunicorn comes with the project; wrk is Debian's
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sim_bench .venv/bin/python bench/load.py

Migrates, seeds the demo trainee (`seed_demo`), starts the app on 127.0.0.1 (gunicorn when it is
installed, else runserver) with DEBUG off, signs the demo trainee in through the login form, then
runs wrk for a bounded time on the dashboard, the orders list and the timeline, one after the
other. Prints requests per second and latency percentiles per page. Nothing is asserted.

Options (environment): DURATION in seconds per page (20), CONNECTIONS (8), THREADS (2),
WORKERS (gunicorn processes, the CPU count), PORT (8765).
"""

import http.cookiejar
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ["DEBUG"] = "0"  # debug pages keep every query in memory: not what a trainee meets

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from lifecycle.management.commands.seed_demo import DEMO_PASSWORD, DEMO_USERNAME  # noqa: E402

DURATION = int(os.environ.get("DURATION", "20"))  # not SECONDS: bash owns that name
CONNECTIONS = int(os.environ.get("CONNECTIONS", "8"))
THREADS = int(os.environ.get("THREADS", "2"))
WORKERS = int(os.environ.get("WORKERS", str(os.cpu_count() or 2)))
PORT = int(os.environ.get("PORT", "8765"))
HOST = "127.0.0.1"  # loopback only
BASE = f"http://{HOST}:{PORT}"


def start_server() -> tuple[subprocess.Popen, str]:
    python = sys.executable
    gunicorn = shutil.which("gunicorn", path=str(Path(python).parent))
    if gunicorn:
        command = [gunicorn, "config.wsgi", "--workers", str(WORKERS), "--bind", f"{HOST}:{PORT}"]
        name = f"gunicorn, {WORKERS} workers"
    else:
        command = [python, "manage.py", "runserver", f"{HOST}:{PORT}", "--noreload"]
        name = "runserver (threaded)"
    server = subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group, stopped as one at the end
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{BASE}/login/", timeout=1)  # noqa: S310 (BASE is loopback http)
            return server, name
        except (urllib.error.URLError, ConnectionError):
            if server.poll() is not None:
                sys.exit(f"the server stopped at start (exit {server.returncode})")
            time.sleep(0.2)
    stop(server)
    sys.exit("the server did not answer within 20 s")


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def sign_in() -> tuple[str, str]:
    """Sign the demo trainee in through the login form; the Cookie header and the home path."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = opener.open(f"{BASE}/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    data = urllib.parse.urlencode(
        {"username": DEMO_USERNAME, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token}
    ).encode()
    home = opener.open(urllib.request.Request(f"{BASE}/login/", data=data))  # noqa: S310
    if "sessionid" not in {c.name for c in jar}:
        sys.exit("signing in the demo trainee failed")
    body = home.read().decode()
    match = re.search(r'href="(/s/\d+/)"', body)
    if match is None:
        sys.exit(f"no sandbox link on {home.geturl()}")
    return "; ".join(f"{c.name}={c.value}" for c in jar), match.group(1)


def check_page(path: str, cookie: str) -> None:
    """The page answers 200 for the signed-in trainee (wrk would count a redirect as success)."""
    request = urllib.request.Request(BASE + path, headers={"Cookie": cookie})  # noqa: S310
    opener = urllib.request.build_opener(NoRedirect)
    try:
        status = opener.open(request).status
    except urllib.error.HTTPError as err:
        status = err.code
    if status != 200:
        sys.exit(f"{path} answered {status}, not 200")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def load(path: str, cookie: str) -> dict[str, str]:
    result = subprocess.run(
        [
            "wrk",
            f"-t{THREADS}",
            f"-c{CONNECTIONS}",
            f"-d{DURATION}s",
            "--latency",
            "-H",
            f"Cookie: {cookie}",
            BASE + path,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    out = result.stdout
    figures = {"rps": re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)}
    for pct in ("50", "75", "90", "99"):
        figures[pct] = re.search(rf"^\s+{pct}%\s+(\S+)", out, re.M).group(1)
    figures["requests"] = re.search(r"(\d+) requests in", out).group(1)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    figures["failed"] = (bad.group(1) if bad else "0") + (f" ({errors.group(1)})" if errors else "")
    return figures


def main() -> None:
    if connection.vendor != "postgresql":
        sys.exit("set DATABASE_URL to a PostgreSQL database: the bench measures the real setup")
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install wrk")
    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    connection.close()  # the server's workers open their own
    server, name = start_server()
    try:
        cookie, home = sign_in()
        pages = {"dashboard": home, "orders": home + "orders/", "timeline": home + "timeline/"}
        for path in pages.values():
            check_page(path, cookie)
        print(
            f"{name} on {BASE}, PostgreSQL, DEBUG off; wrk {THREADS} threads, "
            f"{CONNECTIONS} connections, {DURATION} s per page"
        )
        print(f"{'page':<10} {'req/s':>8} {'p50':>9} {'p75':>9} {'p90':>9} {'p99':>9}  requests")
        for label, path in pages.items():
            f = load(path, cookie)
            print(
                f"{label:<10} {f['rps']:>8} {f['50']:>9} {f['75']:>9} {f['90']:>9} {f['99']:>9}"
                f"  {f['requests']} (failed: {f['failed']})"
            )
    finally:
        stop(server)


if __name__ == "__main__":
    main()
