"""pyzbar (ZBar) as a frame decoder: the optional second reader for Code 128 and QR.

ZBar cannot read DataMatrix and reports no AIM identifier: a GS1-128 and a plain Code 128 come
back the same (ZBar drops the leading FNC1), and a GS1 QR looks like a plain QR with GS in it.
So its detections carry an **empty** ``symbology`` rather than a guessed one: the code reader
then recognises GS1 content on its own, as it does for a scanner with AIM identifiers off
(``docs/codes.md`` §7). pyzbar is imported lazily; without ``libzbar0`` the decoder raises
:class:`ZbarUnavailableError` with the fix in its message.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from drivers.camera.detection import Detection, Frame, Point
from drivers.camera.regions import Crop, to_grey

#: Our format names → ZBar's symbol names. DataMatrix has none: ZBar cannot read it.
_ZBAR_NAMES = {"Code128": "CODE128", "QRCode": "QRCODE"}
_FORMAT_OF = {v: k for k, v in _ZBAR_NAMES.items()}


class ZbarUnavailableError(RuntimeError):
    """pyzbar or the ZBar shared library is missing."""


def load_pyzbar() -> Any:
    """The ``pyzbar.pyzbar`` module, or :class:`ZbarUnavailableError` saying what to install."""
    try:
        from pyzbar import pyzbar  # type: ignore[import-untyped]  # noqa: PLC0415 - optional
    except ImportError as exc:  # pyzbar raises ImportError when libzbar is missing too
        msg = (
            "pyzbar is not usable: install the pyzbar package and, on Linux, the ZBar "
            f"library (apt install libzbar0) ({exc})"
        )
        raise ZbarUnavailableError(msg) from exc
    return pyzbar


def zbar_available() -> bool:
    try:
        load_pyzbar()
    except ZbarUnavailableError:
        return False
    return True


def _corners(polygon: Sequence[Any]) -> tuple[Point, Point, Point, Point]:
    points = [(int(p.x), int(p.y)) for p in polygon]
    if len(points) == 4:
        return points[0], points[1], points[2], points[3]
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return (min(xs), min(ys)), (max(xs), min(ys)), (max(xs), max(ys)), (min(xs), max(ys))


class PyzbarDecoder:
    """Raw pyzbar on the whole frame (Code 128 and QR only), for comparison and diagnostics."""

    name = "pyzbar"

    def __init__(self, formats: Sequence[str] = ("Code128", "QRCode")) -> None:
        self._pyzbar = load_pyzbar()
        self._symbols = [
            getattr(self._pyzbar.ZBarSymbol, _ZBAR_NAMES[f]) for f in formats if f in _ZBAR_NAMES
        ]

    def decode(self, frame: Frame) -> list[Detection]:
        if not self._symbols:
            return []
        return self.read(Crop(to_grey(frame), _IDENTITY), found_by="full")

    def read(self, crop: Crop, *, found_by: str) -> list[Detection]:
        """Decode a crop; corners are mapped back to the frame."""
        found = []
        for symbol in self._pyzbar.decode(crop.image, symbols=self._symbols):
            corners = _corners(symbol.polygon)
            found.append(
                Detection(
                    raw=bytes(symbol.data),
                    symbology="",  # ZBar gives no AIM identifier; never guess one
                    format=_FORMAT_OF.get(str(symbol.type), str(symbol.type)),
                    corners=(
                        crop.to_frame(corners[0]),
                        crop.to_frame(corners[1]),
                        crop.to_frame(corners[2]),
                        crop.to_frame(corners[3]),
                    ),
                    decoder=self.name,
                    found_by=found_by,
                )
            )
        return found


_IDENTITY = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
