"""CameraScanSource: a camera (or a video, image folder, stream) as a scan source.

Two named threads per camera (``architecture.md`` §4):

* **capture** (``camera-capture-<name>``) opens the source through an *opener* (OpenCV's
  ``cv2.VideoCapture`` by default, :class:`FolderCapture` for a folder of images), reads frames
  and puts each into a :class:`~drivers.camera.latest.LatestFrame`. When opening or reading
  fails the state becomes ``disconnected`` and it retries with exponential backoff. A video
  file or folder that ends is ``finished`` (or starts again with ``loop=True``).
* **decode** (``camera-decode-<name>``) takes the newest frame, converts it to grey, runs the
  :class:`~drivers.camera.detection.FrameDecoder` and passes each detection through a
  :class:`~station.scanning.dedupe.RepeatFilter`; new reads go to subscribers as
  ``RawScan(raw, "camera:<name>", symbology=<AIM id>, corners=…, image=<the frame>)``.
  ``on_frame`` listeners get a :class:`FrameReport` (a preview copy, every detection with its
  repeat flag, timings).

Nothing escapes the threads: open and read failures become ``state`` and ``last_error``,
decoder exceptions and odd frames are counted and reported through ``on_error``, and a
callback that raises is logged and counted.
"""

from __future__ import annotations

import enum
import logging
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

from drivers.camera.capture import (
    CameraConfig,
    CameraOpenError,
    CameraSettings,
    CaptureLike,
    FolderCapture,
    Opener,
    SourceKind,
    open_capture,
    source_kind,
)
from drivers.camera.decoders import StationDecoder
from drivers.camera.detection import Detection, Frame, FrameDecoder
from drivers.camera.frames import BadFrameError, normalize_frame, to_grey
from drivers.camera.latest import LatestFrame
from drivers.camera.reports import (
    CameraState,
    CameraStats,
    ErrorCallback,
    FrameCallback,
    FrameDetection,
    FrameReport,
    RateMeter,
    StateCallback,
)
from station.ports import ScanCallback
from station.scanning.dedupe import RepeatFilter
from station.scanning.raw import RawScan

_log = logging.getLogger(__name__)

DEFAULT_PLAYBACK_FPS = 15.0
_ERROR_REPORT_INTERVAL = 1.0  # seconds between on_error reports (counts stay exact)

#: Re-exported: callers build and wire a camera from this one module.
__all__ = [
    "BadFrameError",
    "CameraConfig",
    "CameraOpenError",
    "CameraScanSource",
    "CameraSettings",
    "CameraState",
    "CameraStats",
    "CaptureLike",
    "ErrorCallback",
    "FolderCapture",
    "FrameCallback",
    "FrameDetection",
    "FrameReport",
    "Opener",
    "RateMeter",
    "SourceKind",
    "StateCallback",
    "build_camera",
    "default_decoder",
    "normalize_frame",
    "open_capture",
    "source_kind",
]


def default_decoder(settings: CameraSettings) -> FrameDecoder:
    """The station's multi-pass decoder with the configured formats (``docs/cameras.md``)."""
    return StationDecoder(settings.formats, pyzbar_second_pass=settings.pyzbar_second_pass)


@dataclass(frozen=True, slots=True)
class _Captured:
    frame: object
    sequence: int
    captured_at: float  # time.monotonic()


class _Outcome(enum.Enum):
    ENDED = "ended"  # a file or folder reached its end
    FAILED = "failed"
    STOPPED = "stopped"


