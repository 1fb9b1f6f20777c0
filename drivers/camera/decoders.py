"""Frame decoders: zxing-cpp restricted to the configured symbologies (first version, one pass).

The multi-pass strategy (ROI around previous hits, upscaling, adaptive threshold) builds on
:class:`ZxingDecoder`; see ``docs/cameras.md``.
"""

from __future__ import annotations

from collections.abc import Sequence

import zxingcpp

from drivers.camera.detection import Detection, Frame, Point

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


class ZxingDecoder:
    """zxing-cpp, one pass, with the measured settings: formats restricted, ``try_invert`` off."""

    name = "zxing-cpp"

    def __init__(
        self, formats: Sequence[str] = DEFAULT_FORMATS, *, try_invert: bool = False
    ) -> None:
        self._formats = zxing_formats(formats)
        self._try_invert = try_invert

    def decode(self, frame: Frame) -> list[Detection]:
        results = zxingcpp.read_barcodes(
            frame,
            formats=self._formats,
            try_invert=self._try_invert,
            text_mode=zxingcpp.TextMode.Plain,
        )
        return [
            Detection(
                raw=r.text.encode("utf-8", "surrogatepass"),
                symbology=r.symbology_identifier,
                format=format_name(r.format),
                corners=corners_of(r.position),
                decoder=self.name,
                found_by="full",
            )
            for r in results
            if r.valid
        ]
