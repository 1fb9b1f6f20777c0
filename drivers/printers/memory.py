"""MemoryTransport: keeps every job in a list. The printer twin for unit tests.

>>> t = MemoryTransport()
>>> t.send(b"^XA^FDone^FS^XZ", timeout=1.0)
>>> t.fail_next(PrinterError("paper out"))
>>> t.send(b"^XA^XZ", timeout=1.0)
Traceback (most recent call last):
...
drivers.printers.errors.PrinterError: paper out
>>> t.jobs
[b'^XA^FDone^FS^XZ']
"""

from __future__ import annotations

import threading
from collections import deque

from drivers.printers.deadline import MAX_REPLY, Deadline, ReplyComplete
from drivers.printers.errors import PrinterError


class MemoryTransport:
    """Jobs are appended to :attr:`jobs` (thread-safe); failures can be queued for tests.

    A memory transport has no device to ask, so :meth:`query` raises, unless ``replies`` maps
    the command to a canned reply (for tests of status handling).
    """

    def __init__(self, name: str = "memory", replies: dict[bytes, bytes] | None = None) -> None:
        self._name = name
        self._lock = threading.Lock()
        self._jobs: list[bytes] = []
        self._failures: deque[PrinterError] = deque()
        self._replies = dict(replies or {})
        self.closed = False

    @property
    def name(self) -> str:
        return self._name

    @property
    def jobs(self) -> list[bytes]:
        """A copy of the jobs accepted so far, oldest first."""
        with self._lock:
            return list(self._jobs)

    @staticmethod
    def is_usable() -> tuple[bool, str]:
        return True, "always available"

    def fail_next(self, error: PrinterError) -> None:
        """Make the next :meth:`send` raise ``error`` instead of keeping the job."""
        with self._lock:
            self._failures.append(error)

    def send(self, data: bytes, *, timeout: float) -> None:
        Deadline(timeout)  # validates the timeout like every other transport
        with self._lock:
            if self._failures:
                raise self._failures.popleft()
            self._jobs.append(bytes(data))

    def query(
        self,
        command: bytes,
        *,
        timeout: float,
        complete: ReplyComplete | None = None,  # noqa: ARG002 - same signature as the others
        max_reply: int = MAX_REPLY,
    ) -> bytes:
        Deadline(timeout)
        with self._lock:
            reply = self._replies.get(bytes(command))
        if reply is None:
            msg = f"printer {self._name!r} (memory) cannot report status"
            raise PrinterError(msg)
        return reply[:max_reply]

    def close(self) -> None:
        self.closed = True
