"""SerialScanSource: one reader thread per serial port, delivering :class:`RawScan` objects.

The thread opens the port with pyserial (short read timeout), frames the byte stream with the
pure :mod:`drivers.serial.framing`, and calls subscribers with
``RawScan.now(raw, source="serial:<port>")``. When the device goes away (a read fails, or the
port path vanishes) the state becomes ``disconnected`` and the thread retries with exponential
backoff (``backoff_initial`` doubling up to ``backoff_max``) until the port opens again.

Nothing escapes the thread: device errors become state changes, framing errors are reported
through :meth:`SerialScanSource.on_error`, and a subscriber that raises is logged and counted.
"""

from __future__ import annotations

import enum
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import serial  # type: ignore[import-untyped]

from drivers.serial.framing import Framer, Framing, FramingError
from station.ports import ScanCallback
from station.scanning.raw import RawScan

_log = logging.getLogger(__name__)

MAX_READ = 4096  # bytes per read; with Framing.max_line this bounds the memory held


class PortState(enum.StrEnum):
    STOPPED = "stopped"
    CONNECTING = "connecting"
    CONNECTED = "connected"
    DISCONNECTED = "disconnected"


StateCallback = Callable[[PortState, str | None], None]
ErrorCallback = Callable[[str], None]


class PortLike(Protocol):
    """The part of ``serial.Serial`` the reader uses (so tests can inject an opener)."""

    @property
    def in_waiting(self) -> int: ...

    def read(self, size: int = 1) -> bytes: ...

    def close(self) -> None: ...


@dataclass(frozen=True, slots=True)
class SerialSettings:
    """Port and line settings. Defaults: 9600 baud, 8N1, CR/LF/CRLF terminators."""

    port: str
    baudrate: int = 9600
    bytesize: int = 8
    parity: str = "N"
    stopbits: float = 1
    framing: Framing = field(default_factory=Framing)
    read_timeout: float = 0.05
    backoff_initial: float = 0.1
    backoff_max: float = 5.0
    presence_check: float = 0.5  # seconds between checks that the port path still exists


Opener = Callable[[SerialSettings], PortLike]


def open_serial(settings: SerialSettings) -> PortLike:
    port: PortLike = serial.Serial(
        settings.port,
        baudrate=settings.baudrate,
        bytesize=settings.bytesize,
        parity=settings.parity,
        stopbits=settings.stopbits,
        timeout=settings.read_timeout,
    )
    return port


class _PortGoneError(Exception):
    """The port path disappeared while open (USB unplug seen before any read fails)."""


