"""Drawing synthetic label frames: the symbol, the label, the desk, the camera's faults.

:mod:`drivers.camera.synth` is the public face (specs, frame sets, video and folder writers);
this module holds the drawing. The symbol is drawn by zxing-cpp's encoder, one pixel per
module (``docs/codes.md`` §10), put on a printed label and placed on a textured desk with
:func:`cv2.warpPerspective`; then glare, blur and sensor noise. Everything comes from a
seeded generator: a seed names one frame exactly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt
import zxingcpp

from drivers.camera.detection import Frame

FloatImage = npt.NDArray[np.float32]

#: Quiet zone in modules: ISO minimum (DataMatrix 1, QR 4, Code 128 10) with DataMatrix at 2
#: as label printers lay it out.
_QUIET = {"DataMatrix": 2, "QRCode": 4, "Code128": 10}
#: Code 128 bar height in modules (zxing-cpp draws 50; ~13 mm at X = 0.25 mm is about 50).
_BAR_HEIGHT = 40


@dataclass(frozen=True)
class Distortion:
    """How the camera sees the label. The defaults are a clean, square-on view.

    ``perspective`` is the corner jitter as a fraction of the label's size (0 … 0.3);
    ``contrast`` the ink/paper contrast (1 = black on white, 0.2 = faded thermal print);
    ``module_px`` pixels per module in the frame (capped so the label fits the frame);
    ``glare`` the strength of a specular highlight (0 … 1, 1 saturates its centre).
    """

    rotation_deg: float = 0
    blur_sigma: float = 0
    noise_sigma: float = 0
    perspective: float = 0
    contrast: float = 1.0
    module_px: float = 6
    glare: float = 0


@dataclass(frozen=True)
class LabelSpec:
    """One symbol: HRI ``content`` (GS1) or plain text, and the bytes a correct read yields."""

    content: str
    format: str
    gs1: bool
    expected: bytes
    name: str = ""


def symbol_modules(spec: LabelSpec) -> npt.NDArray[np.uint8]:
    """The symbol at one pixel per module, no quiet zone: 0 = ink, 255 = paper."""
    barcode_format = getattr(zxingcpp.BarcodeFormat, spec.format)
    options: dict[str, bool] = {"gs1": spec.gs1}
    if spec.format == "DataMatrix":
        options["forceSquare"] = True  # no DMRE rectangles (docs/codes.md §10)
    barcode = zxingcpp.create_barcode(spec.content, barcode_format, **options)
    image = zxingcpp.write_barcode_to_image(barcode, scale=1, add_quiet_zones=False)
    modules = np.asarray(image, dtype=np.uint8)
    if spec.format == "Code128":
        modules = np.repeat(modules[:1], _BAR_HEIGHT, axis=0)
    return modules


def seeded_rng(seed: int) -> np.random.Generator:
    """The generator every synthetic frame draws from (stable across runs for one numpy)."""
    return np.random.default_rng([seed, 0x5EED])


def _texture(rng: np.random.Generator, width: int, height: int) -> FloatImage:
    """Grey desk: slow blotches, a lighting ramp and fine grain (values around 0 … 1)."""
    small = rng.random((max(2, height // 48), max(2, width // 48))).astype(np.float32)
    blotches = cv2.resize(small, (width, height), interpolation=cv2.INTER_CUBIC)
    xs = np.linspace(0, 1, width, dtype=np.float32)
    ys = np.linspace(0, 1, height, dtype=np.float32)
    gx, gy = rng.uniform(-0.15, 0.15, 2)
    ramp = 1 + gx * (xs[None, :] - 0.5) + gy * (ys[:, None] - 0.5)
    grain = rng.standard_normal((height, width), dtype=np.float32) * 0.01
    return np.asarray((0.5 + 0.08 * blotches) * ramp + grain, dtype=np.float32)


def _label_canvas(modules: npt.NDArray[np.uint8], quiet: int, k: int, caption: str) -> FloatImage:
    """The printed label at ``k`` px per module: reflectance 1 paper, 0 ink."""
    sym_h, sym_w = modules.shape
    block_w, block_h = (sym_w + 2 * quiet) * k, (sym_h + 2 * quiet) * k
    text_h = 4 * k
    margin = 3 * k
    width = max(block_w, 24 * k) + 2 * margin
    height = block_h + text_h + 2 * margin
    canvas = np.full((height, width), 255, dtype=np.uint8)  # cv2 draws text on 8-bit only
    scaled = np.kron(modules, np.ones((k, k), dtype=np.uint8))
    x0, y0 = (width - block_w) // 2 + quiet * k, margin + quiet * k
    canvas[y0 : y0 + sym_h * k, x0 : x0 + sym_w * k] = scaled
    # HRI-like caption under the quiet zone and a thin border: labels are never bare symbols.
    scale = cv2.getFontScaleFromHeight(cv2.FONT_HERSHEY_SIMPLEX, max(4, int(2.2 * k)), 1)
    chars = max(1, int((width - 2 * margin) / max(1.0, 0.6 * scale * 30)))
    thickness = max(1, k // 3)
    cv2.putText(
        canvas,
        caption[:chars],
        (margin, margin + block_h + int(3 * k)),
        cv2.FONT_HERSHEY_SIMPLEX,
        scale,
        0,
        thickness,
        cv2.LINE_AA,
    )
    cv2.rectangle(canvas, (k, k), (width - 1 - k, height - 1 - k), 0, max(1, k // 2))
    return canvas.astype(np.float32) / 255.0


def _placement(
    rng: np.random.Generator,
    canvas_wh: tuple[int, int],
    scale: float,
    *,
    distortion: Distortion,
    size: tuple[int, int],
    center: tuple[float, float] | None,
) -> npt.NDArray[np.float64]:
    """Homography from canvas pixels to frame pixels: scale, rotate, move, jitter corners."""
    cw, ch = canvas_wh
    width, height = size
    theta = math.radians(distortion.rotation_deg)
    cos, sin = math.cos(theta), math.sin(theta)
    half_w = (abs(cos) * cw + abs(sin) * ch) * scale / 2
    half_h = (abs(sin) * cw + abs(cos) * ch) * scale / 2
    if center is None:
        # Random, but keep the label inside the frame where it fits.
        lo_x, hi_x = half_w, width - half_w
        lo_y, hi_y = half_h, height - half_h
        cx = rng.uniform(lo_x, hi_x) if hi_x > lo_x else width / 2
        cy = rng.uniform(lo_y, hi_y) if hi_y > lo_y else height / 2
    else:
        cx, cy = center
    src = np.array([[0, 0], [cw, 0], [cw, ch], [0, ch]], dtype=np.float32)
    local = (src - np.array([cw / 2, ch / 2], dtype=np.float32)) * scale
    rot = np.array([[cos, -sin], [sin, cos]], dtype=np.float32)
    dst = local @ rot.T + np.array([cx, cy], dtype=np.float32)
    if distortion.perspective > 0:
        side = min(cw, ch) * scale
        jitter = rng.uniform(-1, 1, (4, 2)) * distortion.perspective * side
        dst = dst + jitter.astype(np.float32)
    return np.asarray(cv2.getPerspectiveTransform(src, dst), dtype=np.float64)


def _fit_scale(
    canvas_wh: tuple[int, int], k: int, distortion: Distortion, size: tuple[int, int]
) -> float:
    """Canvas-to-frame scale for ``module_px``, capped so the rotated label fits in 95%."""
    cw, ch = canvas_wh
    theta = math.radians(distortion.rotation_deg)
    cos, sin = abs(math.cos(theta)), abs(math.sin(theta))
    extent_w = cos * cw + sin * ch
    extent_h = sin * cw + cos * ch
    limit = min(0.95 * size[0] / extent_w, 0.95 * size[1] / extent_h)
    return min(distortion.module_px / k, limit)


def _warp_into(frame: FloatImage, canvas: FloatImage, homography: npt.NDArray[np.float64]) -> None:
    """Paint the canvas onto the frame through the homography (only its bounding box)."""
    height, width = frame.shape
    ch, cw = canvas.shape
    corners = np.array([[[0, 0], [cw, 0], [cw, ch], [0, ch]]], dtype=np.float64)
    mapped = cv2.perspectiveTransform(corners, homography)[0]
    x0 = max(0, math.floor(float(mapped[:, 0].min())) - 2)
    y0 = max(0, math.floor(float(mapped[:, 1].min())) - 2)
    x1 = min(width, math.ceil(float(mapped[:, 0].max())) + 2)
    y1 = min(height, math.ceil(float(mapped[:, 1].max())) + 2)
    if x1 <= x0 or y1 <= y0:
        return
    shift = np.array([[1, 0, -x0], [0, 1, -y0], [0, 0, 1]], dtype=np.float64)
    local = shift @ homography
    box = (x1 - x0, y1 - y0)
    flags = cv2.INTER_LINEAR
    ink = cv2.warpPerspective(canvas, local, box, flags=flags, borderValue=0.0)
    alpha = cv2.warpPerspective(np.ones_like(canvas), local, box, flags=flags, borderValue=0.0)
    region = frame[y0:y1, x0:x1]
    region[:] = region * (1 - alpha) + ink * alpha


def _camera(
    rng: np.random.Generator, grey: FloatImage, distortion: Distortion, tint: FloatImage
) -> Frame:
    """Glare, lens blur, colour, sensor noise; to BGR uint8."""
    height, width = grey.shape
    image: FloatImage = grey * np.float32(255.0)
    if distortion.glare > 0:
        gx, gy = rng.uniform(0.25, 0.75) * width, rng.uniform(0.25, 0.75) * height
        radius = rng.uniform(0.08, 0.2) * min(width, height)
        xs = (np.arange(width, dtype=np.float32) - gx) ** 2
        ys = (np.arange(height, dtype=np.float32) - gy) ** 2
        blob = np.exp(-(ys[:, None] + xs[None, :]) / (2 * radius**2))
        image = np.asarray(image + distortion.glare * 255.0 * blob, dtype=np.float32)
    if distortion.blur_sigma > 0:
        image = np.asarray(cv2.GaussianBlur(image, (0, 0), distortion.blur_sigma))
    colour = image[:, :, None] * tint[None, None, :]
    if distortion.noise_sigma > 0:
        noise = rng.standard_normal(colour.shape, dtype=np.float32) * distortion.noise_sigma
        colour = colour + noise
    frame: Frame = np.clip(colour, 0, 255).astype(np.uint8)
    return frame


def label_frame(
    spec: LabelSpec,
    distortion: Distortion,
    size: tuple[int, int] = (1280, 720),
    seed: int = 0,
    center: tuple[float, float] | None = None,
) -> Frame:
    """A BGR frame of ``size`` (width, height) showing the label of ``spec``.

    ``center`` is where the label's centre lands (default: random from ``seed``, inside the
    frame). The same arguments give the same pixels.
    """
    rng = seeded_rng(seed)
    width, height = size
    modules = symbol_modules(spec)
    k = max(1, math.ceil(distortion.module_px))
    canvas = _label_canvas(modules, _QUIET.get(spec.format, 4), k, spec.content)
    canvas_wh = (canvas.shape[1], canvas.shape[0])
    scale = _fit_scale(canvas_wh, k, distortion, size)
    homography = _placement(rng, canvas_wh, scale, distortion=distortion, size=size, center=center)
    paper = float(rng.uniform(0.86, 0.95))
    contrast = min(1.0, max(0.05, distortion.contrast))
    ink = paper - contrast * (paper - 0.08)
    printed = ink + (paper - ink) * canvas
    grey = _texture(rng, width, height)
    _warp_into(grey, np.asarray(printed, dtype=np.float32), homography)
    return _camera(rng, grey, distortion, _tint(rng))


def _tint(rng: np.random.Generator) -> FloatImage:
    return np.asarray(rng.uniform(0.93, 1.0, 3), dtype=np.float32)


_WORDS = (
    "REF 4711-20",
    "LOT LOT-A1",
    "STERILE EO",
    "2026-12-31",
    "Made in Germany",
    "Rx only",
    "QTY 10",
    "MD",
    "UDI",
    "CE 0123",
)


def empty_frame(size: tuple[int, int] = (1280, 720), seed: int = 0) -> Frame:
    """A frame with no symbol: desk, a label with text, boxes, rules and a few bar-like stripes.

    The stripes and checkered logo are there on purpose: a decoder that reports a code here
    has made a false read.
    """
    rng = seeded_rng(seed + 1_000_003)
    width, height = size
    grey = _texture(rng, width, height)
    lw = int(rng.uniform(0.35, 0.7) * width)
    lh = int(rng.uniform(0.3, 0.6) * height)
    x0 = int(rng.uniform(0, width - lw))
    y0 = int(rng.uniform(0, height - lh))
    paper = float(rng.uniform(0.86, 0.95))
    grey[y0 : y0 + lh, x0 : x0 + lw] = paper
    ink = np.zeros((height, width), dtype=np.uint8)  # 255 where printed; cv2 draws on 8-bit
    line_h = max(8, lh // 10)
    scale = cv2.getFontScaleFromHeight(cv2.FONT_HERSHEY_SIMPLEX, line_h // 2, 1)
    for row in range(1, 8):
        text = " ".join(rng.choice(_WORDS, size=2))
        origin = (x0 + line_h // 2, y0 + row * line_h)
        cv2.putText(ink, text, origin, cv2.FONT_HERSHEY_SIMPLEX, scale, 255, 1, cv2.LINE_AA)
    cv2.rectangle(ink, (x0 + 4, y0 + 4), (x0 + lw - 5, y0 + lh - 5), 255, 2)
    cv2.line(ink, (x0, y0 + lh * 3 // 4), (x0 + lw, y0 + lh * 3 // 4), 255, 1)
    # Bar-like stripes (random widths, no valid code) and a small checkered "logo".
    sx = x0 + lw // 2
    sy = y0 + lh * 3 // 4 + 6
    x = sx
    while x < min(x0 + lw - 8, sx + lw // 3):
        bar = int(rng.integers(1, 5))
        if rng.random() < 0.5:
            ink[sy : min(y0 + lh - 8, sy + lh // 6), x : x + bar] = 255
        x += bar
    cell = max(2, line_h // 4)
    for i in range(6):
        for j in range(6):
            if rng.random() < 0.5:
                cy, cx = y0 + lh // 2 + i * cell, x0 + lw - 8 * cell + j * cell
                ink[cy : cy + cell, cx : cx + cell] = 255
    alpha = ink.astype(np.float32) / 255.0
    grey = grey * (1 - alpha) + 0.1 * alpha
    distortion = Distortion(
        blur_sigma=float(rng.choice([0.0, 0.8, 1.5])),
        noise_sigma=float(rng.choice([0.0, 4.0, 12.0])),
        glare=float(rng.choice([0.0, 0.0, 0.4])),
    )
    return _camera(rng, grey, distortion, _tint(rng))
