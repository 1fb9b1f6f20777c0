"""Synthetic camera frames of device labels: the tests', benchmarks' and demo camera's input.

Each frame is a label (symbol with its quiet zone, a line of printed text, a border) lying on a
textured desk, seen through a camera: placed with :func:`cv2.warpPerspective`, then glare,
blur and sensor noise. Everything comes from a seeded generator, so a seed names one frame
exactly and a test can pin a hard case by its seed.

The symbols are drawn by zxing-cpp's own encoder (``docs/codes.md`` §10), one pixel per
module, and placed by :mod:`drivers.camera.synth_draw`. :class:`LabelSpec` carries the bytes a
correct read must give (AIM identifier + content, GS included), so a benchmark never trusts
the decoder under test.

>>> spec = standard_specs()[0]
>>> spec.format, spec.expected[:3]
('DataMatrix', b']d2')
>>> frame = label_frame(spec, Distortion(), size=(320, 240), seed=1)
>>> frame.shape, frame.dtype.name
((240, 320, 3), 'uint8')
>>> bool((label_frame(spec, Distortion(), (320, 240), seed=1) == frame).all())
True
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import cv2
import numpy as np

from drivers.camera.detection import Frame
from drivers.camera.synth_draw import (
    Distortion,
    LabelSpec,
    empty_frame,
    label_frame,
    seeded_rng,
    symbol_modules,
)

__all__ = [
    "Distortion",
    "LabelSpec",
    "clean_set",
    "distorted_case",
    "distorted_item",
    "distorted_set",
    "empty_frame",
    "label_frame",
    "standard_specs",
    "symbol_modules",
    "write_folder",
    "write_video",
]


def standard_specs() -> list[LabelSpec]:
    """The symbols a device label carries (``docs/codes.md``): one of each kind.

    The expected bytes are written out here, not decoded, so they are an independent oracle;
    ``tests/unit/test_camera_synth.py`` checks a clean render decodes to exactly them.
    """
    return [
        LabelSpec(
            "(01)04012345123456(17)261231(10)LOT-A1(21)SN0001",
            "DataMatrix",
            gs1=True,
            expected=b"]d2010401234512345617261231" + b"10LOT-A1\x1d21SN0001",
            name="GS1 DataMatrix",
        ),
        LabelSpec(
            # The often-quoted "+A99912345/$$52001510X3" has a wrong check character (mod 43
            # of the rest is 0), so the station reader would flag it; this one is valid.
            "+A99912345/$$52001510X0",
            "DataMatrix",
            gs1=False,
            expected=b"]d1+A99912345/$$52001510X0",
            name="HIBC DataMatrix",
        ),
        LabelSpec(
            "(01)04012345123456(17)261231(10)LOT-A1",
            "Code128",
            gs1=True,
            expected=b"]C101040123451234561726123110LOT-A1",
            name="GS1-128",
        ),
        LabelSpec(
            "(01)04012345123456(10)LOT-B7(21)SN0042",
            "QRCode",
            gs1=True,
            expected=b"]Q3010401234512345610LOT-B7\x1d21SN0042",
            name="GS1 QR",
        ),
        LabelSpec(
            "https://id.gs1.org/01/04012345123456/10/LOT-A1/21/SN0001",
            "QRCode",
            gs1=False,
            expected=b"]Q1https://id.gs1.org/01/04012345123456/10/LOT-A1/21/SN0001",
            name="Digital Link QR",
        ),
    ]


#: Per-format module sizes (px) that count as "small" at 720p: near each reader's limit.
_SMALL = {"DataMatrix": (1.6, 2.6), "QRCode": (1.6, 2.6), "Code128": (1.0, 1.8)}
_NORMAL = {"DataMatrix": (3.0, 7.0), "QRCode": (3.0, 6.0), "Code128": (2.0, 4.0)}


def _random_distortion(
    rng: np.random.Generator, spec: LabelSpec, size: tuple[int, int]
) -> Distortion:
    """One hard-ish view: one to three of the distortion kinds, scaled to the frame height."""
    factor = size[1] / 720
    kinds = ["small", "rotate", "blur", "noise", "perspective", "contrast", "glare"]
    picked = set(rng.choice(kinds, size=int(rng.choice([1, 1, 2, 2, 3])), replace=False))
    lo, hi = _SMALL[spec.format] if "small" in picked else _NORMAL[spec.format]
    return Distortion(
        rotation_deg=float(rng.uniform(0, 360))
        if "rotate" in picked
        else float(rng.uniform(-4, 4)),
        blur_sigma=float(rng.uniform(1.0, 2.5)) * factor if "blur" in picked else 0.0,
        noise_sigma=float(rng.uniform(5, 20)) if "noise" in picked else float(rng.uniform(0, 3)),
        perspective=float(rng.uniform(0.08, 0.3)) if "perspective" in picked else 0.0,
        contrast=float(rng.uniform(0.2, 0.45)) if "contrast" in picked else 1.0,
        module_px=float(rng.uniform(lo, hi)) * factor,
        glare=float(rng.uniform(0.4, 0.9)) if "glare" in picked else 0.0,
    )


def distorted_set(
    size: tuple[int, int] = (1280, 720), count: int = 200, seed: int = 0
) -> list[tuple[Frame, bytes | None]]:
    """The benchmark's hard frames with the bytes a correct read gives (None: no code).

    About 15% are :func:`empty_frame`; the rest cycle through :func:`standard_specs` with one
    to three distortions each (small modules, any rotation, blur, noise, perspective, low
    contrast, glare). Frame ``i`` depends only on ``(size, seed, i)``.
    """
    return [distorted_item(size, seed, i) for i in range(count)]


def distorted_case(
    size: tuple[int, int], seed: int, index: int
) -> tuple[LabelSpec | None, Distortion | None, int]:
    """What frame ``index`` of :func:`distorted_set` shows: spec and distortion (None: empty
    frame) and the frame's own seed."""
    rng = seeded_rng(seed * 100_003 + index)
    frame_seed = int(rng.integers(0, 2**31))
    if rng.random() < 0.15:
        return None, None, frame_seed
    specs = standard_specs()
    spec = specs[index % len(specs)]
    return spec, _random_distortion(rng, spec, size), frame_seed


