"""A simulated camera: the twin of a USB camera, for demos, tests and UI work without hardware.

It *is* a :class:`~drivers.camera.source.CameraScanSource` (the same capture and decode threads,
decoder, repeat filter and reports); only the frame source differs. It plays a video file or a
folder of images through the real OpenCV capture path (``cv2.VideoCapture`` / the folder
reader) at ``fps``, looping by default, or an idle desk when there is nothing to play. On demand
it shows a given frame instead, as if a label were held under the lens:

>>> from drivers.camera.synth import standard_specs
>>> camera = SimulatedCamera("demo", frame_size=(640, 480))
>>> scans = []
>>> camera.subscribe(scans.append)
>>> camera.start()
>>> _ = camera.show_code(standard_specs()[0], seconds=2)  # "hold this label under the camera"
>>> deadline = time.monotonic() + 5
>>> while not scans and time.monotonic() < deadline: time.sleep(0.01)
>>> scans[0].source, scans[0].reader_input()[:3]
('simulated-camera:demo', b']d2')
>>> camera.stop(); camera.running
False

Scans carry ``RawScan.source == "simulated-camera:<name>"`` so the record shows they were not
read from a real device.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from drivers.camera.detection import Frame, FrameDecoder
from drivers.camera.source import (
    CameraScanSource,
    CameraSettings,
    CaptureLike,
    SourceKind,
    open_capture,
    source_kind,
)
from drivers.camera.synth import Distortion, LabelSpec, empty_frame, label_frame

DEFAULT_SIZE = (1280, 720)


class _Lens:
    """What the twin is being shown on demand: one frame, until a deadline or until cleared."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._frame: Frame | None = None
        self._until: float | None = None

    def show(self, frame: Frame, seconds: float | None) -> None:
        with self._lock:
            self._frame = np.ascontiguousarray(frame).copy()
            self._until = None if seconds is None else time.monotonic() + seconds

    def clear(self) -> None:
        with self._lock:
            self._frame, self._until = None, None

    def current(self) -> Frame | None:
        with self._lock:
            if self._until is not None and time.monotonic() >= self._until:
                self._frame, self._until = None, None
            return self._frame


class SimulatedCapture:
    """A capture that reads the shown frame if any, else the file or folder, else the idle desk."""

    def __init__(self, lens: _Lens, inner: CaptureLike | None, idle: Frame) -> None:
        self._lens = lens
        self._inner = inner
        self._idle = idle

    def read(self) -> tuple[bool, Any]:
        shown = self._lens.current()
        if shown is not None:
            return True, shown.copy()  # a fresh array per frame, like a real capture
        if self._inner is None:
            return True, self._idle.copy()
        return self._inner.read()

    def get(self, prop_id: int, /) -> float:
        return self._inner.get(prop_id) if self._inner is not None else 0.0

    def release(self) -> None:
        if self._inner is not None:
            self._inner.release()


class SimulatedCamera(CameraScanSource):
    """The camera twin; select it with ``CameraSettings(kind="simulated", source=...)``.

    ``source``: a video file, a folder of images, an image pattern, or "" for an idle desk.
    """

    source_prefix = "simulated-camera"

    def __init__(
        self,
        name: str = "simulated",
        source: str | Path = "",
        *,
        fps: float = 15.0,
        loop: bool = True,
        decoder: FrameDecoder | None = None,
        repeat_window: float = 1.5,
        frame_size: tuple[int, int] = DEFAULT_SIZE,
        settings: CameraSettings | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if settings is None:
            settings = CameraSettings(
                source=str(source),
                kind="simulated",
                fps=fps,
                loop=loop,
                repeat_window=repeat_window,
            )
        self.frame_size = frame_size
        self._lens = _Lens()
        self._idle: Frame | None = None
        super().__init__(settings, name=name, decoder=decoder, opener=self._open, clock=clock)

    @classmethod
    def from_settings(
        cls, settings: CameraSettings, name: str | None = None, decoder: FrameDecoder | None = None
    ) -> SimulatedCamera:
        return cls(name or "simulated", decoder=decoder, settings=settings)

    def show(self, frame: Frame, seconds: float | None = None) -> None:
        """Show ``frame`` from the next capture on, for ``seconds`` (None: until :meth:`clear`)."""
        self._lens.show(frame, seconds)

    def show_code(
        self,
        spec: LabelSpec,
        distortion: Distortion | None = None,
        seconds: float | None = None,
        seed: int = 0,
    ) -> Frame:
        """Show the label of ``spec`` (a synthetic frame), as if held under the camera."""
        frame = label_frame(spec, distortion or Distortion(), self.frame_size, seed=seed)
        self.show(frame, seconds)
        return frame

    def clear(self) -> None:
        """Back to the file, folder or idle desk."""
        self._lens.clear()

    def _open(self, settings: CameraSettings) -> CaptureLike:
        # The real opener reads files and folders, so playback exercises the real capture path.
        inner = None if source_kind(settings.source) == SourceKind.NONE else open_capture(settings)
        if self._idle is None:
            self._idle = empty_frame(self.frame_size, seed=0)
        return SimulatedCapture(self._lens, inner, self._idle)
