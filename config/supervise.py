"""`make run`'s keeper: runs one process of the Procfile and starts it again whenever it exits.

honcho stops every process as soon as one of them ends, so a worker that died took the web
server and the scheduler with it. Each line of the Procfile runs its command under this script
instead: a process that exits by itself is started again (after 1 s, doubling while it keeps
failing, up to 30 s), and honcho sees nothing end. While it is down its heartbeat goes stale or
says stopped, so /healthz and the support dashboard say the jobs are down, as they are.

    python -P config/supervise.py NAME -- COMMAND [ARG...]

Stopping: honcho signals the whole process group (SIGTERM), which reaches the command too; this
script then only waits for it, and forwards SIGTERM itself if the command is still running after
a moment (a signal sent to this process alone). It exits 0 when the command stopped as asked.

Standard library only (no Django, no Celery): `-P` keeps config/ off the import path, where
config/celery.py would shadow the celery package.
"""

import signal
import subprocess  # nosec B404: runs the one command the Procfile names
import sys
import time

FIRST_WAIT = 1.0  # seconds before the first restart
LONGEST_WAIT = 30.0  # the wait doubles while the process keeps failing, up to this
STEADY_AFTER = 60.0  # a process that ran this long failed afresh: the wait starts again at 1 s
FORWARD_AFTER = 2.0  # seconds after a stop signal before this script sends SIGTERM itself
POLL = 0.2


def say(message: str) -> None:
    print(f"supervise: {message}", flush=True)


class Keeper:
    def __init__(self, name: str, command: list[str]) -> None:
        self.name = name
        self.command = command
        self.stop_asked: float | None = None  # monotonic time of the stop signal
        self.child: subprocess.Popen | None = None

    def ask_to_stop(self, signum: int, frame: object) -> None:
        if self.stop_asked is None:
            self.stop_asked = time.monotonic()

    def run(self) -> int:
        signal.signal(signal.SIGTERM, self.ask_to_stop)
        signal.signal(signal.SIGINT, self.ask_to_stop)
        wait = FIRST_WAIT
        while self.stop_asked is None:
            started = time.monotonic()
            self.child = subprocess.Popen(self.command)  # noqa: S603  # nosec B603: the Procfile line
            say(f"{self.name} started (pid={self.child.pid})")
            returncode = self._wait_for_child()
            if self.stop_asked is not None:
                return 0 if returncode in (0, -signal.SIGTERM, -signal.SIGINT) else returncode
            ran = time.monotonic() - started
            if ran >= STEADY_AFTER:
                wait = FIRST_WAIT
            say(
                f"{self.name} exited by itself (rc={returncode}) after {ran:.0f} s; "
                f"starting it again in {wait:.0f} s"
            )
            self._sleep(wait)
            wait = min(wait * 2, LONGEST_WAIT)
        return 0

    def _wait_for_child(self) -> int:
        assert self.child is not None  # nosec B101: set just before
        forwarded = False
        while True:
            try:
                return self.child.wait(timeout=POLL)
            except subprocess.TimeoutExpired:
                pass
            if self.stop_asked is None or forwarded:
                continue
            if time.monotonic() - self.stop_asked >= FORWARD_AFTER:
                self.child.send_signal(signal.SIGTERM)
                forwarded = True

    def _sleep(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while self.stop_asked is None and time.monotonic() < deadline:
            time.sleep(POLL)


def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[1] != "--":
        print("usage: supervise.py NAME -- COMMAND [ARG...]", file=sys.stderr)
        return 2
    return Keeper(argv[0], argv[2:]).run()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
