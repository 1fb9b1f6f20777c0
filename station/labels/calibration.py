"""The calibration label: a test print that shows whether a printer prints to scale and in place.

The classic label problem is "the labels come out too big" (a driver at the wrong DPI, a page
scaled to fit) or shifted (offsets, a gap sensor out of step). Printed at the stock's size, this
label has:

* rulers along the top and left edges, a tick every millimetre and a number every ten, so a
  ruler laid on the print shows the scale at once;
* a frame 1 mm inside every edge: a side where it is missing or wider is the offset to correct;
* a 20 mm square (10 mm on small stock) centred on a cross: measure it;
* bars exactly 1 to 5 printer dots wide at the given DPI: a printer set to another DPI prints
  them visibly wrong;
* a GS1 DataMatrix (the GS1 demonstration GTIN 09521234543213) at the station's unit-label
  module size, which must scan.

>>> label = calibration_label(70, 40, 203)
>>> label.template, label.width, label.height
('calibration', 70.0, 40.0)
>>> [b.expected for b in label.barcodes]
[']d2010952123454321321CAL203']
"""

from __future__ import annotations

from station.labels.model import (
    Align,
    BarcodeItem,
    BoxItem,
    Item,
    LineItem,
    ResolvedLabel,
    Symbology,
    TextItem,
)
from station.udi.build import element_string, hri

__all__ = ["CALIBRATION_GTIN", "calibration_label"]

#: GS1's demonstration GTIN: never a real product.
CALIBRATION_GTIN = "09521234543213"
_MM_PER_INCH = 25.4
_TICK = 0.15  # line width of ruler ticks, mm


def _rulers(width: float, height: float) -> list[Item]:
    items: list[Item] = []
    for mm in range(int(width) + 1):
        length = 4.0 if mm % 10 == 0 else 2.5 if mm % 5 == 0 else 1.5
        items.append(LineItem(mm, 0, mm, length, _TICK))
        if mm % 10 == 0 and 0 < mm < width - 17:  # numbers stay clear of the symbol
            items.append(TextItem(mm, 4.3, str(mm), 2.0, align=Align.CENTER))
    for mm in range(int(height) + 1):
        length = 4.0 if mm % 10 == 0 else 2.5 if mm % 5 == 0 else 1.5
        items.append(LineItem(0, mm, length, mm, _TICK))
        if mm % 10 == 0 and 0 < mm < height - 3:
            items.append(TextItem(4.5, mm - 1.0, str(mm), 2.0))
    return items


def _dot_bars(x: float, y: float, dpi: int) -> list[Item]:
    """Bars 1–5 dots wide, 1 mm apart, with a caption."""
    items: list[Item] = [TextItem(x, y, f"1–5 dots @ {dpi} dpi", 1.8)]
    left = x
    for dots in range(1, 6):
        width = dots * _MM_PER_INCH / dpi
        items.append(BoxItem(left, y + 2.4, width, 3.0, filled=True))
        left += width + 1.0
    return items


def calibration_label(width: float, height: float, dpi: int) -> ResolvedLabel:
    """The calibration label for stock of ``width`` × ``height`` mm on a ``dpi`` printer."""
    width, height = float(width), float(height)
    if not (40 <= width <= 300 and 30 <= height <= 300):
        msg = f"calibration needs stock of 40–300 × 30–300 mm, not {width:g} × {height:g}"
        raise ValueError(msg)
    side = 20.0 if min(width, height) >= 45 else 10.0
    # Centred in the room the symbol (right) and the dot bars (bottom) leave.
    cx, cy = (width - 16) / 2 + 2, (height - 10) / 2 + 2
    pairs = (("01", CALIBRATION_GTIN), ("21", f"CAL{dpi}"))
    items: list[Item] = [
        BoxItem(1, 1, width - 2, height - 2, 0.2),
        BoxItem(cx - side / 2, cy - side / 2, side, side, 0.2),
        LineItem(cx - side / 2 - 3, cy, cx + side / 2 + 3, cy, _TICK),
        LineItem(cx, cy - side / 2 - 3, cx, cy + side / 2 + 3, _TICK),
        TextItem(
            width - 3,
            height - 5.5,
            f"{width:g} × {height:g} mm · square {side:g} mm",
            2.0,
            align=Align.RIGHT,
            max_width=width - 22,  # right of the dot bars
        ),
        *_rulers(width, height),
        *_dot_bars(7, height - 9.5, dpi),
        BarcodeItem(
            x=width - 15,
            y=8,
            symbology=Symbology.GS1_DATAMATRIX,
            module=0.34,
            data=hri(pairs),
            expected=Symbology.GS1_DATAMATRIX.aim + element_string(pairs),
            pairs=pairs,
            name="calibration",
        ),
    ]
    return ResolvedLabel(
        template="calibration",
        version=1,
        template_sha256="",
        width=width,
        height=height,
        items=tuple(items),
    )