class SerialScanSource:
    """Implements :class:`station.ports.ScanSource` for a scanner on a serial port."""

    def __init__(
        self,
        settings: SerialSettings,
        name: str | None = None,
        opener: Opener = open_serial,
    ) -> None:
        self.settings = settings
        self._name = name or settings.port
        self._opener = opener
        self._lock = threading.Lock()
        self._callbacks: list[ScanCallback] = []
        self._state_callbacks: list[StateCallback] = []
        self._error_callbacks: list[ErrorCallback] = []
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._state = PortState.STOPPED
        self.last_error: str | None = None
        self.failed_callbacks = 0
        self.framing_errors = 0
        self.connects = 0

    # -- ScanSource --------------------------------------------------------------------------

    @property
    def name(self) -> str:
        return self._name

    @property
    def source(self) -> str:
        """What delivered scans carry as ``RawScan.source``."""
        return f"serial:{self.settings.port}"

    @property
    def state(self) -> PortState:
        return self._state

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def subscribe(self, callback: ScanCallback) -> None:
        with self._lock:
            self._callbacks.append(callback)

    def on_state(self, callback: StateCallback) -> None:
        """Call ``callback(state, detail)`` on every state change (on the reader thread)."""
        with self._lock:
            self._state_callbacks.append(callback)

    def on_error(self, callback: ErrorCallback) -> None:
        """Call ``callback(message)`` for framing errors (over-long lines), on the reader thread."""
        with self._lock:
            self._error_callbacks.append(callback)

    def start(self) -> None:
        if self._thread is not None:
            msg = f"serial scanner {self._name!r} was already started"
            raise RuntimeError(msg)
        self._thread = threading.Thread(
            target=self._run, name=f"scanner-serial-{self._name}", daemon=True
        )
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        """Stop the reader and wait for it (about one read timeout). Safe to call twice."""
        self._stopping.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    def join(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    # -- the reader thread -------------------------------------------------------------------

    def _run(self) -> None:
        delay = self.settings.backoff_initial
        try:
            self._set_state(PortState.CONNECTING, None)
            while not self._stopping.is_set():
                # While retrying, the state stays ``disconnected`` (no flicker for the UI).
                try:
                    port = self._opener(self.settings)
                except Exception as exc:  # SerialException, OSError, ValueError, a bad opener
                    self._set_state(PortState.DISCONNECTED, f"open failed: {exc}")
                    self._stopping.wait(delay)
                    delay = min(delay * 2, self.settings.backoff_max)
                    continue
                delay = self.settings.backoff_initial
                self.connects += 1
                self._set_state(PortState.CONNECTED, None)
                try:
                    self._read_until_failure(port)
                except Exception as exc:  # the device went away (or the driver misbehaved)
                    self._set_state(PortState.DISCONNECTED, str(exc) or type(exc).__name__)
                    self._stopping.wait(delay)
                    delay = min(delay * 2, self.settings.backoff_max)
                finally:
                    try:
                        port.close()
                    except Exception:
                        _log.debug("serial %s: close failed", self._name, exc_info=True)
        except Exception:  # pragma: no cover - last line of defence, never kill silently
            _log.exception("serial %s: reader thread failed", self._name)
        finally:
            self._set_state(PortState.STOPPED, None)

    def _read_until_failure(self, port: PortLike) -> None:
        framer = Framer(self.settings.framing)
        path = Path(self.settings.port)
        check_path = path.is_absolute()
        next_check = time.monotonic() + self.settings.presence_check
        while not self._stopping.is_set():
            waiting = port.in_waiting
            data = port.read(max(1, min(waiting, MAX_READ)))
            now = time.monotonic()
            self._handle(framer.feed(data, now) if data else framer.poll(now))
            if check_path and now >= next_check:
                next_check = now + self.settings.presence_check
                if not path.exists():
                    raise _PortGoneError(f"port {self.settings.port} vanished")
        if framer.pending:
            _log.info("serial %s: %d pending bytes dropped at stop", self._name, framer.pending)

    def _handle(self, events: list[bytes | FramingError]) -> None:
        for event in events:
            if isinstance(event, FramingError):
                self._report_error(event.message)
            else:
                self._deliver(event)

    def _deliver(self, raw: bytes) -> None:
        scan = RawScan.now(raw, source=self.source)
        with self._lock:
            callbacks = list(self._callbacks)
        for callback in callbacks:
            try:
                callback(scan)
            except Exception:
                self.failed_callbacks += 1
                _log.exception("serial %s: a subscriber failed on %r", self._name, raw[:64])

    def _report_error(self, message: str) -> None:
        self.framing_errors += 1
        self.last_error = message
        _log.warning("serial %s: %s", self._name, message)
        with self._lock:
            callbacks = list(self._error_callbacks)
        for callback in callbacks:
            try:
                callback(message)
            except Exception:
                _log.exception("serial %s: an error listener failed", self._name)

    def _set_state(self, state: PortState, detail: str | None) -> None:
        if detail is not None:
            self.last_error = detail
        if state == self._state:
            _log.debug("serial %s: still %s: %s", self._name, state.value, detail)
            return
        self._state = state
        if state == PortState.DISCONNECTED:
            _log.warning("serial %s: disconnected: %s", self._name, detail)
        else:
            _log.info("serial %s: %s", self._name, state.value)
        with self._lock:
            callbacks = list(self._state_callbacks)
        for callback in callbacks:
            try:
                callback(state, detail)
            except Exception:
                _log.exception("serial %s: a state listener failed", self._name)
