"""The embedded broker of `make run`: kombu's filesystem transport, made safe and quick to stop.

Safe: kombu creates a message file under its queue name and only then writes it, so a worker
listing the folder at that moment read it empty and stopped ("Unrecoverable error:
JSONDecodeError"), and honcho took the whole site down with it. Here a message is written under a
temporary name in the same folder and renamed into the queue (a rename is atomic), and a file the
worker cannot read all the same (left by an older writer, a full disk, a hand) is moved to the
`unreadable` folder beside the queue with a log line, and the next message is read.

Quick to stop: Celery's loop for a transport without an event loop waits for messages two
seconds at a time, and only then sees that it was asked to stop; with the pool's and the timer's
own waits a Ctrl-C took longer than honcho's 5 s before SIGKILL. This transport waits in short
slices and gives up as soon as the worker is shutting down.
"""

import logging
import os
import uuid
from pathlib import Path
from queue import Empty
from time import monotonic

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.json import dumps, loads

log = logging.getLogger(__name__)

SLICE = 0.2  # seconds
WRITING = ".writing"  # "<name>.writing": never matches a queue's "<stamp>_<uuid>.<queue>.msg"


def _stopping() -> bool:
    from celery.worker import state

    return state.should_stop is not None or state.should_terminate is not None


class Channel(filesystem.Channel):
    """kombu's filesystem channel with atomic writes and unreadable messages set aside."""

    def _put(self, queue, payload, **kwargs):
        """Write the message whole under a temporary name, then rename it into the queue."""
        name = f"{int(round(monotonic() * 1000))}_{uuid.uuid4()}.{queue}.msg"
        folder = Path(self.data_folder_out)
        temporary = folder / f".{name}{WRITING}"
        try:
            with open(temporary, "wb") as f:
                f.write(dumps(payload).encode())
                f.flush()
                os.fsync(f.fileno())
            os.replace(temporary, folder / name)
        except OSError as exc:
            temporary.unlink(missing_ok=True)
            raise ChannelError(f"Cannot add file {name!r} to {folder}") from exc

    def _get(self, queue):
        """The oldest readable message of `queue`; unreadable ones are set aside on the way."""
        suffix = f"{queue}.msg"
        claimed = Path(self.processed_folder)
        claimed.mkdir(parents=True, exist_ok=True)
        for name in sorted(os.listdir(self.data_folder_in)):
            if name.partition(".")[2] != suffix:
                continue
            path = claimed / name
            try:
                # A rename in one filesystem: of two workers, exactly one gets the file.
                os.rename(os.path.join(self.data_folder_in, name), path)
            except OSError:
                continue  # another worker took it
            try:
                payload = loads(path.read_bytes().decode())
                self.Message(payload, channel=self)  # what the consumer will do with it
            except Exception as exc:  # any file we cannot turn into a message
                self._set_aside(path, exc)
                continue
            if not self.store_processed:
                path.unlink(missing_ok=True)
            return payload
        raise Empty()

    def _set_aside(self, path: Path, exc: Exception) -> None:
        folder = self.unreadable_folder
        try:
            folder.mkdir(parents=True, exist_ok=True)
            os.replace(path, folder / path.name)
        except OSError:
            path.unlink(missing_ok=True)
            log.error("dropped the unreadable broker message %s (%r)", path.name, exc)
            return
        log.error(
            "set aside the unreadable broker message %s (%s: %s): moved to %s",
            path.name,
            type(exc).__name__,
            exc,
            folder,
        )

    @property
    def unreadable_folder(self) -> Path:
        default = Path(self.data_folder_in).parent / "unreadable"
        return Path(self.transport_options.get("unreadable_folder", default))


class Transport(filesystem.Transport):
    Channel = Channel

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
