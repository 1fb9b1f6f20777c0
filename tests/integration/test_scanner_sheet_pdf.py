"""The printed scanner test sheet holds exactly the bytes the diagnosis expects.

The real command writes the PDF; pypdfium2 rasterises it at 300 dpi (as a printer would lay it
down) and zxing-cpp decodes every symbol back: symbology identifier + text must equal each
sheet code's ``expected`` bytes, GS included.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pytest
import zxingcpp

from station.scanning.diagnosis import How, identify
from station.scanning.sheet import SHEET, by_id
from ui.cli import main
from ui.commands.diagnostics import check_stream

DPI = 300
STATION = [sys.executable, "-m", "ui.cli"]


def _render(path: Path) -> tuple[np.ndarray, str, int]:
    """The first page as a grey image, the page's text, and the page count."""
    document = pdfium.PdfDocument(str(path))
    try:
        page = document[0]
        textpage = page.get_textpage()
        text = textpage.get_text_range()
        image = np.asarray(page.render(scale=DPI / 72).to_pil().convert("L"))
        textpage.close()
        page.close()
        return image, text, len(document)
    finally:
        document.close()


def _decode(image: np.ndarray) -> list[bytes]:
    results = zxingcpp.read_barcodes(image, text_mode=zxingcpp.TextMode.Plain)
    return [(r.symbology_identifier + r.text).encode("latin-1") for r in results]


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_every_printed_code_decodes_to_its_expected_bytes(tmp_path: Path, paper: str) -> None:
    out = tmp_path / f"sheet-{paper}.pdf"
    assert main(["diagnostics", "scanner-sheet", "--out", str(out), "--paper", paper]) == 0
    image, text, pages = _render(out)
    assert pages == 1
    decoded = _decode(image)
    assert sorted(decoded) == sorted(code.expected for code in SHEET)
    for raw in decoded:  # what a perfect scanner reads from the sheet, the diagnosis calls right
        assert identify(raw, "serial").correct
    for code in SHEET:
        assert code.title in text
    assert "扫码枪测试表" in text
    width_mm = image.shape[1] / DPI * 25.4
    assert width_mm == pytest.approx(210 if paper == "a4" else 215.9, abs=1)


def test_each_code_decodes_alone_so_a_scanner_cannot_read_two_at_once(tmp_path: Path) -> None:
    """Cut the page into horizontal bands at the rows: each band holds exactly one code."""
    out = tmp_path / "sheet.pdf"
    assert main(["diagnostics", "scanner-sheet", "--out", str(out)]) == 0
    image, _, _ = _render(out)
    results = zxingcpp.read_barcodes(image, text_mode=zxingcpp.TextMode.Plain)
    tops = sorted(min(p.y for p in (r.position.top_left, r.position.top_right)) for r in results)
    bottoms = sorted(
        max(p.y for p in (r.position.bottom_left, r.position.bottom_right)) for r in results
    )
    for upper_bottom, lower_top in zip(bottoms, tops[1:], strict=False):
        assert lower_top - upper_bottom > 3 / 25.4 * DPI  # at least 3 mm between symbols


def test_module_sizes_are_at_least_0_3_mm() -> None:
    from drivers.reports.scanner_sheet import MODULE_1D, MODULE_2D  # noqa: PLC0415

    points_per_mm = 72 / 25.4
    assert MODULE_1D / points_per_mm >= 0.3
    assert MODULE_2D / points_per_mm >= 0.3


def test_command_line_contract(tmp_path: Path) -> None:
    out = tmp_path / "s.pdf"
    done = subprocess.run(
        [*STATION, "diagnostics", "scanner-sheet", "--out", str(out), "--paper", "letter"],
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith(b"%PDF")
    with pytest.raises(SystemExit) as usage:
        main(["diagnostics", "scanner-sheet", "--out", str(out), "--paper", "a3"])
    assert usage.value.code == 2
    unwritable = tmp_path / "missing-dir" / "s.pdf"
    assert main(["diagnostics", "scanner-sheet", "--out", str(unwritable)]) == 1


def _check(lines: bytes, *options: str) -> tuple[int, str]:
    stdout = io.StringIO()
    how: How = "serial" if "serial" in options else "keyboard"
    code = check_stream(io.BytesIO(lines), stdout, how, "--json" in options)
    return code, stdout.getvalue()


def test_scanner_check_reads_a_wedge_typing_into_the_terminal() -> None:
    dropped = by_id("gs1-128").expected.replace(b"\x1d", b"")
    code, text = _check(dropped + b"\n\n" + by_id("suffix").expected + b"\n")
    assert code == 1
    assert "[2] GS1-128 with a separator" in text
    assert "The GS separator is lost" in text
    assert "Fix: " in text
    assert "Not scanned yet: code(s) 1, 3, 4, 5" in text


def test_scanner_check_serial_all_correct_in_json() -> None:
    lines = b"".join(code.expected + b"\r\n" for code in SHEET)
    code, text = _check(lines, "serial", "--json")
    records = [json.loads(line) for line in text.splitlines()]
    assert code == 0
    assert [r["number"] for r in records[:-1]] == [c.number for c in SHEET]
    assert all(r["findings"][0]["code"] == "ok" for r in records[:-1])
    assert [f["code"] for f in records[-1]["summary"]] == ["all-correct"]


def test_scanner_check_as_a_process_keeps_gs_and_tab() -> None:
    scan = by_id("gs1-datamatrix").expected + b"\t\n"
    done = subprocess.run(
        [*STATION, "diagnostics", "scanner-check", "--json"],
        input=scan + b"\xff\xfe junk\n",
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    first, junk, summary = (json.loads(line) for line in done.stdout.decode().splitlines())
    assert [f["code"] for f in first["findings"]] == ["suffix-tab"]
    assert junk["code"] is None
    assert "suffix-tab" in [f["code"] for f in summary["summary"]]


def test_json_given_before_the_check_is_kept() -> None:
    done = subprocess.run(
        [*STATION, "diagnostics", "--json", "scanner-check"],
        input=by_id("suffix").expected + b"\n",
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1, done.stderr  # five codes not scanned yet
    first = json.loads(done.stdout.decode().splitlines()[0])
    assert first["code"] == "suffix"
