"""zxing-cpp glue shared by the decoders: format names, positions, results as Detections.

>>> format_name(zxingcpp.BarcodeFormat.DataMatrix), len(format_set(DEFAULT_FORMATS))
('DataMatrix', 3)
"""

from __future__ import annotations

from collections.abc import Sequence

import zxingcpp

from drivers.camera.detection import Detection, Point
from drivers.camera.regions import Crop

#: What a medical-device label carries (``docs/codes.md`` §9): GS1/HIBC DataMatrix, GS1-128,
#: QR (GS1 QR, Digital Link). Others cost decode time and are opt-in.
DEFAULT_FORMATS: tuple[str, ...] = ("DataMatrix", "Code128", "QRCode")


def zxing_formats(names: Sequence[str]) -> list[zxingcpp.BarcodeFormat]:
    """zxing-cpp format values for names such as ``"DataMatrix"``; unknown names raise."""
    formats = []
    for name in names:
        value = getattr(zxingcpp.BarcodeFormat, name, None)
        if not isinstance(value, zxingcpp.BarcodeFormat):
            msg = f"unknown barcode format {name!r}"
            raise ValueError(msg)
        formats.append(value)
    return formats


def format_set(names: Sequence[str]) -> zxingcpp.BarcodeFormats:
    """The ``formats=`` argument of :func:`zxingcpp.read_barcodes` (a set, not a list)."""
    return zxingcpp.BarcodeFormats(zxing_formats(names))


def format_name(barcode_format: zxingcpp.BarcodeFormat) -> str:
    """``"DataMatrix"`` for zxing-cpp's ``Data Matrix`` (names without spaces, as configured)."""
    return str(barcode_format).replace(" ", "").replace("-", "")


def corners_of(
    position: zxingcpp.Position, dx: float = 0, dy: float = 0, scale: float = 1
) -> tuple[Point, Point, Point, Point]:
    """Corners of a zxing-cpp position, mapped back from a crop (offset, scale) to the frame."""

    def point(p: zxingcpp.Point) -> Point:
        return round(p.x / scale + dx), round(p.y / scale + dy)

    return (
        point(position.top_left),
        point(position.top_right),
        point(position.bottom_right),
        point(position.bottom_left),
    )


def position_points(position: zxingcpp.Position) -> list[tuple[float, float]]:
    """The four corners of a zxing-cpp position as floats, top-left first."""
    return [
        (float(p.x), float(p.y))
        for p in (
            position.top_left,
            position.top_right,
            position.bottom_right,
            position.bottom_left,
        )
    ]


def detection_of(result: zxingcpp.Barcode, crop: Crop, decoder: str, found_by: str) -> Detection:
    """A valid zxing-cpp result in ``crop`` as a Detection in frame coordinates."""
    points = [crop.to_frame(p) for p in position_points(result.position)]
    return Detection(
        # TextMode.Plain keeps GS/RS/EOT; surrogatepass keeps any lone surrogate visible.
        raw=result.text.encode("utf-8", "surrogatepass"),
        symbology=result.symbology_identifier,
        format=format_name(result.format),
        corners=(points[0], points[1], points[2], points[3]),
        decoder=decoder,
        found_by=found_by,
    )
