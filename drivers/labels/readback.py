"""Read a label image back: every symbol on it, as a scanner with AIM identifiers would send it.

Print-and-verify compares these with what the label must carry (``BarcodeItem.expected``). The
image is a camera frame of the printed label, or — with the simulated camera — the label as
rendered for the printer (:func:`drivers.labels.raster.render_png`).
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from drivers.camera.decoders import ZxingDecoder
from drivers.camera.detection import Frame

__all__ = ["LABEL_FORMATS", "read_frame", "read_png"]

#: Every symbology a station label may carry.
LABEL_FORMATS = ("DataMatrix", "Code128", "QRCode")


def read_frame(frame: Frame) -> list[str]:
    """The content of every symbol zxing-cpp validates in ``frame`` (AIM id + text, GS kept)."""
    detections = ZxingDecoder(LABEL_FORMATS).decode(frame)
    return [d.scan_bytes().decode("utf-8", "replace") for d in detections]


def read_png(png: bytes) -> list[str]:
    """:func:`read_frame` on a PNG (grey or colour)."""
    with Image.open(io.BytesIO(png)) as image:
        grey = np.asarray(image.convert("L"))
    return read_frame(grey)
