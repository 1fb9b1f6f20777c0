"""What a camera reports: its state, what it saw in a frame, its counters, and the callbacks.

Plain values, shared by the camera source (``drivers/camera/source.py``), its twin, the Qt
bridge and the preview; nothing here runs a thread.
"""

from __future__ import annotations

import enum
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from drivers.camera.detection import Detection, Frame


class CameraState(enum.StrEnum):
    STOPPED = "stopped"
    CONNECTING = "connecting"
    CONNECTED = "connected"  # frames are arriving
    DISCONNECTED = "disconnected"  # retrying with backoff
    FINISHED = "finished"  # a file or folder played to its end (loop=False)


@dataclass(frozen=True, slots=True)
class FrameDetection:
    """A detection in one frame; ``repeat`` means the repeat filter held it back (not delivered)."""

    detection: Detection
    repeat: bool


@dataclass(frozen=True, slots=True)
class FrameReport:
    """What the decode thread saw in one frame, for the preview and diagnostics.

    ``image`` is a copy of the frame (BGR or grey), downscaled to at most
    ``CameraSettings.preview_width``; ``scale`` maps frame pixels to image pixels (detection
    corners are in frame pixels). Rates are measured over the last ~2 seconds.
    """

    image: Frame
    scale: float
    frame_size: tuple[int, int]  # (width, height) as captured
    sequence: int
    detections: tuple[FrameDetection, ...]
    decode_ms: float
    latency_ms: float  # from capture to the end of decoding
    capture_fps: float
    decode_fps: float
    dropped: int  # frames overwritten before the decoder took them, since start


@dataclass(frozen=True, slots=True)
class CameraStats:
    """Counters since start (a snapshot)."""

    frames_captured: int
    frames_decoded: int
    frames_dropped: int
    bad_frames: int
    decode_errors: int
    scans_delivered: int
    repeats_suppressed: int
    failed_callbacks: int
    connects: int
    capture_fps: float
    decode_fps: float
    last_decode_ms: float
    last_latency_ms: float


class RateMeter:
    """Events per second over a sliding time span (thread-safe).

    >>> meter = RateMeter(span=2.0)
    >>> for t in (0.0, 0.1, 0.2, 0.3, 0.4): meter.tick(t)
    >>> round(meter.rate(0.4), 1)
    10.0
    >>> meter.rate(10.0)
    0.0
    """

    def __init__(self, span: float = 2.0) -> None:
        self._span = span
        self._times: deque[float] = deque(maxlen=512)
        self._lock = threading.Lock()

    def tick(self, now: float) -> None:
        with self._lock:
            self._times.append(now)

    def rate(self, now: float) -> float:
        with self._lock:
            while self._times and self._times[0] < now - self._span:
                self._times.popleft()
            if len(self._times) < 2:
                return 0.0
            elapsed = self._times[-1] - self._times[0]
            return (len(self._times) - 1) / elapsed if elapsed > 0 else 0.0


FrameCallback = Callable[[FrameReport], None]
StateCallback = Callable[[CameraState, str | None], None]
ErrorCallback = Callable[[str], None]
