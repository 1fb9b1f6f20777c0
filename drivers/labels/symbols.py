"""Barcode symbols as module matrices, from zxing-cpp's encoder (``docs/codes.md`` §10).

A matrix has one entry per module, True = dark, no quiet zone (the template leaves room for
it); a linear symbol is one row, its bar pattern. Every renderer draws from these matrices, so a
PDF, a PNG and a preview show the same modules.

Before a matrix is handed out, what the encoder says it encoded (AIM identifier + bytes, GS
included) is compared with the item's ``expected``: a symbol that would scan as anything other
than the record says is refused with :class:`~drivers.labels.LabelRenderError`, never drawn.

>>> from station.labels.model import BarcodeItem, Symbology
>>> item = BarcodeItem(0, 0, Symbology.GS1_DATAMATRIX, 0.34, "(01)04012345123456(10)A1",
...                    "]d2010401234512345610A1")
>>> modules(item).shape
(16, 16)
>>> [round(side, 2) for side in symbol_size_mm(item)]
[5.44, 5.44]
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import zxingcpp

from drivers.labels import LabelRenderError
from station.labels.model import BarcodeItem, Symbology

__all__ = [
    "Matrix",
    "Rect",
    "encoded_content",
    "modules",
    "pixels_matrix",
    "rectangles",
    "symbol_size_mm",
]

Matrix = npt.NDArray[np.bool_]
#: (column, row, width, height) in cells of a matrix.
Rect = tuple[int, int, int, int]

_DM, _C128, _QR = (
    zxingcpp.BarcodeFormat.DataMatrix,
    zxingcpp.BarcodeFormat.Code128,
    zxingcpp.BarcodeFormat.QRCode,
)
# forceSquare everywhere for DataMatrix: never a DMRE rectangle (codes.md §10).
_ENCODER: dict[Symbology, tuple[zxingcpp.BarcodeFormat, dict[str, bool]]] = {
    Symbology.GS1_DATAMATRIX: (_DM, {"gs1": True, "forceSquare": True}),
    Symbology.GS1_128: (_C128, {"gs1": True}),
    Symbology.GS1_QR: (_QR, {"gs1": True}),
    Symbology.DL_QR: (_QR, {}),
    Symbology.HIBC_128: (_C128, {}),
    Symbology.HIBC_DATAMATRIX: (_DM, {"forceSquare": True}),
}
#: Distinct (symbology, data) encodings kept: a batch varies only a few symbols per label.
CACHE_SIZE = 1024


@dataclass(frozen=True, slots=True)
class _Encoded:
    matrix: Matrix  # read-only: shared by every caller through the cache
    content: str  # AIM identifier + what a scanner transmits


@functools.lru_cache(maxsize=CACHE_SIZE)
def _encode(symbology: Symbology, data: str) -> _Encoded:
    barcode_format, options = _ENCODER[symbology]
    try:
        barcode = zxingcpp.create_barcode(data, barcode_format, **options)
    except ValueError as error:  # zxing-cpp's message names the bad position
        msg = f"{symbology.value} cannot encode {data!r}: {error}"
        raise LabelRenderError(msg) from error
    image = np.asarray(zxingcpp.write_barcode_to_image(barcode, scale=1, add_quiet_zones=False))
    dark = image < 128
    matrix = dark[:1].copy() if symbology.is_linear else dark.copy()
    matrix.flags.writeable = False
    # GS1 bytes carry GS (0x1d) as a scanner sends it; .text would be the bracketed HRI.
    text = barcode.bytes.decode("latin-1") if symbology.is_gs1 else barcode.text
    return _Encoded(matrix, barcode.symbology_identifier + text)


def _encoded(item: BarcodeItem) -> _Encoded:
    encoded = _encode(item.symbology, item.data)
    if encoded.content != item.expected:
        msg = (
            f"barcode {item.name or item.symbology.value}: the symbol would read "
            f"{encoded.content!r}, but the label says {item.expected!r}; nothing drawn"
        )
        raise LabelRenderError(msg)
    return encoded


def modules(item: BarcodeItem) -> Matrix:
    """The item's symbol, True = dark module; one row (the bars) for a linear symbol.

    The array is shared through a cache and read-only. Raises LabelRenderError if the
    encoder cannot encode ``item.data`` or its content is not exactly ``item.expected``.
    """
    return _encoded(item).matrix


def encoded_content(item: BarcodeItem) -> str:
    """What the symbol transmits (AIM identifier first), as the encoder reports it."""
    return _encoded(item).content


def symbol_size_mm(item: BarcodeItem) -> tuple[float, float]:
    """Width and height of the symbol without quiet zones, in mm (a bar symbol: its height)."""
    matrix = modules(item)
    width = matrix.shape[1] * item.module
    if item.symbology.is_linear:
        if item.height is None or item.height <= 0:
            msg = f"barcode {item.name or item.symbology.value}: a linear symbol needs a height"
            raise LabelRenderError(msg)
        return width, item.height
    return width, matrix.shape[0] * item.module


def rectangles(matrix: Matrix) -> list[Rect]:
    """Cover the True cells with few rectangles: horizontal runs, stacked while they repeat.

    Fewer, larger rectangles make a smaller PDF and leave no hairline seams between rows.

    >>> m = np.array([[1, 1, 0, 1], [1, 1, 0, 0], [0, 1, 1, 1]], dtype=bool)
    >>> rectangles(m)
    [(0, 0, 2, 2), (3, 0, 1, 1), (1, 2, 3, 1)]
    """
    rows, columns = matrix.shape
    # Every row's runs at once: a white column either side and a white row below (which
    # closes whatever is still open), then the edges, row by row in order, start then end.
    padded = np.zeros((rows + 1, columns + 2), dtype=np.int8)
    padded[:rows, 1:-1] = matrix
    row_of, edge = np.nonzero(np.diff(padded, axis=1))
    runs_by_row: list[list[tuple[int, int]]] = [[] for _ in range(rows + 1)]
    for row, start, end in zip(
        row_of[0::2].tolist(), edge[0::2].tolist(), edge[1::2].tolist(), strict=True
    ):
        runs_by_row[row].append((start, end - start))
    found: list[Rect] = []
    open_runs: dict[tuple[int, int], int] = {}  # (start, length) -> first row
    for row_index, runs in enumerate(runs_by_row):
        current = set(runs)
        for run, first in list(open_runs.items()):
            if run not in current:
                found.append((run[0], first, run[1], row_index - first))
                del open_runs[run]
        for run in runs:
            open_runs.setdefault(run, row_index)
    return sorted(found, key=lambda rect: (rect[1], rect[0]))


def pixels_matrix(pixels: tuple[str, ...], name: str = "") -> Matrix:
    """An ImageItem's ``'#'``/``'.'`` rows as a matrix; LabelRenderError if malformed.

    >>> pixels_matrix(("#.", ".#")).tolist()
    [[True, False], [False, True]]
    """
    width = len(pixels[0]) if pixels else 0
    if width == 0 or any(len(row) != width or set(row) - {"#", "."} for row in pixels):
        msg = f"image {name!r}: rows must be equally long, non-empty, of '#' and '.' only"
        raise LabelRenderError(msg)
    return np.array([[char == "#" for char in row] for row in pixels], dtype=bool)
