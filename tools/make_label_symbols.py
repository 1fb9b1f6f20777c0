"""Draw the ISO 15223-1 style label symbols as 64 × 64 bitmaps for label templates.

    .venv/bin/python -m tools.make_label_symbols [--out DIR]

Each symbol is an original, simplified drawing made here with Pillow primitives (not a copy of
the ISO artwork) and is written to ``resources/labels/symbols/<name>.txt``: one line per pixel
row, ``#`` black and ``.`` white, all rows equally long, final newline. Templates embed them as
:class:`station.labels.model.ImageItem` pixels, so a template's hash covers the picture.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

SIZE = 64
INK, PAPER = 0, 1
STROKE = 3
OUT = Path(__file__).resolve().parent.parent / "resources" / "labels" / "symbols"

Drawing = Callable[[ImageDraw.ImageDraw], None]
# A factory: saw-tooth roof, chimney on the right.
_FACTORY = [(4, 58), (4, 34), (18, 24), (18, 34), (32, 24), (32, 34), (46, 24), (46, 8), (56, 8)]
_FACTORY += [(56, 58)]


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size)


def _boxed(*lines: str) -> Drawing:
    """The text lines, as large as fit, centred in a frame (LOT, SN, REF, …)."""

    def draw(canvas: ImageDraw.ImageDraw) -> None:
        top, bottom = (14, 49) if len(lines) == 1 else (6, 57)
        canvas.rectangle((1, top, SIZE - 2, bottom), outline=INK, width=STROKE)
        inner_w, inner_h = SIZE - 2 - 2 * (STROKE + 3), bottom - top - 2 * (STROKE + 2)
        size = 30
        while size > 6:
            boxes = [canvas.textbbox((0, 0), line, font=_font(size)) for line in lines]
            widest = max(box[2] - box[0] for box in boxes)
            if widest <= inner_w and len(lines) * size <= inner_h:
                break
            size -= 1
        middle = (top + bottom) / 2
        for index, line in enumerate(lines):
            y = middle + (index - (len(lines) - 1) / 2) * size * 1.05
            canvas.text((SIZE / 2, y), line, fill=INK, font=_font(size), anchor="mm")

    return draw


def _factory(filled: bool) -> Drawing:
    def draw(canvas: ImageDraw.ImageDraw) -> None:
        if filled:
            canvas.polygon(_FACTORY, fill=INK)
        else:
            canvas.polygon(_FACTORY, outline=INK, width=STROKE)

    return draw


def _hourglass(canvas: ImageDraw.ImageDraw) -> None:
    canvas.rectangle((12, 4, 51, 8), fill=INK)
    canvas.rectangle((12, 55, 51, 59), fill=INK)
    canvas.polygon([(16, 9), (47, 9), (33, 31), (47, 54), (16, 54), (30, 31)], outline=INK, width=3)
    canvas.polygon([(24, 54), (39, 54), (32, 42)], fill=INK)  # sand run down


def _book(canvas: ImageDraw.ImageDraw) -> None:
    canvas.polygon([(4, 12), (31, 16), (31, 58), (4, 54)], outline=INK, width=STROKE)
    canvas.polygon([(32, 16), (59, 12), (59, 54), (32, 58)], outline=INK, width=STROKE)
    canvas.ellipse((42, 21, 48, 27), fill=INK)  # the "i"
    canvas.rectangle((43, 31, 47, 49), fill=INK)


def _no_reuse(canvas: ImageDraw.ImageDraw) -> None:
    canvas.ellipse((4, 4, 59, 59), outline=INK, width=STROKE)
    canvas.text((32, 32), "2", fill=INK, font=_font(36), anchor="mm")
    canvas.line((12, 52, 52, 12), fill=INK, width=4)


def _umbrella(canvas: ImageDraw.ImageDraw) -> None:
    canvas.pieslice((6, 12, 58, 52), 180, 360, fill=INK)
    canvas.rectangle((31, 31, 33, 54), fill=INK)  # shaft
    canvas.arc((23, 48, 33, 58), 0, 180, fill=INK, width=STROKE)  # handle hook
    for x in (10, 22, 42, 54):  # rain
        canvas.line((x, 2, x - 2, 8), fill=INK, width=2)


def _thermometer(canvas: ImageDraw.ImageDraw) -> None:
    canvas.rounded_rectangle((24, 6, 36, 48), radius=6, outline=INK, width=STROKE)
    canvas.ellipse((19, 42, 41, 62), fill=INK)  # bulb
    canvas.rectangle((28, 24, 32, 46), fill=INK)  # mercury
    canvas.rectangle((40, 10, 60, 13), fill=INK)  # upper limit
    canvas.rectangle((4, 52, 18, 55), fill=INK)  # lower limit


SYMBOLS: dict[str, Drawing] = {
    "manufacturer": _factory(filled=True),
    "date-of-manufacture": _factory(filled=False),
    "use-by": _hourglass,
    "lot": _boxed("LOT"),
    "serial": _boxed("SN"),
    "ref": _boxed("REF"),
    "udi": _boxed("UDI"),
    "md": _boxed("MD"),
    "consult-ifu": _book,
    "do-not-reuse": _no_reuse,
    "sterile-eo": _boxed("STERILE", "EO"),
    "keep-dry": _umbrella,
    "temperature-limit": _thermometer,
}


def draw_symbol(name: str) -> list[str]:
    """The named symbol as rows of ``#`` (black) and ``.`` (white)."""
    image = Image.new("1", (SIZE, SIZE), PAPER)
    SYMBOLS[name](ImageDraw.Draw(image))
    pixels = image.load()
    assert pixels is not None
    return ["".join("#" if pixels[x, y] == INK else "." for x in range(SIZE)) for y in range(SIZE)]


def write_symbols(out: Path) -> list[Path]:
    """Write every symbol to ``out/<name>.txt``; return the paths."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in SYMBOLS:
        path = out / f"{name}.txt"
        path.write_text("\n".join(draw_symbol(name)) + "\n", encoding="ascii", newline="\n")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--out", type=Path, default=OUT, help="folder to write (default: %(default)s)"
    )
    args = parser.parse_args(argv)
    for path in write_symbols(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
