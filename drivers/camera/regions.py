"""Where to look again: crops of a frame and the way back to frame coordinates.

A second pass decodes a small image cut from the frame (around an undecoded candidate, a
previous hit or a bar-code-like region), often enlarged or turned upright. Each such image
keeps the affine transform from frame to crop pixels, so whatever zxing-cpp finds in it maps
back to the frame exactly.

>>> grey = np.zeros((100, 200), np.uint8)
>>> crop = box_crop(grey, (50, 20, 40, 30), margin=0.0, upscale=2.0)  # pads 8 px at least
>>> crop.image.shape, crop.to_frame((0, 0)), crop.to_frame((112, 92))
((92, 112), (42, 12), (98, 58))
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

from drivers.camera.detection import Frame, Point

Box = tuple[int, int, int, int]  # x, y, width, height in frame pixels
Affine = npt.NDArray[np.float64]  # 2×3


@dataclass(frozen=True)
class Crop:
    """An image cut from the frame and the affine transform that made it."""

    image: Frame
    frame_to_crop: Affine

    def to_frame(self, point: tuple[float, float]) -> Point:
        """A crop pixel's position in the frame."""
        back = cv2.invertAffineTransform(self.frame_to_crop)
        x = back[0, 0] * point[0] + back[0, 1] * point[1] + back[0, 2]
        y = back[1, 0] * point[0] + back[1, 1] * point[1] + back[1, 2]
        return round(float(x)), round(float(y))


def to_grey(frame: npt.NDArray[np.generic]) -> Frame:
    """8-bit grey from what a camera or an image file gives: grey, BGR, BGRA, 16-bit, float.

    Anything else (no pixels, other shapes, other pixel types) raises ``ValueError``.

    >>> to_grey(np.full((2, 2, 4), 65535, np.uint16)).tolist()
    [[255, 255], [255, 255]]
    """
    image: npt.NDArray[Any] = np.asarray(frame)
    if image.ndim == 3 and image.shape[2] == 1:
        image = image[:, :, 0]
    if image.ndim not in (2, 3) or (image.ndim == 3 and image.shape[2] not in (3, 4)):
        msg = f"not an image: array of shape {image.shape}"
        raise ValueError(msg)
    if image.shape[0] == 0 or image.shape[1] == 0:
        msg = f"empty image: {image.shape[1]}×{image.shape[0]} pixels"
        raise ValueError(msg)
    if image.dtype != np.uint8:
        if image.dtype == np.uint16:
            image = (image >> 8).astype(np.uint8)
        elif np.issubdtype(image.dtype, np.floating):
            image = np.clip(np.nan_to_num(image) * 255.0, 0, 255).astype(np.uint8)
        else:
            msg = f"unsupported pixel type {image.dtype}"
            raise ValueError(msg)
    if image.ndim == 3:
        code = cv2.COLOR_BGRA2GRAY if image.shape[2] == 4 else cv2.COLOR_BGR2GRAY
        image = cv2.cvtColor(image, code)
    grey: Frame = np.ascontiguousarray(image)
    return grey


def quad_box(points: Sequence[tuple[float, float]]) -> Box:
    """Axis-aligned box (x, y, w, h) around points."""
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    x0, y0 = math.floor(min(xs)), math.floor(min(ys))
    return x0, y0, math.ceil(max(xs)) - x0, math.ceil(max(ys)) - y0


def box_crop(
    grey: Frame, box: Box, *, margin: float = 0.5, upscale: float = 2.0, max_side: int = 900
) -> Crop:
    """Cut ``box`` plus ``margin`` (fraction of its larger side, at least 8 px), enlarged.

    The enlargement is capped so the crop's longer side stays within ``max_side`` pixels:
    zxing-cpp's time grows with the pixel count.
    """
    height, width = grey.shape[:2]
    x, y, w, h = box
    pad = max(8.0, margin * max(w, h))
    x0, y0 = max(0, math.floor(x - pad)), max(0, math.floor(y - pad))
    x1, y1 = min(width, math.ceil(x + w + pad)), min(height, math.ceil(y + h + pad))
    if x1 - x0 < 2 or y1 - y0 < 2:
        x0, y0, x1, y1 = 0, 0, min(width, 2), min(height, 2)
    scale = max(1.0, min(upscale, max_side / max(x1 - x0, y1 - y0)))
    image: npt.NDArray[Any] = grey[y0:y1, x0:x1]
    if scale > 1.0:
        image = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
    transform = np.array([[scale, 0, -x0 * scale], [0, scale, -y0 * scale]], dtype=np.float64)
    return Crop(np.ascontiguousarray(image), transform)


def upright_crop(
    grey: Frame, quad: npt.NDArray[np.float32], *, grow: tuple[float, float] = (1.3, 1.6)
) -> Crop:
    """Cut the rotated rectangle around ``quad`` and turn it so its long side is horizontal.

    For linear symbols: zxing-cpp reads Code 128 only near 0°/90°, so a bar code found at
    any angle is rectified first. ``grow`` widens the box (quiet zones, finder slack).
    """
    (cx, cy), (w, h), angle = cv2.minAreaRect(quad.reshape(-1, 2).astype(np.float32))
    if w < h:
        w, h, angle = h, w, angle + 90
    w, h = max(8.0, w * grow[0]), max(8.0, h * grow[1])
    transform = cv2.getRotationMatrix2D((cx, cy), angle, 1.0)
    transform[0, 2] += w / 2 - cx
    transform[1, 2] += h / 2 - cy
    size = (math.ceil(w), math.ceil(h))
    image = cv2.warpAffine(
        grey, transform, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )
    return Crop(np.ascontiguousarray(image), np.asarray(transform, dtype=np.float64))


def overlaps(a: Box, b: Box) -> bool:
    """True when two boxes share at least a third of the smaller one's area."""
    ix = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    iy = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    if ix <= 0 or iy <= 0:
        return False
    smaller = max(1, min(a[2] * a[3], b[2] * b[3]))
    return ix * iy * 3 >= smaller


class RecentBoxes:
    """Where codes were in the last frames: a code that was read a moment ago and is missed
    now (motion blur, a tilt) is most likely still there. Boxes expire after ``keep`` frames.

    >>> memory = RecentBoxes(keep=2)
    >>> memory.remember([(10, 10, 5, 5)]); memory.boxes()
    [(10, 10, 5, 5)]
    >>> memory.tick(); memory.tick(); memory.boxes()
    []
    """

    def __init__(self, keep: int = 15, limit: int = 4) -> None:
        self._keep = keep
        self._limit = limit
        self._boxes: list[tuple[Box, int]] = []

    def remember(self, boxes: Sequence[Box]) -> None:
        fresh = [(b, self._keep) for b in boxes]
        old = [(b, t) for b, t in self._boxes if not any(overlaps(b, n) for n in boxes)]
        self._boxes = (fresh + old)[: self._limit]

    def tick(self) -> None:
        """One frame passed."""
        self._boxes = [(b, t - 1) for b, t in self._boxes if t > 1]

    def boxes(self) -> list[Box]:
        return [b for b, _ in self._boxes]

    def clear(self) -> None:
        self._boxes = []
