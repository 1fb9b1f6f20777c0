"""Frames as capture backends deliver them, made safe for the decoder and the preview.

A camera driver, a video file or an image folder can hand back anything: 16-bit or float
images, an alpha channel, a (H, W, 1) array, a wrong shape, an absurd size. The decode thread
passes every frame through :func:`normalize_frame` and counts the ones it refuses.
"""

from __future__ import annotations

from typing import Any

import cv2
import numpy as np

from drivers.camera.detection import Frame

#: Frames larger than this (pixels) are refused: a broken or hostile stream must not make the
#: decoder allocate without bound. 8K UHD is 33 MP.
MAX_FRAME_PIXELS = 40_000_000
MIN_FRAME_SIDE = 8


class BadFrameError(Exception):
    """A frame the decoder cannot take: not an image, wrong shape, absurd size."""


def normalize_frame(frame: object) -> Frame:
    """An 8-bit grey or BGR image from whatever a capture backend returned.

    Accepts (H, W), (H, W, 1), (H, W, 3) and (H, W, 4) arrays of any numeric dtype (16-bit is
    shifted, floats are stretched); refuses anything else with :class:`BadFrameError`.

    >>> normalize_frame(np.zeros((10, 12, 4), np.uint8)).shape
    (10, 12, 3)
    >>> int(normalize_frame(np.full((10, 10), 65535, np.uint16)).max())
    255
    >>> normalize_frame(np.zeros((3, 3), np.uint8))
    Traceback (most recent call last):
    ...
    drivers.camera.frames.BadFrameError: frame too small: (3, 3)
    """
    if not isinstance(frame, np.ndarray):
        msg = f"frame is not an image array: {type(frame).__name__}"
        raise BadFrameError(msg)
    if frame.ndim == 3 and frame.shape[2] == 1:
        frame = frame[:, :, 0]
    if frame.ndim not in (2, 3) or (frame.ndim == 3 and frame.shape[2] not in (3, 4)):
        msg = f"unsupported frame shape: {frame.shape}"
        raise BadFrameError(msg)
    height, width = frame.shape[:2]
    if min(height, width) < MIN_FRAME_SIDE:
        msg = f"frame too small: {frame.shape}"
        raise BadFrameError(msg)
    if height * width > MAX_FRAME_PIXELS:
        msg = f"frame too large: {frame.shape}"
        raise BadFrameError(msg)
    image = _to_uint8(frame)
    if image.ndim == 3 and image.shape[2] == 4:
        image = np.asarray(cv2.cvtColor(image, cv2.COLOR_BGRA2BGR), dtype=np.uint8)
    return np.ascontiguousarray(image)


def _to_uint8(frame: np.ndarray[Any, Any]) -> Frame:
    if frame.dtype == np.uint8:
        return np.asarray(frame, dtype=np.uint8)
    if frame.dtype == np.uint16:
        return (frame >> 8).astype(np.uint8)
    if frame.dtype == np.bool_:
        return frame.astype(np.uint8) * np.uint8(255)
    if not np.issubdtype(frame.dtype, np.number) or np.issubdtype(frame.dtype, np.complexfloating):
        msg = f"unsupported frame dtype: {frame.dtype}"
        raise BadFrameError(msg)
    values = np.nan_to_num(frame.astype(np.float32), nan=0.0, posinf=0.0, neginf=0.0)
    low, high = float(values.min()), float(values.max())
    if high <= low:
        return np.zeros(frame.shape, np.uint8)
    return np.asarray((values - low) * (255.0 / (high - low)), dtype=np.uint8)


def to_grey(image: Frame) -> Frame:
    """The single-channel image decoders work on."""
    if image.ndim == 2:
        return image
    return np.asarray(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY), dtype=np.uint8)
