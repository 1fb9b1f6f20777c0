"""The calibration label: to scale in every renderer, its symbol scans, its dot bars are dots."""

from __future__ import annotations

import io

import numpy as np
import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pytest
from PIL import Image

from drivers.labels.pdf import render_pdf
from drivers.labels.raster import render_png
from drivers.labels.readback import read_frame, read_png
from drivers.labels.zpl import render_zpl
from drivers.labels.zpl_tokens import tokenize
from station.labels.calibration import calibration_label
from station.labels.model import BoxItem, LineItem


@pytest.mark.parametrize(("width", "height", "dpi"), [(70, 40, 203), (100, 50, 300), (40, 30, 600)])
def test_png_is_to_scale_and_its_symbol_scans(width: int, height: int, dpi: int) -> None:
    label = calibration_label(width, height, dpi)
    png = render_png(label, dpi)
    with Image.open(io.BytesIO(png)) as image:
        assert image.size == (round(width * dpi / 25.4), round(height * dpi / 25.4))
        pixels = np.asarray(image.convert("L"))
    assert read_png(png) == [f"]d2010952123454321321CAL{dpi}"]
    # The 10 mm ruler ticks are 10 mm apart in printer dots.
    row = pixels[round(3.5 * dpi / 25.4)]  # below the short ticks, through the 10 mm ones
    dark = np.flatnonzero(row < 128)
    starts = dark[np.insert(np.diff(dark) > 1, 0, True)]
    ticks = starts[(starts > 5 * dpi / 25.4) & (starts < (width - 16) * dpi / 25.4)]
    assert len(ticks) >= 2
    assert np.diff(ticks) == pytest.approx(10 * dpi / 25.4, abs=1.5)


def test_dot_bars_are_one_to_five_printer_dots() -> None:
    label = calibration_label(70, 40, 300)
    bars = [i for i in label.items if isinstance(i, BoxItem) and i.filled]
    assert [round(b.width * 300 / 25.4, 6) for b in bars] == [1, 2, 3, 4, 5]


def test_pdf_page_is_the_stock_and_the_symbol_scans() -> None:
    label = calibration_label(100, 50, 300)
    page = pdfium.PdfDocument(render_pdf([label]))[0]
    assert page.get_size() == pytest.approx((100 / 25.4 * 72, 50 / 25.4 * 72), abs=0.01)
    image = page.render(scale=300 / 72, grayscale=True).to_numpy().squeeze()
    assert read_frame(image) == ["]d2010952123454321321CAL300"]


def test_zpl_has_the_rulers_frame_and_symbol() -> None:
    label = calibration_label(70, 40, 203)
    tokens = [t.command for t in tokenize(render_zpl(label, 203))]
    lines = sum(isinstance(i, (LineItem, BoxItem)) for i in label.items)
    assert tokens.count("^GB") + tokens.count("^GD") >= lines
    assert "^BX" in tokens


@pytest.mark.parametrize(("width", "height"), [(30, 40), (70, 20), (400, 40)])
def test_unusable_stock_sizes_are_refused(width: int, height: int) -> None:
    with pytest.raises(ValueError, match="calibration needs stock"):
        calibration_label(width, height, 203)
