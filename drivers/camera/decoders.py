"""Frame decoders: zxing-cpp one pass, the station's multi-pass strategy, raw pyzbar.

:class:`ZxingDecoder` is zxing-cpp with the measured settings (``docs/codes.md`` §9).
:class:`StationDecoder` (:mod:`drivers.camera.multipass`) adds passes that look again where a
code probably is; ``docs/camera-decoding.md`` gives what each costs and earns.
:class:`PyzbarDecoder` (:mod:`drivers.camera.zbar`) is raw ZBar for comparison. All three are
importable from here, as are the zxing-cpp helpers of :mod:`drivers.camera.formats`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import zxingcpp

from drivers.camera.detection import Detection, Frame
from drivers.camera.formats import (
    DEFAULT_FORMATS,
    corners_of,
    detection_of,
    format_name,
    format_set,
    position_points,
    zxing_formats,
)
from drivers.camera.multipass import StationDecoder
from drivers.camera.regions import to_grey
from drivers.camera.zbar import PyzbarDecoder, ZbarUnavailableError


class ZxingDecoder:
    """zxing-cpp, one pass, with the measured settings: formats restricted, ``try_invert`` off."""

    name = "zxing-cpp"

    def __init__(
        self, formats: Sequence[str] = DEFAULT_FORMATS, *, try_invert: bool = False
    ) -> None:
        self._formats = format_set(formats)
        self._try_invert = try_invert

    def decode(self, frame: Frame) -> list[Detection]:
        plain = (
            frame.dtype == np.uint8
            and frame.size > 0
            and (frame.ndim == 2 or (frame.ndim == 3 and frame.shape[2] == 3))
        )
        results = zxingcpp.read_barcodes(
            frame if plain else to_grey(frame),
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


__all__ = [
    "DEFAULT_FORMATS",
    "PyzbarDecoder",
    "StationDecoder",
    "ZbarUnavailableError",
    "ZxingDecoder",
    "corners_of",
    "detection_of",
    "format_name",
    "format_set",
    "position_points",
    "zxing_formats",
]