def distorted_item(size: tuple[int, int], seed: int, index: int) -> tuple[Frame, bytes | None]:
    """Frame ``index`` of :func:`distorted_set` alone (a test can pin one hard case)."""
    spec, distortion, frame_seed = distorted_case(size, seed, index)
    if spec is None or distortion is None:
        return empty_frame(size, frame_seed), None
    return label_frame(spec, distortion, size, frame_seed), spec.expected


def clean_set(
    size: tuple[int, int] = (1280, 720), count: int = 50, seed: int = 0
) -> list[tuple[Frame, bytes | None]]:
    """Square-on, sharp labels at ordinary module sizes, plus ~15% empty frames."""
    specs = standard_specs()
    factor = size[1] / 720
    items: list[tuple[Frame, bytes | None]] = []
    for index in range(count):
        rng = seeded_rng(seed * 100_003 + index + 7_777_777)
        frame_seed = int(rng.integers(0, 2**31))
        if rng.random() < 0.15:
            items.append((empty_frame(size, frame_seed), None))
            continue
        spec = specs[index % len(specs)]
        lo, hi = _NORMAL[spec.format]
        distortion = Distortion(
            rotation_deg=float(rng.uniform(-3, 3)),
            noise_sigma=2.0,
            module_px=float(rng.uniform(lo, hi)) * factor,
        )
        items.append((label_frame(spec, distortion, size, frame_seed), spec.expected))
    return items


def write_video(path: str | Path, frames: Iterable[Frame], fps: float = 15) -> Path:
    """Write frames as MJPG in an ``.avi`` (what ``cv2.VideoCapture`` reads on every OS)."""
    target = Path(path)
    writer: cv2.VideoWriter | None = None
    try:
        for frame in frames:
            bgr = frame if frame.ndim == 3 else cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR)
            if writer is None:
                fourcc = cv2.VideoWriter.fourcc(*"MJPG")
                writer = cv2.VideoWriter(str(target), fourcc, fps, (bgr.shape[1], bgr.shape[0]))
                if not writer.isOpened():
                    msg = f"cannot write video {target}"
                    raise OSError(msg)
            writer.write(bgr)
    finally:
        if writer is not None:
            writer.release()
    if writer is None:
        msg = "no frames to write"
        raise ValueError(msg)
    return target


def write_folder(path: str | Path, frames: Iterable[Frame]) -> list[Path]:
    """Write frames as ``frame-00000.png`` … into ``path`` (created); returns the files."""
    folder = Path(path)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for index, frame in enumerate(frames):
        target = folder / f"frame-{index:05d}.png"
        if not cv2.imwrite(str(target), frame):
            msg = f"cannot write {target}"
            raise OSError(msg)
        written.append(target)
    return written
