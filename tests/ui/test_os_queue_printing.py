"""Printing through an OS queue with Qt (the Windows spooler, CUPS with the vendor's driver):
a page per label at the label's size, recorded like any print; offscreen, so the queue's pages
are captured as PDFs by Qt's own PDF printer."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pytest
import sqlalchemy as sa
from pytestqt.qtbot import QtBot

from drivers.labels.raster import render_png
from drivers.labels.readback import read_frame
from drivers.printers.errors import PrinterError
from station.labels.calibration import calibration_label
from station.labels.data import LabelData
from station.labels.printing import plan_print
from ui import printing
from ui.label_verifiers import RenderedImageVerifier
from ui.print_run import PrinterChoice, run_print_job
from ui.print_setup import DemoPrintStation
from ui.printing import OsQueueTransport, png_size_mm

QUEUE = PrinterChoice("office", "png", 300, {"transport": "os-queue", "queue": "Office Zebra"})


@pytest.fixture
def demo() -> Iterator[DemoPrintStation]:
    station = DemoPrintStation()
    station.open()
    yield station
    station.close()


@pytest.fixture
def captured(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[Path]:
    """Each page the queue would get, printed by Qt to a PDF file instead."""
    pages: list[Path] = []

    def to_pdf(png: bytes, width: float, height: float, queue: str, *, title: str) -> None:
        assert queue == "Office Zebra"
        pages.append(tmp_path / f"page{len(pages)}.pdf")
        printing.print_label_image_to_pdf(png, width, height, pages[-1], title=title)

    monkeypatch.setattr(printing, "print_label_image", to_pdf)
    return pages


def test_a_job_prints_a_page_per_label_at_the_label_size(
    qtbot: QtBot, demo: DemoPrintStation, captured: list[Path]
) -> None:
    del qtbot  # a QApplication for Qt printing
    setup = demo.open()
    data = LabelData.from_mapping(dict(setup.samples["udi-unit"]))
    job = setup.store.writer.submit(
        lambda conn: plan_print(
            conn, setup.ctx, template="udi-unit", data=data, copies=3, printer="office", fmt="png"
        )
    ).result()
    result = run_print_job(setup.store.writer, setup.ctx, job, QUEUE, RenderedImageVerifier())
    assert result.ok, result.detail
    assert len(captured) == 3
    for path, label in zip(captured, job.labels, strict=True):
        page = pdfium.PdfDocument(path.read_bytes())[0]
        width, height = page.get_size()
        assert (width, height) == pytest.approx((70 / 25.4 * 72, 40 / 25.4 * 72), abs=1.0)
        image = page.render(scale=300 / 72, grayscale=True).to_numpy().squeeze()
        assert read_frame(image) == [label.barcodes[0].expected]
    pngs = b"".join(render_png(label, 300) for label in job.labels)
    with setup.store.engine.connect() as conn:
        outcome = conn.execute(sa.text("SELECT status, payload_sha256 FROM print_outcome")).one()
    assert tuple(outcome) == ("sent", hashlib.sha256(pngs).hexdigest())


def test_an_unknown_queue_or_a_bad_image_prints_nothing(qtbot: QtBot) -> None:
    del qtbot
    png = render_png(calibration_label(70, 40, 203), 203)
    with pytest.raises(PrinterError, match="no print queue named") as refused:
        OsQueueTransport("No Such Queue").send(png, timeout=1)
    assert not refused.value.may_have_printed
    with pytest.raises(PrinterError, match="not a readable PNG"):
        OsQueueTransport("No Such Queue").send(b"not a png", timeout=1)


def test_a_failure_after_a_page_may_have_printed(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    del qtbot
    calls: list[int] = []

    def second_fails(png: bytes, width: float, height: float, queue: str, *, title: str) -> None:
        calls.append(1)
        if len(calls) == 2:
            msg = "the print job failed as it was handed over"
            raise PrinterError(msg)

    monkeypatch.setattr(printing, "print_label_image", second_fails)
    transport = OsQueueTransport("q")
    png = render_png(calibration_label(70, 40, 300), 300)
    assert png_size_mm(png) == pytest.approx((70, 40), abs=0.05)
    transport.send(png, timeout=1)
    with pytest.raises(PrinterError) as failed:
        transport.send(png, timeout=1)
    assert failed.value.may_have_printed
    assert "after 1 label(s)" in str(failed.value)
