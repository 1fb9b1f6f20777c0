"""`station label calibrate`, `station label status`, and the status check before a print,
through real processes and a simulated ZPL printer on loopback."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pytest

from drivers.labels.readback import read_frame
from drivers.printers.simulated import SimulatedZplPrinter
from tests.integration.station_cli import station
from tests.integration.test_cli_label import MATERIAL, PRODUCTS


@pytest.fixture
def printer() -> Iterator[SimulatedZplPrinter]:
    zebra = SimulatedZplPrinter("zebra")
    zebra.start()
    yield zebra
    zebra.stop()
    zebra.join(5)


def printers_file(tmp_path: Path, printer: SimulatedZplPrinter) -> Path:
    host, port = printer.address
    path = tmp_path / "printers.toml"
    path.write_text(
        f'[line1]\ntransport = "tcp"\nhost = "{host}"\nport = {port}\nlanguage = "zpl"\n'
        "dpi = 300\n",
        encoding="utf-8",
    )
    return path


def test_calibration_pdf_is_the_stock_size_and_scans(tmp_path: Path) -> None:
    out = tmp_path / "cal.pdf"
    made = station("label", "calibrate", "--width", "100", "--height", "50", "--out", str(out))
    assert made.returncode == 0, made.stderr
    page = pdfium.PdfDocument(out.read_bytes())[0]
    assert page.get_size() == pytest.approx((100 / 25.4 * 72, 50 / 25.4 * 72), abs=0.01)
    image = page.render(scale=300 / 72, grayscale=True).to_numpy().squeeze()
    assert read_frame(image) == ["]d2010952123454321321CAL300"]


def test_calibration_goes_to_the_printer_at_its_dpi(
    tmp_path: Path, printer: SimulatedZplPrinter
) -> None:
    sent = station(
        "label", "calibrate", "--width", "70", "--height", "40", "--printer", "line1",
        "--printers", str(printers_file(tmp_path, printer)),
    )  # fmt: skip
    assert sent.returncode == 0, sent.stderr
    [job] = printer.wait_for_jobs(1, timeout=10)
    assert b"^PW827" in job  # 70 mm at 300 dpi
    refused = station("label", "calibrate", "--width", "10", "--height", "10", "--out", "x.pdf")
    assert refused.returncode == 1
    assert "calibration needs stock" in refused.stderr


def test_status_says_ready_or_why_not(tmp_path: Path, printer: SimulatedZplPrinter) -> None:
    printers = str(printers_file(tmp_path, printer))
    ready = station("label", "status", "--printer", "line1", "--printers", printers)
    assert (ready.returncode, ready.stdout.strip()) == (0, "line1: ready")
    printer.set_status(paper_out=True, head_open=True)
    not_ready = station("label", "status", "--printer", "line1", "--printers", printers)
    assert not_ready.returncode == 1
    assert "NOT ready" in not_ready.stdout
    assert "out of labels" in not_ready.stdout
    assert "head is open" in not_ready.stdout


def test_a_printer_that_is_not_ready_gets_nothing_and_the_job_is_recorded_failed(
    tmp_path: Path, printer: SimulatedZplPrinter
) -> None:
    db, products, data = tmp_path / "station.db", tmp_path / "p.csv", tmp_path / "gi.json"
    products.write_text(PRODUCTS, encoding="utf-8", newline="")
    data.write_text(json.dumps(MATERIAL, ensure_ascii=False), encoding="utf-8")
    setup = [
        ("masterdata", "import", "--db", str(db), "--entity", "products", "--user", "li",
         "--reason", "setup", str(products)),
        ("label", "draft", "--db", str(db), "--stock", "goods-in", "--user", "wang",
         "--role", "admin"),
        ("label", "approve", "--db", str(db), "--template", "goods-in", "--version", "1",
         "--reason", "validated", "--user", "zhao", "--role", "qa"),
    ]  # fmt: skip
    for command in setup:
        done = station(*command)
        assert done.returncode == 0, done.stderr
    printer.set_status(paper_out=True)
    printed = station(
        "label", "print", "--db", str(db), "--printer", "line1", "--printers",
        str(printers_file(tmp_path, printer)), "--template", "goods-in", "--data", str(data),
        "--user", "li",
    )  # fmt: skip
    assert printed.returncode == 1
    assert "not ready" in printed.stderr
    assert printer.jobs == []
    with sqlite3.connect(db) as conn:
        outcome = conn.execute("SELECT status, detail FROM print_outcome").fetchall()
    assert outcome[0][0] == "failed"
    assert "not ready" in outcome[0][1]
