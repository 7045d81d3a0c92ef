"""The embedded broker of `make run`: kombu's filesystem transport, quick to stop.

Celery's loop for a transport without an event loop waits for messages two seconds at a time,
and only then sees that it was asked to stop; with the pool's and the timer's own waits a
Ctrl-C took longer than honcho's 5 s before SIGKILL. This transport waits in short slices and
gives up as soon as the worker is shutting down.
"""

from time import monotonic

from kombu.transport import filesystem

SLICE = 0.2  # seconds


def _stopping() -> bool:
    from celery.worker import state

    return state.should_stop is not None or state.should_terminate is not None


class Transport(filesystem.Transport):
    def drain_events(self, connection, timeout=None):
        deadline = None if timeout is None else monotonic() + timeout
        while True:
            wait = SLICE if deadline is None else min(SLICE, deadline - monotonic())
            if wait <= 0:
                raise TimeoutError()
            try:
                return super().drain_events(connection, timeout=wait)
            except TimeoutError:
                if _stopping():
                    raise
