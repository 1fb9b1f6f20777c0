"""CameraBridge: a camera's scans, preview frames and state as Qt signals on the GUI thread.

The camera calls the bridge on its own threads (scans and frames on the decode thread, states
on the capture thread). The bridge posts each to the GUI thread (:mod:`ui.gui_thread`) and
emits it there, so every public signal is emitted *on the GUI thread* and any slot or lambda
connected to it runs there (``docs/architecture.md`` §4); a bridge deleted with its window
drops what arrives late.

Preview frames are rate-limited to ``max_fps`` (15) and never queue up: at most one frame is
in flight to the GUI thread, and frames arriving meanwhile or too soon are dropped
(``frames_dropped``). Scans and states are never dropped.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Protocol

from drivers.camera.source import (
    CameraState,
    ErrorCallback,
    FrameCallback,
    FrameReport,
    StateCallback,
)
from station.ports import ScanCallback
from station.scanning.raw import RawScan
from ui.gui_thread import call_on_gui_thread
from ui.qt import QObject, Signal

_log = logging.getLogger(__name__)

PREVIEW_MAX_FPS = 15.0


class CameraEvents(Protocol):
    """What the bridge needs of a camera (:class:`~drivers.camera.source.CameraScanSource`)."""

    @property
    def name(self) -> str: ...

    @property
    def state(self) -> CameraState: ...

    def subscribe(self, callback: ScanCallback) -> None: ...

    def on_frame(self, callback: FrameCallback) -> None: ...

    def on_state(self, callback: StateCallback) -> None: ...

    def on_error(self, callback: ErrorCallback) -> None: ...


class CameraBridge(QObject):
    """``scanned(RawScan)``, ``frame(FrameReport)`` (≤ ``max_fps``), ``state_changed(str)``,
    ``error(str)``; all emitted on the GUI thread. Create it on the GUI thread."""

    scanned = Signal(object)
    frame = Signal(object)
    state_changed = Signal(str)
    error = Signal(str)

    def __init__(
        self,
        camera: CameraEvents,
        max_fps: float = PREVIEW_MAX_FPS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.camera_name = camera.name
        self.state = camera.state.value
        self.min_interval = 1.0 / max_fps if max_fps > 0 else 0.0
        self.frames_emitted = 0
        self.frames_dropped = 0
        self._lock = threading.Lock()
        self._pending: FrameReport | None = None
        self._last_signalled = -float("inf")
        camera.subscribe(self._on_scan)
        camera.on_frame(self._on_frame)
        camera.on_state(self._on_state)
        camera.on_error(self._on_error)

    # -- on the camera's threads -------------------------------------------------------------

    def _on_scan(self, scan: RawScan) -> None:
        call_on_gui_thread(self, lambda: self.scanned.emit(scan))

    def _on_state(self, state: CameraState, _detail: str | None) -> None:
        value = state.value
        call_on_gui_thread(self, lambda: self._emit_state(value))

    def _on_error(self, message: str) -> None:
        call_on_gui_thread(self, lambda: self.error.emit(message))

    def _on_frame(self, report: FrameReport) -> None:
        now = time.monotonic()
        with self._lock:
            if self._pending is not None:
                # The GUI has not taken the last one yet: keep only the newest, send nothing.
                self._pending = report
                self.frames_dropped += 1
                return
            if now - self._last_signalled < self.min_interval:
                self.frames_dropped += 1
                return
            self._pending = report
            self._last_signalled = now
        call_on_gui_thread(self, self._emit_frame)

    # -- on the GUI thread -------------------------------------------------------------------

    def _emit_frame(self) -> None:
        with self._lock:
            report, self._pending = self._pending, None
        if report is not None:
            self.frames_emitted += 1
            self.frame.emit(report)

    def _emit_state(self, state: str) -> None:
        self.state = state
        self.state_changed.emit(state)
