"""The station's frame decoder: one full-frame zxing-cpp pass, then a few targeted looks.

Pass 1 reads the whole frame (smoothed first if it is noisy: :func:`noise_level`) with the
measured settings and ``return_errors=True``, which costs no time and also yields
*candidates*: symbols zxing-cpp located but could not decode. (Rarely zxing-cpp then reports a
symbol's failed attempt instead of its valid read; the candidate pass reads it back.) Only when
something is left to find do the targeted passes run, in this order, while the frame's time
budget lasts:

``roi``        (only if nothing was read) boxes where codes were read in the last frames,
               cut out and enlarged ×2;
``candidate``  each undecoded candidate, cut out with a margin and enlarged ×2;
``linear``     (only if nothing was read) bar-code-like regions found by OpenCV's 1D
               *detector* (its decoder is not used), turned upright and read again.
``pyzbar``     optional, last: ZBar on the candidate and linear crops zxing-cpp could not
               read (Code 128 / QR only; its reads carry no AIM identifier).

What was measured to earn its time, and what was dropped, is in ``docs/camera-decoding.md``.
Every pass accepts only reads zxing-cpp marks valid (error correction / check character
passed); nothing is guessed or repaired here.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence

import cv2
import numpy as np
import zxingcpp

from drivers.camera import formats as _base
from drivers.camera.detection import Detection, Frame
from drivers.camera.regions import (
    Box,
    Crop,
    RecentBoxes,
    box_crop,
    overlaps,
    quad_box,
    to_grey,
    upright_crop,
)
from drivers.camera.zbar import PyzbarDecoder, ZbarUnavailableError

#: Per-frame budget for a 720p frame: the passes after the first start only while the frame has
#: used less. Larger frames get proportionally more (:data:`BUDGET_REFERENCE_PIXELS`): every
#: pass costs about in proportion to the pixels, and with a fixed 20 ms a 1080p frame ran out of
#: budget before the any-angle Code 128 pass it needed. Measured in docs/benchmarks.md.
DEFAULT_BUDGET_MS = 20.0
BUDGET_REFERENCE_PIXELS = 1280 * 720
#: OpenCV's bar code detector downsamples so the shorter side is this many pixels: 360 found
#: nearly as many symbols as its default 512 at under half the time (measured at 720p).
_LINEAR_DETECT_SIDE = 360
#: Noise level (grey values, see :func:`noise_level`) above which pass 1 reads a smoothed frame.
_NOISY = 5.0
_LAPLACE = np.array([[1, -2, 1], [-2, 4, -2], [1, -2, 1]], dtype=np.float32)
_IDENTITY = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])


def noise_level(grey: Frame) -> float:
    """Standard deviation of pixel noise, estimated (Immerkær 1996) on every third pixel.

    Cheap (~0.1 ms at 720p). Edges inflate it a little; a label on a desk reads ~2.5 clean.

    >>> rng = np.random.default_rng(1)
    >>> flat = np.full((300, 300), 128, np.uint8)
    >>> noisy = np.clip(flat + rng.normal(0, 10, flat.shape), 0, 255).astype(np.uint8)
    >>> round(noise_level(flat), 1), 8 < noise_level(noisy) < 12
    (0.0, True)
    """
    sample = np.ascontiguousarray(grey[::3, ::3])
    response = cv2.convertScaleAbs(cv2.filter2D(sample, cv2.CV_16S, _LAPLACE))
    return float(cv2.mean(response)[0]) * float(np.sqrt(np.pi / 2) / 6)


class StationDecoder:
    """Multi-pass zxing-cpp with per-instance memory of recent hits.

    One instance belongs to one worker thread (the camera's decode thread); a lock makes a
    stray concurrent call wait instead of corrupting the memory. ``last_passes`` names the
    passes the last frame ran, for diagnostics and the benchmark.
    """

    name = "station"

    def __init__(
        self,
        formats: Sequence[str] = _base.DEFAULT_FORMATS,
        *,
        pyzbar_second_pass: bool = False,
        budget_ms: float | None = None,
        roi_keep_frames: int = 15,
        linear_pass: bool = True,
        candidate_pass: bool = True,
        denoise: bool = True,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        self._names = tuple(formats)
        self._formats = _base.format_set(formats)
        # None: DEFAULT_BUDGET_MS per 720p frame, scaled with the frame's pixels.
        self._budget_s = budget_ms / 1000.0 if budget_ms is not None else None
        self._memory = RecentBoxes(keep=roi_keep_frames)
        self._candidate_pass = candidate_pass
        self._denoise = denoise
        self._linear = None
        if linear_pass and "Code128" in self._names:
            self._linear = cv2.barcode.BarcodeDetector()
            self._linear.setDownsamplingThreshold(_LINEAR_DETECT_SIDE)
        self._zbar: PyzbarDecoder | None = None
        if pyzbar_second_pass:
            zbar_formats = [f for f in self._names if f in ("Code128", "QRCode")]
            try:
                self._zbar = PyzbarDecoder(zbar_formats) if zbar_formats else None
            except ZbarUnavailableError:
                self._zbar = None  # optional: the station runs without ZBar
        self._clock = clock
        self._lock = threading.Lock()
        self.last_passes: tuple[str, ...] = ()

    @property
    def pyzbar_active(self) -> bool:
        """True when the ZBar second pass is on and ZBar could be loaded."""
        return self._zbar is not None

    def reset(self) -> None:
        """Forget recent hits (a new camera, a new session)."""
        with self._lock:
            self._memory.clear()

    def decode(self, frame: Frame) -> list[Detection]:
        with self._lock:
            return self._decode(frame)

    # ------------------------------------------------------------------ passes

    def _read(
        self, image: Frame, *, try_rotate: bool = True, return_errors: bool = False
    ) -> list[zxingcpp.Barcode]:
        return zxingcpp.read_barcodes(
            image,
            formats=self._formats,
            try_rotate=try_rotate,
            try_invert=False,
            text_mode=zxingcpp.TextMode.Plain,
            return_errors=return_errors,
        )

    def _decode(self, frame: Frame) -> list[Detection]:
        start = self._clock()
        grey = to_grey(frame)
        self._memory.tick()
        found = _Found()
        passes = ["full"]
        whole = Crop(grey, _IDENTITY)
        candidates: list[Box] = []
        noisy = self._denoise and noise_level(grey) > _NOISY
        # Sensor noise makes zxing-cpp chase edges (2x slower) and rarely helps it: smooth.
        first = np.asarray(cv2.GaussianBlur(grey, (3, 3), 0), np.uint8) if noisy else grey
        if noisy:
            passes.append("denoise")
        for result in self._read(first, return_errors=True):
            if result.valid:
                found.add(_base.detection_of(result, whole, self.name, "full"))
            else:
                box = quad_box(_base.position_points(result.position))
                if not any(overlaps(box, c) for c in candidates):
                    candidates.append(box)

        budget = self._budget_s
        if budget is None:
            scale = max(1.0, grey.shape[0] * grey.shape[1] / BUDGET_REFERENCE_PIXELS)
            budget = DEFAULT_BUDGET_MS * scale / 1000.0

        def in_budget() -> bool:
            return self._clock() - start < budget

        for box in self._memory.boxes() if not found.items else ():
            if not in_budget():
                continue
            passes.append("roi")
            self._read_crop(box_crop(grey, box, margin=0.3, upscale=2.0), "roi", found)
        missed: list[tuple[Box, Crop]] = []  # crops zxing-cpp could not read, for ZBar
        if self._candidate_pass:
            for box in candidates:
                if found.covers(box) or not in_budget():
                    continue
                passes.append("candidate")
                crop = box_crop(grey, box, margin=0.5, upscale=2.0)
                if not self._read_crop(crop, "candidate", found):
                    missed.append((box, crop))
        if self._linear is not None and not found.items and in_budget():
            passes.append("linear")
            missed += self._linear_pass(grey, found, in_budget)
        # ZBar last: its reads carry no AIM identifier, so any zxing-cpp read is preferred.
        if self._zbar is not None:
            for box, crop in missed:
                if found.covers(box) or not in_budget():
                    continue
                passes.append("pyzbar")
                for detection in self._zbar.read(crop, found_by="pyzbar"):
                    found.add(detection)
        self._memory.remember([d.bounding_box() for d in found.items])
        self.last_passes = tuple(dict.fromkeys(passes))
        return found.items

    def _crop_detections(
        self, crop: Crop, found_by: str, *, try_rotate: bool = True
    ) -> list[Detection]:
        """Valid reads in ``crop``, with corners in frame coordinates."""
        return [
            _base.detection_of(result, crop, self.name, found_by)
            for result in self._read(crop.image, try_rotate=try_rotate)
            if result.valid
        ]

    def _read_crop(
        self, crop: Crop, found_by: str, found: _Found, *, try_rotate: bool = True
    ) -> bool:
        added = False
        for detection in self._crop_detections(crop, found_by, try_rotate=try_rotate):
            added |= found.add(detection)
        return added

    def _linear_pass(
        self, grey: Frame, found: _Found, in_budget: Callable[[], bool]
    ) -> list[tuple[Box, Crop]]:
        """Read bar-code-like regions turned upright; returns the crops that stayed unread."""
        assert self._linear is not None
        ok, quads = self._linear.detectMulti(grey)
        if not ok or quads is None:
            return []
        missed: list[tuple[Box, Crop]] = []
        for quad in np.asarray(quads, dtype=np.float32).reshape(-1, 4, 2)[:4]:
            if not in_budget():
                break
            box = quad_box([(float(x), float(y)) for x, y in quad])
            if found.covers(box):
                continue
            crop = upright_crop(grey, quad)
            if not any(
                self._read_crop(variant, "linear", found, try_rotate=False)
                for variant in _linear_variants(crop)
            ):
                missed.append((box, crop))
        return missed


def _sharpen(image: Frame, sigma: float) -> Frame:
    return np.asarray(
        cv2.addWeighted(image, 2.0, cv2.GaussianBlur(image, (0, 0), sigma), -1.0, 0), np.uint8
    )


def _linear_variants(crop: Crop) -> Iterator[Crop]:
    """The upright crop, then (lazily, each only if the one before failed) variants that earned
    reads on the distorted set: bars ~1 px wide stretched ×2 along the bar sequence; faded or
    blurred bars contrast-stretched and sharpened; strongly blurred bars halved and sharpened.
    """
    yield crop
    image, transform = crop.image, crop.frame_to_crop
    stretched = cv2.resize(image, None, fx=2.0, fy=1.0, interpolation=cv2.INTER_CUBIC)
    yield Crop(np.asarray(stretched, np.uint8), np.diag([2.0, 1.0]) @ transform)
    normalised = np.asarray(
        cv2.normalize(image, np.empty_like(image), 0, 255, cv2.NORM_MINMAX), np.uint8
    )
    yield Crop(_sharpen(normalised, 2.0), transform)
    half = cv2.resize(image, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    yield Crop(_sharpen(np.asarray(half, np.uint8), 1.5), transform * 0.5)


def same_symbol(a: Detection, b: Detection) -> bool:
    """Two reports of one symbol: the same content at (mostly) the same place.

    Identical content elsewhere in the frame is a second label and is kept.
    """
    return a.raw == b.raw and overlaps(a.bounding_box(), b.bounding_box())


def deduplicate(detections: Sequence[Detection]) -> list[Detection]:
    """Detections without repeats of one symbol; the first report (earliest pass) wins."""
    kept: list[Detection] = []
    for detection in detections:
        if not any(same_symbol(detection, seen) for seen in kept):
            kept.append(detection)
    return kept


class _Found:
    """Detections of one frame, without the same symbol twice (see :func:`same_symbol`)."""

    def __init__(self) -> None:
        self.items: list[Detection] = []

    def add(self, detection: Detection) -> bool:
        if any(same_symbol(detection, seen) for seen in self.items):
            return False
        self.items.append(detection)
        return True

    def covers(self, box: Box) -> bool:
        return any(overlaps(box, d.bounding_box()) for d in self.items)
