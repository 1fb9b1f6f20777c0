"""ui.print_run.run_print_job on a real store (seeded by station.demo.labels) and the simulated
ZPL printer on loopback: what is recorded for each way a run can end."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import sqlalchemy as sa

from drivers.simulated.camera import SimulatedCamera
from station.events.ids import sgtin_uri
from station.labels.data import LabelData
from station.labels.model import ResolvedLabel
from station.labels.printing import PlannedJob, plan_print
from station.services.errors import Refused
from ui import print_run
from ui.label_verifiers import CameraVerifier, RenderedImageVerifier
from ui.print_run import (
    CHECKED,
    DONE,
    MAY_HAVE_PRINTED,
    RENDER,
    SEND,
    SENT,
    VERIFY,
    run_print_job,
)
from ui.print_setup import DemoPrintStation, PrintSetup


@pytest.fixture
def demo() -> Iterator[DemoPrintStation]:
    station = DemoPrintStation()
    station.open()
    yield station
    station.close()


def plan(setup: PrintSetup, copies: int, template: str = "udi-unit") -> PlannedJob:
    printer = setup.printers[0]
    data = LabelData.from_mapping(dict(setup.samples[template]))
    return setup.store.writer.submit(
        lambda conn: plan_print(
            conn,
            setup.ctx,
            template=template,
            data=data,
            copies=copies,
            printer=printer.name,
            fmt=printer.language,
        )
    ).result()


def rows(setup: PrintSetup, sql: str) -> list[tuple[Any, ...]]:
    with setup.store.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sa.text(sql))]


def commissioned(setup: PrintSetup, job: PlannedJob) -> int:
    uris = {u for (u,) in rows(setup, "SELECT DISTINCT uri FROM event_ident")}
    gtin = setup.samples["udi-unit"]["gtin"]
    return sum(sgtin_uri(gtin, s) in uris for s in job.serials)


def test_progress_steps_in_order_and_every_label_checked(demo: DemoPrintStation) -> None:
    setup = demo.open()
    job = plan(setup, 2)
    steps: list[tuple[str, int, int]] = []
    result = run_print_job(
        setup.store.writer,
        setup.ctx,
        job,
        setup.printers[0],
        RenderedImageVerifier(),
        progress=lambda step, done, total, _m: steps.append((step, done, total)),
    )
    assert result.ok
    assert steps == [
        (RENDER, 0, 2),
        (SEND, 0, 2),
        (SENT, 0, 2),
        (VERIFY, 0, 2),
        (CHECKED, 1, 2),
        (VERIFY, 1, 2),
        (CHECKED, 2, 2),
        (DONE, 2, 2),
    ]
    assert rows(setup, "SELECT status FROM print_outcome") == [("sent",)]
    assert commissioned(setup, job) == 2


def test_without_a_verifier_the_job_is_sent_and_nothing_is_checked(demo: DemoPrintStation) -> None:
    setup = demo.open()
    result = run_print_job(setup.store.writer, setup.ctx, plan(setup, 3), setup.printers[0], None)
    assert result.ok
    assert not result.verified
    assert rows(setup, "SELECT count(*) FROM label_check") == [(0,)]


def test_a_connection_dropped_mid_job_is_failed_and_says_the_labels_may_have_printed(
    demo: DemoPrintStation,
) -> None:
    setup = demo.open()
    assert demo.printer is not None
    demo.printer.drop_after(100)
    job = plan(setup, 2)
    result = run_print_job(
        setup.store.writer, setup.ctx, job, setup.printers[0], RenderedImageVerifier()
    )
    assert not result.sent
    assert result.may_have_printed
    assert result.detail is not None
    assert result.detail.endswith(MAY_HAVE_PRINTED)
    ((status, detail),) = rows(setup, "SELECT status, detail FROM print_outcome")
    assert status == "failed"
    assert "may have printed" in detail
    assert "before reprinting" in detail
    assert commissioned(setup, job) == 0
    assert rows(setup, "SELECT count(*) FROM label_check") == [(0,)]


def test_an_unexpected_transport_error_is_treated_as_may_have_printed(
    demo: DemoPrintStation, monkeypatch: pytest.MonkeyPatch
) -> None:
    setup = demo.open()

    class Broken:
        def send(self, data: bytes, *, timeout: float) -> None:
            msg = "driver bug"
            raise RuntimeError(msg)

    @contextmanager
    def broken(_choice: object) -> Iterator[Broken]:
        yield Broken()

    monkeypatch.setattr(print_run, "printer_transport", broken)
    result = run_print_job(setup.store.writer, setup.ctx, plan(setup, 1), setup.printers[0], None)
    assert not result.sent
    assert result.may_have_printed
    assert rows(setup, "SELECT status FROM print_outcome") == [("failed",)]


def test_cancel_before_sending_records_a_failed_job_and_sends_nothing(
    demo: DemoPrintStation,
) -> None:
    setup = demo.open()
    assert demo.printer is not None
    job = plan(setup, 2)
    cancel = threading.Event()
    cancel.set()
    result = run_print_job(
        setup.store.writer, setup.ctx, job, setup.printers[0], None, cancel=cancel
    )
    assert (result.sent, result.cancelled, result.may_have_printed) == (False, True, False)
    ((status, detail),) = rows(setup, "SELECT status, detail FROM print_outcome")
    assert status == "failed"
    assert "nothing was sent" in detail
    assert demo.printer.received == b""
    assert commissioned(setup, job) == 0


class Scripted:
    """A verifier that reads garbage for label ``bad`` and raises at label ``broken``."""

    needs_operator = False

    def __init__(self, bad: int | None = None, broken: int | None = None) -> None:
        self.bad, self.broken = bad, broken

    def read(
        self, label: ResolvedLabel, *, index: int, dpi: int, cancel: threading.Event
    ) -> list[str] | None:
        if index == self.broken:
            msg = "decoder crashed"
            raise RuntimeError(msg)
        if index == self.bad:
            return ["]d2garbage"]
        return [item.expected for item in label.barcodes]


def test_a_verifier_that_fails_stops_the_read_back_and_records_nothing_for_that_label(
    demo: DemoPrintStation,
) -> None:
    setup = demo.open()
    result = run_print_job(
        setup.store.writer, setup.ctx, plan(setup, 3), setup.printers[0], Scripted(broken=1)
    )
    assert result.sent
    assert not result.ok
    assert result.verify_error == "label 2: decoder crashed"
    assert result.unverified == 2
    assert rows(setup, "SELECT label_index FROM label_check") == [(0,)]


def test_a_label_read_back_wrong_is_recorded_failed_and_stops_the_printer(
    demo: DemoPrintStation,
) -> None:
    setup = demo.open()
    result = run_print_job(
        setup.store.writer, setup.ctx, plan(setup, 2), setup.printers[0], Scripted(bad=0)
    )
    assert result.sent
    assert result.failed_checks == 1
    assert [c.passed for c in result.checks] == [False, True]
    with pytest.raises(Refused) as refused:
        plan(setup, 1)
    assert refused.value.reason == "verify_failed"


def test_the_camera_verifier_refuses_a_camera_that_is_not_running(demo: DemoPrintStation) -> None:
    setup = demo.open()
    camera = SimulatedCamera("stopped", frame_size=(320, 240))
    result = run_print_job(
        setup.store.writer, setup.ctx, plan(setup, 1), setup.printers[0], CameraVerifier(camera)
    )
    assert result.sent
    assert result.verify_error is not None
    assert "not running" in result.verify_error
    assert rows(setup, "SELECT count(*) FROM label_check") == [(0,)]


def test_the_camera_verifier_reads_what_the_simulated_camera_is_shown(
    demo: DemoPrintStation,
) -> None:
    setup = demo.open()
    camera = SimulatedCamera("shown", frame_size=(640, 480), fps=30)
    camera.start()
    try:
        verifier = CameraVerifier(camera, timeout=10)
        job = plan(setup, 2)
        result = run_print_job(setup.store.writer, setup.ctx, job, setup.printers[0], verifier)
    finally:
        camera.stop()
        camera.join(5)
    assert result.ok, result
    assert rows(setup, "SELECT count(*) FROM label_check WHERE passed") == [(2,)]


def test_the_camera_verifier_times_out_into_a_failed_check(demo: DemoPrintStation) -> None:
    """A camera that sees nothing (a real one nobody held the label under) fails the label."""
    setup = demo.open()
    camera = SimulatedCamera("idle", frame_size=(320, 240), fps=30)
    camera.start()
    try:
        verifier = CameraVerifier(camera, timeout=0.5)
        verifier.simulated = False  # behave as a real camera: wait, show nothing
        job = plan(setup, 1)
        result = run_print_job(setup.store.writer, setup.ctx, job, setup.printers[0], verifier)
    finally:
        camera.stop()
        camera.join(5)
    assert result.sent
    assert result.failed_checks == 1
