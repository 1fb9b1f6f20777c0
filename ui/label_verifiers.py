"""Label read-back for the print run: what a printed label was read as.

:class:`RenderedImageVerifier` decodes the label as rendered for the printer (what the simulated
camera would see); :class:`CameraVerifier` shows the rendered label to a
:class:`~drivers.simulated.camera.SimulatedCamera`, or with a real camera waits for the operator
to hold the printed label under it, and collects what the camera reads within a timeout.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Protocol

from station.errors import StationError
from station.labels.model import ResolvedLabel

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from drivers.camera.source import CameraScanSource
    from station.scanning.raw import RawScan

__all__ = ["CameraVerifier", "LabelVerifier", "RenderedImageVerifier", "VerifierError"]


class VerifierError(StationError):
    """The read-back itself could not run (no camera, a decoder failure): nothing is recorded."""


class LabelVerifier(Protocol):
    """Reads one printed label back: every symbol seen, as a scanner with AIM ids sends it."""

    #: True when the operator must act (hold the label under a real camera).
    needs_operator: bool

    def read(
        self, label: ResolvedLabel, *, index: int, dpi: int, cancel: threading.Event
    ) -> list[str] | None:
        """What was read from label ``index``; None when ``cancel`` was set while waiting."""
        ...


class RenderedImageVerifier:
    """Decodes the label as rendered for the printer (at its resolution) with zxing-cpp."""

    needs_operator = False

    def read(
        self, label: ResolvedLabel, *, index: int, dpi: int, cancel: threading.Event
    ) -> list[str] | None:
        import numpy as np  # noqa: PLC0415

        from drivers.labels.raster import render_image  # noqa: PLC0415
        from drivers.labels.readback import read_frame  # noqa: PLC0415

        del index, cancel
        return read_frame(np.asarray(render_image(label, dpi)))


def _label_frame(
    label: ResolvedLabel, dpi: int, frame_size: tuple[int, int]
) -> npt.NDArray[np.uint8]:
    """The rendered label lying on a grey desk, in a frame at least the camera's size."""
    import numpy as np  # noqa: PLC0415

    from drivers.labels.raster import render_image  # noqa: PLC0415

    image = np.asarray(render_image(label, dpi), dtype=np.uint8)
    height, width = image.shape
    margin = 40
    frame_w = max(frame_size[0], width + 2 * margin)
    frame_h = max(frame_size[1], height + 2 * margin)
    frame = np.full((frame_h, frame_w), 96, dtype=np.uint8)
    top, left = (frame_h - height) // 2, (frame_w - width) // 2
    frame[top : top + height, left : left + width] = image
    return frame


class CameraVerifier:
    """Reads labels back through a camera's scans.

    With a :class:`~drivers.simulated.camera.SimulatedCamera` each label, rendered at the
    printer's resolution, is shown to the camera (``camera.show``) until every expected symbol
    was read or ``timeout`` passed, then taken away. With a real camera it waits (up to
    ``timeout``) for the operator to hold the printed label under it. Only scans delivered
    while a label is being read count for that label. The camera must be started.

    A camera reports a code held in view once (its repeat filter); two labels in a row with the
    same content are therefore read only when the first was taken away for longer than the
    camera's ``repeat_window``. The simulated camera waits that long before showing the second;
    an operator with a real camera takes the first label away.
    """

    def __init__(self, camera: CameraScanSource, *, timeout: float = 10.0) -> None:
        from drivers.simulated.camera import SimulatedCamera  # noqa: PLC0415

        self.camera = camera
        self.timeout = timeout
        self.simulated = isinstance(camera, SimulatedCamera)
        self.needs_operator = not self.simulated
        self._cond = threading.Condition()
        self._armed = False
        self._seen: list[str] = []
        self._previous: set[str] = set()
        self._taken_away_at = -float("inf")
        camera.subscribe(self._on_scan)  # cameras have no unsubscribe: one verifier per camera

    def _on_scan(self, scan: RawScan) -> None:  # on the camera's decode thread
        with self._cond:
            if self._armed:
                self._seen.append(scan.reader_input().decode("utf-8", "replace"))
                self._cond.notify_all()

    def _wait(self, seconds: float, cancel: threading.Event) -> bool:
        """Sleep ``seconds`` unless cancelled; False when cancelled."""
        return not cancel.wait(max(0.0, seconds))

    def read(
        self, label: ResolvedLabel, *, index: int, dpi: int, cancel: threading.Event
    ) -> list[str] | None:
        del index
        if not self.camera.running:
            msg = f"the camera {self.camera.name} is not running"
            raise VerifierError(msg)
        expected = {item.expected for item in label.barcodes}
        frame = None
        if self.simulated:
            frame = _label_frame(label, dpi, self.camera.frame_size)  # type: ignore[attr-defined]
            if expected & self._previous:
                # The same code again: away for longer than the repeat window, as by hand.
                window = float(self.camera.settings.repeat_window)
                pause = self._taken_away_at + window + 0.5 - time.monotonic()
                if not self._wait(pause, cancel):
                    return None
        with self._cond:
            self._armed, self._seen = True, []
        if frame is not None:
            self.camera.show(frame)  # type: ignore[attr-defined]
        deadline = time.monotonic() + self.timeout
        try:
            with self._cond:
                while not expected <= set(self._seen):
                    if cancel.is_set():
                        return None
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        break
                    self._cond.wait(min(remaining, 0.05))
                return list(self._seen)
        finally:
            with self._cond:
                self._armed = False
            if frame is not None:
                self.camera.clear()  # type: ignore[attr-defined]
            self._previous = expected
            self._taken_away_at = time.monotonic()
