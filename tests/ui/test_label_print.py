"""The print dialog (offscreen, real widgets): a real store file seeded by the demo seeder, the
simulated ZPL printer on loopback, the rendered-image and simulated-camera read-backs."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
import sqlalchemy as sa
from pytestqt.qtbot import QtBot

from drivers.simulated.camera import SimulatedCamera
from station.events.ids import sgtin_uri
from station.labels.model import ResolvedLabel
from tests.ui.conftest import MakeGui
from tests.ui.helpers import sign_in
from ui.label_verifiers import RenderedImageVerifier
from ui.print_run import CHECKED, VERIFY, PrintRunResult
from ui.print_setup import DemoPrintStation
from ui.views.label_print import LabelPrintDialog

RUN_TIMEOUT_MS = 90_000


@pytest.fixture
def station() -> Iterator[DemoPrintStation]:
    made = DemoPrintStation()
    yield made
    made.close()


@pytest.fixture
def camera() -> Iterator[SimulatedCamera]:
    cam = SimulatedCamera("print-test", frame_size=(640, 480), fps=30)
    cam.start()
    yield cam
    cam.stop()
    cam.join(5)


def open_dialog(qtbot: QtBot, station: DemoPrintStation) -> LabelPrintDialog:
    dialog = LabelPrintDialog(station, "en")
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.ready, timeout=30_000):
        dialog.show()
    return dialog


def choose(dialog: LabelPrintDialog, template: str, copies: int) -> None:
    index = dialog.template_box.findData(template)
    assert index >= 0, template
    dialog.template_box.setCurrentIndex(index)
    dialog.copies.setValue(copies)


def print_and_wait(qtbot: QtBot, dialog: LabelPrintDialog) -> PrintRunResult:
    with qtbot.waitSignal(dialog.run_finished, timeout=RUN_TIMEOUT_MS) as finished:
        dialog.print_button.click()
    result = finished.args[0]
    assert isinstance(result, PrintRunResult)
    return result


def rows(station: DemoPrintStation, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    setup = station.open()
    with setup.store.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sa.text(sql), params)]


def commissioned(station: DemoPrintStation, gtin: str, serials: tuple[str, ...]) -> int:
    uris = {u for (u,) in rows(station, "SELECT DISTINCT uri FROM event_ident")}
    return sum(sgtin_uri(gtin, s) in uris for s in serials)


def test_a_batch_of_five_unit_labels_prints_reads_back_and_is_recorded(
    qtbot: QtBot, station: DemoPrintStation
) -> None:
    dialog = open_dialog(qtbot, station)
    assert not dialog.camera_check.isEnabled()  # no camera: read back from the rendered label
    assert set(dialog.templates) == {"udi-unit", "udi-case", "sscc-pallet", "goods-in"}
    choose(dialog, "udi-unit", 5)
    assert "serial" not in dialog.fields  # the station allocates serials
    assert dialog.fields["gtin"].text() == station.open().samples["udi-unit"]["gtin"]

    seen: list[tuple[str, int, int, bool]] = []
    dialog.progress_changed.connect(
        lambda step, done, total: seen.append(
            (step, done, total, threading.current_thread() is threading.main_thread())
        )
    )
    result = print_and_wait(qtbot, dialog)

    assert result.ok, (result, dialog.error.text())
    assert (dialog.progress.value(), dialog.progress.maximum()) == (5, 5)
    assert dialog.progress.text() == "5/5"
    assert [d for s, d, _, _ in seen if s == CHECKED] == [1, 2, 3, 4, 5]
    assert all(on_gui for *_, on_gui in seen)  # every progress update on the GUI thread
    assert "Every label read back as recorded" in dialog.status.text()
    assert dialog.error.text() == ""

    jobs = rows(station, "SELECT kind, labels, printer FROM print_job")
    assert jobs == [("print", 5, "demo-zpl")]
    assert rows(station, "SELECT status FROM print_outcome") == [("sent",)]
    checks = rows(station, "SELECT label_index, passed FROM label_check ORDER BY id")
    assert checks == [(i, 1) for i in range(5)]
    gtin = station.open().samples["udi-unit"]["gtin"]
    assert len(result.serials) == 5
    assert commissioned(station, gtin, result.serials) == 5
    assert station.printer is not None
    assert len(station.printer.wait_for_jobs(5, timeout=5)) == 5


def test_the_camera_reads_back_each_label_shown_to_the_simulated_camera(
    qtbot: QtBot, camera: SimulatedCamera
) -> None:
    station = DemoPrintStation(camera)
    try:
        dialog = open_dialog(qtbot, station)
        assert dialog.camera_check.isEnabled()
        assert dialog.camera_check.isChecked()
        choose(dialog, "udi-unit", 3)
        before = camera.stats.scans_delivered
        result = print_and_wait(qtbot, dialog)
        assert result.ok, (result, dialog.error.text())
        assert [c.passed for c in result.checks] == [True, True, True]
        assert camera.stats.scans_delivered - before >= 3
        assert rows(station, "SELECT count(*) FROM label_check WHERE passed") == [(3,)]
    finally:
        station.close()


def test_identical_labels_are_each_read_by_the_camera(
    qtbot: QtBot, camera: SimulatedCamera
) -> None:
    """Lot labels without serials look alike: each is taken away before the next is shown."""
    station = DemoPrintStation(camera)
    try:
        dialog = open_dialog(qtbot, station)
        choose(dialog, "goods-in", 2)
        result = print_and_wait(qtbot, dialog)
        assert result.ok, (result, dialog.error.text())
        assert len(result.checks) == 2
    finally:
        station.close()


def test_a_printer_that_refuses_connections_fails_the_job_and_commissions_nothing(
    qtbot: QtBot, station: DemoPrintStation
) -> None:
    dialog = open_dialog(qtbot, station)
    assert station.printer is not None
    assert station.printer.refuse()
    choose(dialog, "udi-unit", 2)
    result = print_and_wait(qtbot, dialog)

    assert not result.sent
    assert not result.may_have_printed
    assert "Not printed" in dialog.error.text()
    assert "not printed" in dialog.status.text()
    assert dialog.print_button.isEnabled()  # the operator can try again
    assert rows(station, "SELECT status FROM print_outcome") == [("failed",)]
    assert rows(station, "SELECT count(*) FROM label_check") == [(0,)]
    gtin = station.open().samples["udi-unit"]["gtin"]
    assert commissioned(station, gtin, result.serials) == 0
    actions = [a for (a,) in rows(station, "SELECT action FROM audit ORDER BY seq")]
    assert "label.print.failed" in actions
    assert "label.printed" not in actions


class GatedVerifier(RenderedImageVerifier):
    """Reads like the rendered-image verifier, but holds label ``gate`` until cancelled."""

    def __init__(self, gate: int) -> None:
        self.gate = gate
        self.threads: set[str] = set()

    def read(
        self, label: ResolvedLabel, *, index: int, dpi: int, cancel: threading.Event
    ) -> list[str] | None:
        self.threads.add(threading.current_thread().name)
        if index == self.gate:
            cancel.wait(30)
            return None
        return super().read(label, index=index, dpi=dpi, cancel=cancel)


def test_cancel_mid_batch_stops_the_read_back_and_records_only_what_happened(
    qtbot: QtBot, station: DemoPrintStation
) -> None:
    dialog = open_dialog(qtbot, station)
    assert dialog.setup is not None
    gated = GatedVerifier(gate=2)
    dialog.setup.rendered_verifier = gated
    choose(dialog, "udi-unit", 5)

    def cancel_at_the_gate(step: str, done: int, _total: int) -> None:
        if step == VERIFY and done == 2:
            assert not dialog.close_button.isEnabled()  # a running job cannot be walked away from
            dialog.cancel_button.click()

    dialog.progress_changed.connect(cancel_at_the_gate)
    result = print_and_wait(qtbot, dialog)

    assert result.sent
    assert result.cancelled
    assert len(result.checks) == 2
    assert result.unverified == 3
    assert dialog.progress.value() == 2
    assert "3 label(s) not read back" in dialog.status.text()
    assert rows(station, "SELECT status FROM print_outcome") == [("sent",)]
    assert rows(station, "SELECT label_index FROM label_check ORDER BY id") == [(0,), (1,)]
    assert gated.threads == {"label-print-run"}  # the read-back ran off the GUI thread


def test_bad_data_is_refused_in_the_dialog_and_nothing_is_planned(
    qtbot: QtBot, station: DemoPrintStation
) -> None:
    dialog = open_dialog(qtbot, station)
    choose(dialog, "udi-unit", 1)
    dialog.fields["expiry"].setText("<b>2027-13-45</b>")
    dialog.print_button.click()
    assert "2027-13-45" in dialog.error.text()
    assert dialog.error.textFormat().name == "PlainText"
    assert not dialog.running
    assert rows(station, "SELECT count(*) FROM print_job") == [(0,)]


def test_the_demo_print_action_opens_the_dialog_and_prints(make_gui: MakeGui, qtbot: QtBot) -> None:
    gui = make_gui("en", demo=True)
    station = gui.print_station
    assert station is not None
    assert station.printer is None  # nothing opened at start-up
    assert gui.workstation is not None
    folder = gui.workstation.store.path.parent  # the demo database's own temporary folder
    sign_in(qtbot, gui, "wang")  # labels print as the signed-in operator
    action = gui.window.print_action
    assert action is not None
    assert action.shortcut().toString() == "F6"
    action.trigger()
    dialog = gui.label_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.setup is not None, timeout=30_000)
    assert dialog.camera_check.isChecked()  # the demo camera reads the labels back
    choose(dialog, "udi-unit", 2)
    result = print_and_wait(qtbot, dialog)
    assert result.ok, (result, dialog.error.text())
    printer = station.printer
    assert printer is not None
    gui.close()
    assert not printer.running
    assert not folder.exists()


def test_a_refused_plan_is_shown_and_audited(qtbot: QtBot, station: DemoPrintStation) -> None:
    dialog = open_dialog(qtbot, station)
    setup = dialog.setup
    assert setup is not None
    setup.ctx = replace(setup.ctx, roles=frozenset())  # someone without label.print
    choose(dialog, "udi-unit", 1)
    dialog.print_button.click()
    qtbot.waitUntil(lambda: "label.print" in dialog.error.text(), timeout=30_000)
    qtbot.waitUntil(
        lambda: (
            rows(station, "SELECT count(*) FROM audit WHERE action = 'access.denied'") == [(1,)]
        ),
        timeout=30_000,
    )
    assert rows(station, "SELECT count(*) FROM print_job") == [(0,)]
    assert dialog.print_button.isEnabled()
