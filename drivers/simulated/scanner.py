"""A simulated scanner: the twin of a serial scanner, for demos, tests and UI work without hardware.

It owns one named thread, like a real scanner's reader thread. Scans come from a script
(replayed with its delays, see :mod:`drivers.simulated.script`) or from :meth:`send`, and
subscribers are called on the scanner's thread, exactly as a real device would call them.

>>> import threading
>>> got = threading.Event()
>>> scanner = SimulatedScanner("bench")
>>> scanner.subscribe(lambda scan: got.set())
>>> scanner.start()
>>> scanner.send(b"]d2010401234512345617261200")
>>> got.wait(5)
True
>>> scanner.stop(); scanner.join(5); scanner.running
False
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Iterable, Sequence

from drivers.simulated.script import ScriptStep
from station.ports import ScanCallback
from station.scanning.raw import RawScan

_log = logging.getLogger(__name__)


class SimulatedScanner:
    """Implements :class:`station.ports.ScanSource` by replaying scripted or on-demand scans.

    On-demand scans (:meth:`send`) jump the queue, even while a script is pausing between
    scans; the script then carries on. A callback that raises is logged and counted
    (``failed_callbacks``); it never kills the thread.
    """

    def __init__(self, name: str = "simulated", script: Sequence[ScriptStep] = ()) -> None:
        self._name = name
        self._script = tuple(script)
        self._callbacks: list[ScanCallback] = []
        self._wake = threading.Condition()
        self._urgent: deque[bytes] = deque()
        self._scripted: deque[ScriptStep] = deque()
        self._due: float | None = None  # when the head of ``_scripted`` is delivered
        self._stopping = False
        self._thread: threading.Thread | None = None
        self.failed_callbacks = 0

    @property
    def name(self) -> str:
        return self._name

    @property
    def source(self) -> str:
        """What delivered scans carry as ``RawScan.source``."""
        return f"simulated:{self._name}"

    @property
    def script(self) -> tuple[ScriptStep, ...]:
        return self._script

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def subscribe(self, callback: ScanCallback) -> None:
        with self._wake:
            self._callbacks.append(callback)

    def start(self) -> None:
        if self._thread is not None:
            msg = f"scanner {self._name!r} was already started"
            raise RuntimeError(msg)
        self._thread = threading.Thread(target=self._run, name=f"scanner-{self._name}", daemon=True)
        self._thread.start()

    def play(self, steps: Iterable[ScriptStep] | None = None) -> None:
        """Queue a replay (of the scanner's own script by default), honouring each delay."""
        with self._wake:
            self._scripted.extend(self._script if steps is None else steps)
            self._wake.notify()

    def send(self, raw: bytes) -> None:
        """Deliver one scan as soon as possible, on the scanner's thread."""
        with self._wake:
            self._urgent.append(bytes(raw))
            self._wake.notify()

    def stop(self) -> None:
        """Ask the thread to end; scans not yet delivered are dropped. Safe to call twice."""
        with self._wake:
            self._stopping = True
            self._urgent.clear()
            self._scripted.clear()
            self._wake.notify()

    def join(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    # -- the scanner thread ------------------------------------------------------------------

    def _run(self) -> None:
        while (raw := self._next_scan()) is not None:
            self._deliver(raw)

    def _next_scan(self) -> bytes | None:
        """Block until a scan is due (None once stopping)."""
        with self._wake:
            while not self._stopping:
                if self._urgent:
                    return self._urgent.popleft()
                if not self._scripted:
                    self._wake.wait()
                    continue
                if self._due is None:
                    self._due = time.monotonic() + self._scripted[0].delay
                remaining = self._due - time.monotonic()
                if remaining <= 0:
                    self._due = None
                    return self._scripted.popleft().raw
                self._wake.wait(remaining)
            return None

    def _deliver(self, raw: bytes) -> None:
        scan = RawScan.now(raw, source=self.source)
        with self._wake:
            callbacks = list(self._callbacks)
        for callback in callbacks:
            try:
                callback(scan)
            except Exception:
                # A subscriber bug must not silence the device: log it and keep scanning.
                self.failed_callbacks += 1
                _log.exception("scanner %s: a subscriber failed on %r", self._name, raw)
