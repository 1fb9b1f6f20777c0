"""News from other threads reaches the GUI thread, and is dropped, never crashes, when its
window closed meanwhile (the race that killed a CI run with a segmentation fault: a writer
StationOp, then a QObject, released by the writer thread while the GUI thread deleted it)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
import sqlalchemy as sa
from pytestqt.qtbot import QtBot

from drivers.simulated.scanner import SimulatedScanner
from station.persistence.writer import DbWriter
from station.scanning.raw import RawScan
from ui.bridges import ScannerBridge
from ui.gui_thread import call_on_gui_thread
from ui.qt import QApplication, QObject, QThread, QWidget, is_alive
from ui.tasks import StationOp

ROUNDS = 300


@pytest.fixture
def writer(tmp_path: Path) -> Iterator[DbWriter]:
    made = DbWriter(sa.create_engine(f"sqlite:///{tmp_path / 'w.db'}"))
    yield made
    made.close()


def on_gui_thread() -> bool:
    app = QApplication.instance()
    assert app is not None
    return bool(QThread.currentThread() == app.thread())


def test_calls_from_a_worker_run_on_the_gui_thread_in_order(qtbot: QtBot) -> None:
    owner = QObject()
    seen: list[tuple[int, bool]] = []

    def record(n: int) -> None:
        seen.append((n, on_gui_thread()))

    def post() -> None:
        for n in range(50):
            call_on_gui_thread(owner, partial(record, n))

    worker = threading.Thread(target=post)
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: len(seen) == 50, timeout=5000)
    assert seen == [(n, True) for n in range(50)]


def test_a_call_on_the_gui_thread_is_deferred_not_run_inside_the_caller(qtbot: QtBot) -> None:
    owner = QObject()
    seen: list[str] = []
    call_on_gui_thread(owner, lambda: seen.append("posted"))
    seen.append("caller")
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=5000)
    assert seen == ["caller", "posted"]


def test_news_for_a_deleted_owner_is_dropped(qtbot: QtBot) -> None:
    parent = QObject()
    owner = QObject(parent)
    seen: list[str] = []
    call_on_gui_thread(owner, lambda: seen.append("late"))
    del parent  # deletes owner's C++ object before the posted call runs
    assert not is_alive(owner)
    marker = QObject()
    call_on_gui_thread(marker, lambda: seen.append("marker"))
    qtbot.waitUntil(lambda: seen == ["marker"], timeout=5000)


def test_a_faulty_call_is_logged_and_the_next_still_runs(
    qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    owner = QObject()
    seen: list[str] = []

    def boom() -> None:
        raise ValueError("faulty slot")

    call_on_gui_thread(owner, boom)
    call_on_gui_thread(owner, lambda: seen.append("next"))
    qtbot.waitUntil(lambda: seen == ["next"], timeout=5000)
    assert "faulty slot" in caplog.text


def test_writes_finishing_while_their_window_closes_never_crash(
    qtbot: QtBot, writer: DbWriter
) -> None:
    """Each round deletes the op's parent on the GUI thread while the writer thread resolves
    the future: late results are dropped, the others delivered, nothing crashes."""
    called: list[int] = []
    futures = []

    def note(n: int, _result: object) -> None:
        called.append(n)

    for n in range(ROUNDS):
        window = QObject()
        op = StationOp(window, writer, lambda conn: conn.execute(sa.text("SELECT 1")).scalar())
        futures.append(op.success(partial(note, n)).run())
        if n % 3:
            time.sleep(0.0001 * (n % 7))  # land the deletion on every side of the commit
        window.deleteLater()
        del window, op
        qtbot.wait(0)
    for future in futures:
        assert future.result(timeout=10) == 1
    qtbot.wait(50)
    assert len(called) < ROUNDS  # most windows were gone before their result arrived
    survivors = QObject()
    done: list[int] = []
    StationOp(survivors, writer, lambda conn: 7).success(done.append).run()
    qtbot.waitUntil(lambda: done == [7], timeout=5000)


def test_a_write_started_from_a_failed_writes_callback_completes(
    qtbot: QtBot, writer: DbWriter
) -> None:
    """The shape of the label dialog's refused plan: the failure callback audits in a second
    write, and the window closes right after. With StationOp a QObject deleted by deleteLater,
    tests/ui/test_label_print.py's refused-plan test crashed in ~QObject about one run in
    three (this synthetic version did not reproduce it; it guards the behaviour)."""
    audited: list[int] = []

    def refuse(_conn: sa.Connection) -> None:
        raise ValueError("refused")

    for n in range(100):
        window = QWidget()
        window.show()

        def audit(_error: BaseException, window: QObject = window, n: int = n) -> None:
            StationOp(window, writer, lambda conn: n).success(audited.append).run()

        StationOp(window, writer, refuse).failure(audit).run()
        qtbot.waitUntil(partial(audited.__contains__, n), timeout=5000)
        window.deleteLater()
        del window
    assert audited == list(range(100))


def test_scans_arriving_while_the_bridge_is_deleted_never_crash(qtbot: QtBot) -> None:
    """The bridge used to emit from the scanner's thread on itself; deleted meanwhile, that
    crashed this test three runs in four."""
    scanner = SimulatedScanner("race", [])
    scanner.start()
    received: list[RawScan] = []
    stop = threading.Event()

    def flood() -> None:
        while not stop.is_set():
            scanner.send(b"0104012345678901")
            time.sleep(0.0002)

    feeder = threading.Thread(target=flood)
    feeder.start()
    try:
        for _ in range(100):
            window = QObject()
            bridge = ScannerBridge(scanner, window)
            bridge.scanned.connect(received.append)
            qtbot.wait(1)
            window.deleteLater()
            del window, bridge
            qtbot.wait(0)
    finally:
        stop.set()
        feeder.join(5)
        scanner.stop()
        scanner.join(5)
    assert received  # scans did arrive while bridges lived
