"""The label benchmark runs on a few labels and reports every path (targets live in it)."""

from __future__ import annotations

import pytest

from benchmarks.bench_labels import Labels, main, raw_zpl
from station.labels.stock import STOCK_NAMES, stock_template


def test_tiny_benchmark_reports_every_template_and_path(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--labels", "2", "--batch", "3", "--no-pin"]) == 0
    out = capsys.readouterr().out
    for name in STOCK_NAMES:
        assert f"| {name} | station `render_zpl` 203 dpi |" in out
        assert f"| {name} | station `render_pdf([label])` |" in out
        assert f"| {name} | raw zxing-cpp: encode the symbols |" in out
    for path in (
        "station `resolve(template, data)`",
        "station `render_zpl` 300 dpi",
        "station `render_png` 300 dpi",
        "raw reportlab: same rectangles, texts, lines",
        "raw f-string ZPL 203 dpi",
        "a new lot every label",
    ):
        assert path in out
    assert "3 udi-unit labels, distinct serials" in out
    assert "target 10 s" in out


def test_every_batch_label_is_new_where_the_template_has_a_serial() -> None:
    labels = Labels("udi-unit")
    first, second = labels.take(), labels.take()
    assert first.barcodes[0].expected != second.barcodes[0].expected
    assert len(labels.resolve_ms) == 2
    assert stock_template("udi-unit").name == first.template
    raw = raw_zpl(first, 203)
    assert raw.startswith(b"^XA")
    assert raw.endswith(b"^XZ\n")
