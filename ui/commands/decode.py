"""``station decode``: find the codes in image files and say what they are.

Each image is decoded with the station's camera decoder (all passes, no time budget worth
mentioning: a still is not a live stream), and every code found is read by the station's code
reader exactly as ``station parse`` reads a scan. Decoded symbols carry real control
characters, so no keyboard substitutes (``{GS}``, ``^]``) apply.

Output: per image, every code with its content (GS shown as ``⟨GS⟩``; in ``--json`` the raw
text, JSON-escaped as ``\\u001d``), AIM identifier, format, four corners in pixels, the pass
that found it, and the parsed result. ``--json`` prints one object per image per line.

Exit status: 0 when every image could be read, even if some show no code ("no code found" is
an answer, not a failure); 1 when any image could not be read (missing, not an image, too
large, unsupported pixel type); the other images are still reported. 2 for misuse.
Qt is never imported.
"""

from __future__ import annotations

import argparse
import json
import os
import struct
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from drivers.camera.decoders import (
    DEFAULT_FORMATS,
    StationDecoder,
    ZbarUnavailableError,
    zxing_formats,
)
from drivers.camera.detection import Detection
from drivers.camera.regions import to_grey
from drivers.camera.zbar import load_pyzbar
from station.udi import ReaderConfig, read_scan
from station.udi.jsonview import as_json
from ui.commands.parse import _describe as describe_code  # same text as `station parse`
from ui.display import visible

#: Refuse files and images beyond these: a 20 kB PNG can claim 100000×100000 pixels.
MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_PIXELS = 60_000_000
#: A still has no frame rate to keep: let every pass run.
STILL_BUDGET_MS = 2000.0


class ImageError(Exception):
    """This file cannot be decoded as an image; the message says why."""


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "decode",
        help="find and read the codes in image files",
        description="Decode the codes in IMAGE files (PNG, JPEG, BMP, TIFF, WebP …).",
    )
    parser.add_argument("--json", action="store_true", help="one JSON object per image")
    parser.add_argument(
        "--formats",
        default=",".join(DEFAULT_FORMATS),
        metavar="LIST",
        help=f"comma-separated symbologies (default: {','.join(DEFAULT_FORMATS)})",
    )
    parser.add_argument(
        "--pyzbar", action="store_true", help="also try ZBar on hard Code 128 / QR regions"
    )
    parser.add_argument(
        "--today",
        type=date.fromisoformat,
        metavar="YYYY-MM-DD",
        help="reference date for two-digit years (default: today)",
    )
    parser.add_argument("images", nargs="+", metavar="IMAGE")
    parser.set_defaults(handler=run)


def _header_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from a PNG or JPEG header, before anything is decompressed."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    if data[:2] == b"\xff\xd8":
        i = 2
        while i + 9 <= len(data):
            if data[i] != 0xFF:
                i += 1
                continue
            marker = data[i + 1]
            if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7 or marker == 0xFF:
                i += 1 if marker == 0xFF else 2
                continue
            length = struct.unpack(">H", data[i + 2 : i + 4])[0]
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                height, width = struct.unpack(">HH", data[i + 5 : i + 9])
                return int(width), int(height)
            i += 2 + length
    return None


def load_image(path: Path) -> Any:
    """The image as an 8-bit grey array, or :class:`ImageError` with a reason."""
    import cv2  # noqa: PLC0415 - only when an image is decoded
    import numpy as np  # noqa: PLC0415

    try:
        size = path.stat().st_size
        if not path.is_file():
            raise ImageError("not a file")
        if size > MAX_FILE_BYTES:
            msg = f"file too large ({size:,} bytes; limit {MAX_FILE_BYTES:,})"
            raise ImageError(msg)
        data = path.read_bytes()
    except OSError as exc:
        raise ImageError(f"cannot read file: {exc.strerror or exc}") from exc
    declared = _header_size(data)
    if declared and declared[0] * declared[1] > MAX_PIXELS:
        msg = f"image too large ({declared[0]}×{declared[1]} pixels; limit {MAX_PIXELS:,})"
        raise ImageError(msg)
    try:
        image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_UNCHANGED)
    except cv2.error as exc:
        raise ImageError(f"cannot decode image: {str(exc).strip().splitlines()[-1]}") from exc
    if image is None:
        raise ImageError("not an image (or a format OpenCV cannot read)")
    if image.shape[0] * image.shape[1] > MAX_PIXELS:
        msg = f"image too large ({image.shape[1]}×{image.shape[0]} pixels)"
        raise ImageError(msg)
    try:
        return to_grey(image)
    except ValueError as exc:
        raise ImageError(str(exc)) from exc


