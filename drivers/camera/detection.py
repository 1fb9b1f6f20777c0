"""Detection: one code a frame decoder found, with where it is in the frame.

Every decoder (zxing-cpp, pyzbar, the station's multi-pass strategy) returns these, so the
camera source, the ``station decode`` command and the preview boxes share one shape.

>>> d = Detection(b"0104012345123456\\x1d21SN1", "]d2", "DataMatrix",
...               ((10, 10), (60, 10), (60, 60), (10, 60)), "zxing-cpp", "full")
>>> d.scan_bytes()[:3], d.bounding_box()
(b']d2', (10, 10, 50, 50))
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

Point = tuple[int, int]
#: A grey (H×W, uint8) or BGR (H×W×3, uint8) frame, as OpenCV delivers it.
Frame = npt.NDArray[np.uint8]


@dataclass(frozen=True, slots=True)
class Detection:
    """A decoded symbol.

    ``raw`` is the content as a scanner with AIM identifiers off would send it: control
    characters (GS for FNC1, RS, EOT) preserved, text encoded as UTF-8. ``symbology`` is the AIM
    identifier (``]d2`` GS1 DataMatrix, ``]C1`` GS1-128, ``]Q3`` GS1 QR …), empty when the
    decoder does not report one (pyzbar). ``corners`` are the symbol's four corners in frame
    pixels: top-left, top-right, bottom-right, bottom-left as the symbol is oriented.
    ``decoder`` names the library, ``found_by`` the pass of the strategy that found it.
    """

    raw: bytes
    symbology: str
    format: str
    corners: tuple[Point, Point, Point, Point]
    decoder: str
    found_by: str

    def scan_bytes(self) -> bytes:
        """The bytes the code reader takes: AIM identifier in front, as a scanner sends it."""
        return self.symbology.encode("ascii") + self.raw

    def bounding_box(self) -> tuple[int, int, int, int]:
        """``(x, y, width, height)`` of the axis-aligned box around the corners."""
        xs = [p[0] for p in self.corners]
        ys = [p[1] for p in self.corners]
        return min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)


class FrameDecoder(Protocol):
    """Anything that finds codes in a frame. Must be safe to call from one worker thread."""

    @property
    def name(self) -> str: ...

    def decode(self, frame: Frame) -> list[Detection]: ...