class CameraScanSource:
    """Implements :class:`station.ports.ScanSource` for a camera; see the module doc.

    ``decoder`` defaults to :func:`default_decoder`; ``opener`` to :func:`open_capture` (the
    simulated camera passes its own). ``clock`` feeds the repeat filter (tests).
    """

    #: Prefix of ``RawScan.source``; the simulated camera uses its own.
    source_prefix = "camera"

    def __init__(
        self,
        settings: CameraSettings,
        name: str | None = None,
        decoder: FrameDecoder | None = None,
        opener: Opener = open_capture,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings
        self._name = name or str(settings.source)
        self._decoder = decoder if decoder is not None else default_decoder(settings)
        self._opener = opener
        self._repeats = RepeatFilter(settings.repeat_window, clock)
        self._latest: LatestFrame[_Captured] = LatestFrame()
        self._lock = threading.Lock()
        self._callbacks: list[ScanCallback] = []
        self._frame_callbacks: list[FrameCallback] = []
        self._state_callbacks: list[StateCallback] = []
        self._error_callbacks: list[ErrorCallback] = []
        self._stopping = threading.Event()
        self._capture_thread: threading.Thread | None = None
        self._decode_thread: threading.Thread | None = None
        self._state = CameraState.STOPPED
        self._state_lock = threading.Lock()
        self._capture_rate = RateMeter()
        self._decode_rate = RateMeter()
        self._last_error_report = -math.inf
        self.last_error: str | None = None
        self.frames_captured = 0
        self.frames_decoded = 0
        self.bad_frames = 0
        self.decode_errors = 0
        self.scans_delivered = 0
        self.failed_callbacks = 0
        self.connects = 0
        self.last_decode_ms = 0.0
        self.last_latency_ms = 0.0

    # -- ScanSource and the extras ---------------------------------------------------------

    @property
    def name(self) -> str:
        return self._name

    @property
    def source(self) -> str:
        """What delivered scans carry as ``RawScan.source``."""
        return f"{self.source_prefix}:{self._name}"

    @property
    def decoder(self) -> FrameDecoder:
        return self._decoder

    @property
    def state(self) -> CameraState:
        return self._state

    @property
    def running(self) -> bool:
        return any(t is not None and t.is_alive() for t in self._threads())

    @property
    def stats(self) -> CameraStats:
        now = time.monotonic()
        return CameraStats(
            frames_captured=self.frames_captured,
            frames_decoded=self.frames_decoded,
            frames_dropped=self._latest.dropped,
            bad_frames=self.bad_frames,
            decode_errors=self.decode_errors,
            scans_delivered=self.scans_delivered,
            repeats_suppressed=self._repeats.suppressed,
            failed_callbacks=self.failed_callbacks,
            connects=self.connects,
            capture_fps=self._capture_rate.rate(now),
            decode_fps=self._decode_rate.rate(now),
            last_decode_ms=self.last_decode_ms,
            last_latency_ms=self.last_latency_ms,
        )

    def subscribe(self, callback: ScanCallback) -> None:
        """Call ``callback(RawScan)`` for each new read (not repeats), on the decode thread."""
        with self._lock:
            self._callbacks.append(callback)

    def on_frame(self, callback: FrameCallback) -> None:
        """Call ``callback(FrameReport)`` for every decoded frame, on the decode thread."""
        with self._lock:
            self._frame_callbacks.append(callback)

    def on_state(self, callback: StateCallback) -> None:
        """Call ``callback(state, detail)`` on every state change (capture thread or stop())."""
        with self._lock:
            self._state_callbacks.append(callback)

    def on_error(self, callback: ErrorCallback) -> None:
        """Call ``callback(message)`` for decoder failures and bad frames (at most 1/s)."""
        with self._lock:
            self._error_callbacks.append(callback)

    def start(self) -> None:
        if self._capture_thread is not None:
            msg = f"camera {self._name!r} was already started"
            raise RuntimeError(msg)
        self._decode_thread = threading.Thread(
            target=self._decode_loop, name=f"camera-decode-{self._name}", daemon=True
        )
        self._capture_thread = threading.Thread(
            target=self._capture_loop, name=f"camera-capture-{self._name}", daemon=True
        )
        self._decode_thread.start()
        self._capture_thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        """Stop both threads and wait for them. Safe to call twice.

        The decode thread ends within one decode. The capture thread ends within one frame
        read; a read that blocks longer (a hung driver) is abandoned after ``timeout``: the
        thread is a daemon, releases the capture when the read returns and delivers nothing.
        """
        self._stopping.set()
        self._latest.close()
        deadline = time.monotonic() + timeout
        for thread in (self._decode_thread, self._capture_thread):
            if thread is not None and thread is not threading.current_thread():
                thread.join(max(0.0, deadline - time.monotonic()))
        capture = self._capture_thread
        if capture is not None and capture.is_alive():
            _log.warning("camera %s: capture thread blocked in read; left to end", self._name)
        self._set_state(CameraState.STOPPED, None)

    def join(self, timeout: float | None = None) -> None:
        deadline = None if timeout is None else time.monotonic() + timeout
        for thread in self._threads():
            if thread is not None and thread is not threading.current_thread():
                thread.join(None if deadline is None else max(0.0, deadline - time.monotonic()))

    def _threads(self) -> tuple[threading.Thread | None, threading.Thread | None]:
        return self._capture_thread, self._decode_thread

    # -- the capture thread ----------------------------------------------------------------

    def _capture_loop(self) -> None:
        settings = self.settings
        delay = settings.backoff_initial
        try:
            self._set_state(CameraState.CONNECTING, None)
            while not self._stopping.is_set():
                # While retrying, the state stays ``disconnected`` (no flicker for the UI).
                try:
                    capture = self._opener(settings)
                except Exception as exc:  # CameraOpenError, cv2.error, a bad opener
                    self._set_state(CameraState.DISCONNECTED, f"open failed: {exc}")
                    self._stopping.wait(delay)
                    delay = min(delay * 2, settings.backoff_max)
                    continue
                self.connects += 1
                try:
                    outcome, frames, detail = self._read_frames(capture)
                except Exception as exc:  # the driver misbehaved
                    outcome, frames, detail = _Outcome.FAILED, 0, str(exc) or type(exc).__name__
                finally:
                    try:
                        capture.release()
                    except Exception:
                        _log.debug("camera %s: release failed", self._name, exc_info=True)
                if frames:
                    delay = settings.backoff_initial  # reset only once frames really flowed
                if outcome == _Outcome.ENDED:
                    if settings.loop:
                        continue
                    self._set_state(CameraState.FINISHED, "end of file")
                    return
                if outcome == _Outcome.FAILED:
                    self._set_state(CameraState.DISCONNECTED, detail)
                    self._stopping.wait(delay)
                    delay = min(delay * 2, settings.backoff_max)
        except Exception:  # pragma: no cover - last line of defence, never die silently
            _log.exception("camera %s: capture thread failed", self._name)
        finally:
            if self._stopping.is_set():
                self._set_state(CameraState.STOPPED, None)

    def _read_frames(self, capture: CaptureLike) -> tuple[_Outcome, int, str | None]:
        """Read until the source fails, ends, or stop(); returns (outcome, frames, detail)."""
        has_end = source_kind(self.settings.source) in (SourceKind.FILE, SourceKind.FOLDER)
        period = self._playback_period(capture)
        frames = 0
        due = time.monotonic()
        while not self._stopping.is_set():
            ok, frame = capture.read()
            if self._stopping.is_set():
                break
            if not ok or frame is None:
                if has_end and frames:
                    return _Outcome.ENDED, frames, None
                return _Outcome.FAILED, frames, "no frames" if not frames else "read failed"
            frames += 1
            self.frames_captured += 1
            now = time.monotonic()
            self._capture_rate.tick(now)
            self._latest.put(_Captured(frame, self.frames_captured, now))
            if frames == 1:
                self._set_state(CameraState.CONNECTED, None)
            if period:
                # Play files at their rate, as a camera would deliver them. Never burst to
                # catch up after a stall: that would only overwrite frames in the slot.
                due = max(due + period, now)
                self._stopping.wait(due - now)
        return _Outcome.STOPPED, frames, None

    def _playback_period(self, capture: CaptureLike) -> float:
        """Seconds between frames for sources the capture thread paces itself (0: unpaced)."""
        kind = source_kind(self.settings.source)
        if self.settings.kind != "simulated" and kind not in (SourceKind.FILE, SourceKind.FOLDER):
            return 0.0  # devices and streams pace themselves
        fps = self.settings.fps
        if fps is None:
            try:
                native = float(capture.get(cv2.CAP_PROP_FPS))
            except Exception:
                native = 0.0
            fps = native if 0 < native <= 240 else DEFAULT_PLAYBACK_FPS
        return 1.0 / fps if fps > 0 else 0.0

    # -- the decode thread -----------------------------------------------------------------

    def _decode_loop(self) -> None:
        while not self._stopping.is_set():
            captured = self._latest.take(timeout=0.25)
            if captured is None:
                continue
            try:
                self._decode(captured)
            except Exception as exc:  # pragma: no cover - a bug here must not end the thread
                self.decode_errors += 1
                self._report_error(f"frame {captured.sequence} failed: {exc!r}", exc)

    def _decode(self, captured: _Captured) -> None:
        started = time.perf_counter()
        try:
            image = normalize_frame(captured.frame)
        except BadFrameError as exc:
            self.bad_frames += 1
            self._report_error(f"bad frame: {exc}")
            return
        try:
            detections = self._decoder.decode(to_grey(image))
        except Exception as exc:
            self.decode_errors += 1
            self._report_error(f"decoder {self._decoder.name} failed: {exc!r}", exc)
            return
        decode_ms = (time.perf_counter() - started) * 1000
        now = time.monotonic()
        self._decode_rate.tick(now)
        self.frames_decoded += 1
        self.last_decode_ms = decode_ms
        self.last_latency_ms = (now - captured.captured_at) * 1000
        seen = []
        for detection in detections:
            fresh = self._repeats.admit(detection.raw, detection.symbology)
            seen.append(FrameDetection(detection, repeat=not fresh))
            if fresh:
                self._deliver(detection, image)
        with self._lock:
            frame_callbacks = list(self._frame_callbacks)
        if frame_callbacks:
            report = self._report(image, captured, tuple(seen), decode_ms, now)
            for callback in frame_callbacks:
                self._call(callback, report, "a frame listener")

    def _report(
        self,
        image: Frame,
        captured: _Captured,
        seen: tuple[FrameDetection, ...],
        decode_ms: float,
        now: float,
    ) -> FrameReport:
        height, width = image.shape[:2]
        scale = min(1.0, self.settings.preview_width / width) if self.settings.preview_width else 1
        if scale < 1.0:
            size = (max(1, round(width * scale)), max(1, round(height * scale)))
            preview = np.asarray(cv2.resize(image, size, interpolation=cv2.INTER_AREA), np.uint8)
        else:
            preview = image.copy()  # the listener may keep it; never share the capture buffer
        return FrameReport(
            image=preview,
            scale=scale,
            frame_size=(width, height),
            sequence=captured.sequence,
            detections=seen,
            decode_ms=decode_ms,
            latency_ms=self.last_latency_ms,
            capture_fps=self._capture_rate.rate(now),
            decode_fps=self._decode_rate.rate(now),
            dropped=self._latest.dropped,
        )

    def _deliver(self, detection: Detection, image: Frame) -> None:
        # The frame goes with the scan (evidence of what was read); it is never written to
        # again: every capture read returns a fresh array.
        scan = RawScan.now(
            detection.raw,
            source=self.source,
            symbology=detection.symbology or None,
            corners=detection.corners,
            image=image,
        )
        self.scans_delivered += 1
        with self._lock:
            callbacks = list(self._callbacks)
        for callback in callbacks:
            self._call(callback, scan, "a subscriber")

    def _call(self, callback: Callable[[Any], None], value: object, what: str) -> None:
        try:
            callback(value)
        except Exception:
            self.failed_callbacks += 1
            _log.exception("camera %s: %s failed", self._name, what)

    def _report_error(self, message: str, exc: BaseException | None = None) -> None:
        self.last_error = message
        now = time.monotonic()
        if now - self._last_error_report < _ERROR_REPORT_INTERVAL:
            _log.debug("camera %s: %s", self._name, message)
            return
        self._last_error_report = now
        _log.warning("camera %s: %s", self._name, message, exc_info=exc)
        with self._lock:
            callbacks = list(self._error_callbacks)
        for callback in callbacks:
            self._call(callback, message, "an error listener")

    def _set_state(self, state: CameraState, detail: str | None) -> None:
        with self._state_lock:
            if self._stopping.is_set() and state != CameraState.STOPPED:
                return  # a read that returns after stop() must not revive the camera
            if detail is not None and state == CameraState.DISCONNECTED:
                self.last_error = detail
            if state == self._state:
                _log.debug("camera %s: still %s: %s", self._name, state.value, detail)
                return
            self._state = state
        if state == CameraState.DISCONNECTED:
            _log.warning("camera %s: disconnected: %s", self._name, detail)
        else:
            _log.info("camera %s: %s", self._name, state.value)
        with self._lock:
            callbacks = list(self._state_callbacks)
        for callback in callbacks:
            try:
                callback(state, detail)
            except Exception:
                self.failed_callbacks += 1
                _log.exception("camera %s: a state listener failed", self._name)


def build_camera(
    settings: CameraSettings, name: str | None = None, decoder: FrameDecoder | None = None
) -> CameraScanSource:
    """The camera ``settings`` describe (not started): the twin for ``kind="simulated"``."""
    if settings.kind == "simulated":
        from drivers.simulated.camera import SimulatedCamera  # noqa: PLC0415 - it imports us

        return SimulatedCamera.from_settings(settings, name=name, decoder=decoder)
    if settings.kind != "device":
        msg = f"unknown camera kind {settings.kind!r} (expected 'device' or 'simulated')"
        raise ValueError(msg)
    return CameraScanSource(settings, name=name, decoder=decoder)