def _code_json(detection: Detection, config: ReaderConfig) -> dict[str, Any]:
    return {
        "text": detection.raw.decode("utf-8", "replace"),
        "symbology": detection.symbology,
        "format": detection.format,
        "corners": [list(p) for p in detection.corners],
        "found_by": detection.found_by,
        "decoder": detection.decoder,
        "parsed": as_json(read_scan(detection.scan_bytes(), config)),
    }


def _code_text(index: int, detection: Detection, config: ReaderConfig) -> str:
    corners = " ".join(f"({x},{y})" for x, y in detection.corners)
    symbology = detection.symbology or "no AIM id"
    head = (
        f"  {index}. {detection.format} {symbology} · found by {detection.found_by}"
        f" ({detection.decoder}) · corners {corners}\n"
    )
    parsed = describe_code(read_scan(detection.scan_bytes(), config))
    return head + "".join(f"     {line}\n" for line in parsed.splitlines())


def _write(text: str) -> None:
    sys.stdout.buffer.write(text.encode("utf-8", "replace"))
    sys.stdout.buffer.flush()


def _report(
    name: str, detections: Sequence[Detection] | None, error: str | None, args: Any
) -> None:
    config = ReaderConfig(
        gs_substitutes=(), rs_substitutes=(), eot_substitutes=(), today=args.today
    )
    if args.json:
        out = {
            "image": name,
            "ok": error is None,
            "error": error,
            "codes": [_code_json(d, config) for d in detections or ()],
        }
        _write(json.dumps(out, ensure_ascii=False) + "\n")
        return
    shown = visible(name)
    if error is not None:
        _write(f"{shown}: ERROR {error}\n")
    elif not detections:
        _write(f"{shown}: no code found\n")
    else:
        count = len(detections)
        text = f"{shown}: {count} code{'s' if count != 1 else ''}\n"
        text += "".join(_code_text(i, d, config) for i, d in enumerate(detections, 1))
        _write(text)


def run(args: argparse.Namespace) -> int:
    formats = [f.strip() for f in str(args.formats).split(",") if f.strip()]
    try:
        zxing_formats(formats)
        if not formats:
            raise ValueError("no format given")
        if args.pyzbar:
            load_pyzbar()
    except (ValueError, ZbarUnavailableError) as exc:
        print(f"station decode: {exc}", file=sys.stderr)
        return 2
    # Also caps formats without a header check above (TIFF, WebP …); read at first decode.
    os.environ.setdefault("OPENCV_IO_MAX_IMAGE_PIXELS", str(MAX_PIXELS))
    decoder = StationDecoder(formats, pyzbar_second_pass=args.pyzbar, budget_ms=STILL_BUDGET_MS)
    failed = False
    try:
        for name in args.images:
            decoder.reset()  # unrelated images: no memory of the previous one
            try:
                detections = decoder.decode(load_image(Path(name)))
            except ImageError as exc:
                failed = True
                _report(name, None, str(exc), args)
                continue
            except Exception as exc:  # a decoder fault on one image must not stop the others
                failed = True
                _report(name, None, f"decoder failed: {type(exc).__name__}: {exc}", args)
                continue
            _report(name, detections, None, args)
    except BrokenPipeError:  # e.g. `station decode *.png | head`
        return 0
    return 1 if failed else 0
