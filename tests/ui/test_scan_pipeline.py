"""A scan in, an event on disk, then "recorded" on the GUI thread: the station's whole path.

Real parts throughout: a pseudo-terminal pair as the scanner's port, pyserial and the reader
thread, the Qt bridge, the code reader, the single DB writer on a real SQLite file.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import Connection

from benchmarks import bench_scan_commit
from benchmarks.bench_commit import StationSide
from drivers.serial.framing import Framing
from drivers.serial.source import PortState, SerialScanSource, SerialSettings
from station.errors import StationError
from station.scanning.raw import RawScan
from station.udi.model import ParsedCode
from ui.bridges import ScannerBridge
from ui.qt import QApplication, QThread
from ui.scan_pipeline import ScanRecorder

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs POSIX pseudo-terminals")


class Outcomes:
    """What the recorder said, and on which thread it said it."""

    def __init__(self, recorder: ScanRecorder) -> None:
        self.recorded: list[tuple[RawScan, ParsedCode, Any]] = []
        self.refused: list[tuple[RawScan, str]] = []
        self.on_gui_thread: list[bool] = []
        recorder.recorded.connect(self._recorded)
        recorder.refused.connect(self._refused)

    def _gui(self) -> None:
        app = QApplication.instance()
        assert app is not None
        self.on_gui_thread.append(QThread.currentThread() == app.thread())

    def _recorded(self, scan: RawScan, parsed: ParsedCode, result: Any) -> None:
        self._gui()
        self.recorded.append((scan, parsed, result))

    def _refused(self, scan: RawScan, message: str) -> None:
        self._gui()
        self.refused.append((scan, message))

    @property
    def count(self) -> int:
        return len(self.recorded) + len(self.refused)


@pytest.fixture
def station(tmp_path: Path) -> Iterator[StationSide]:
    side = StationSide(tmp_path / "station.db")
    yield side
    side.close()


@pytest.fixture
def port(qtbot: QtBot) -> Iterator[tuple[int, SerialScanSource]]:
    master, slave = os.openpty()
    source = SerialScanSource(
        SerialSettings(os.ttyname(slave), framing=Framing(terminator="cr")), name="pipeline"
    )
    source.start()
    qtbot.waitUntil(lambda: source.state is PortState.CONNECTED, timeout=3000)
    yield master, source
    source.stop()
    os.close(master)
    os.close(slave)


def _events(path: Path) -> list[tuple[str, bytes | None]]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT event_id, raw_scan FROM event ORDER BY seq").fetchall()


def _wire(
    source: SerialScanSource,
    station: StationSide,
    operation: Callable[[RawScan, ParsedCode], Callable[[Connection], Any]],
) -> tuple[ScannerBridge, ScanRecorder, Outcomes]:
    bridge = ScannerBridge(source)
    recorder = ScanRecorder(station.store.writer, operation)
    bridge.connect_to(recorder.on_scan)
    return bridge, recorder, Outcomes(recorder)


def test_a_scan_is_on_disk_before_recorded_is_shown(qtbot, station, port, tmp_path):
    master, source = port
    _bridge, _recorder, outcomes = _wire(
        source, station, bench_scan_commit.inspection_of_scanned_unit
    )
    before = len(_events(tmp_path / "station.db"))
    line = bench_scan_commit.scan_line(7)

    os.write(master, line)
    qtbot.waitUntil(lambda: outcomes.count == 1, timeout=5000)

    assert outcomes.refused == []
    scan, parsed, result = outcomes.recorded[0]
    assert scan.raw == line[:-1]  # the CR is framing, the GS separators are data
    assert (parsed.serial, parsed.lot) == ("S00000007", "LOT-B1")
    events = _events(tmp_path / "station.db")  # a separate connection: what is on disk
    assert len(events) == before + 1
    assert events[-1] == (result.event_id, line[:-1])
    assert outcomes.on_gui_thread == [True]


def test_a_code_the_reader_refuses_never_reaches_the_writer(qtbot, station, port, tmp_path):
    master, source = port
    calls: list[ParsedCode] = []

    def operation(scan: RawScan, parsed: ParsedCode) -> Callable[[Connection], Any]:
        calls.append(parsed)
        return bench_scan_commit.inspection_of_scanned_unit(scan, parsed)

    _bridge, _recorder, outcomes = _wire(source, station, operation)
    before = _events(tmp_path / "station.db")
    os.write(master, b"]d20104012345123450\x1d21X\r")  # GTIN check digit wrong

    qtbot.waitUntil(lambda: outcomes.count == 1, timeout=5000)
    assert outcomes.recorded == []
    assert "check digit" in outcomes.refused[0][1]
    assert calls == []
    assert _events(tmp_path / "station.db") == before


def test_a_screen_refusing_the_code_is_reported_not_recorded(qtbot, station, port, tmp_path):
    master, source = port

    def wrong_kind(scan: RawScan, parsed: ParsedCode) -> Callable[[Connection], Any]:
        raise StationError("scan the unit's label, not the case's")

    _bridge, _recorder, outcomes = _wire(source, station, wrong_kind)
    before = _events(tmp_path / "station.db")
    os.write(master, bench_scan_commit.scan_line(1))

    qtbot.waitUntil(lambda: outcomes.count == 1, timeout=5000)
    assert outcomes.refused[0][1] == "scan the unit's label, not the case's"
    assert _events(tmp_path / "station.db") == before


def test_a_write_the_store_refuses_is_reported_with_its_reason(qtbot, station, port, tmp_path):
    master, source = port
    _bridge, _recorder, outcomes = _wire(
        source, station, bench_scan_commit.inspection_of_scanned_unit
    )
    os.write(master, bench_scan_commit.scan_line(3))
    qtbot.waitUntil(lambda: outcomes.count == 1, timeout=5000)
    before = _events(tmp_path / "station.db")
    station.store.writer.close()  # the writer refuses new work, as during shutdown

    os.write(master, bench_scan_commit.scan_line(4))
    qtbot.waitUntil(lambda: outcomes.count == 2, timeout=5000)
    assert len(outcomes.recorded) == 1
    assert "writer is closed" in outcomes.refused[0][1]
    assert "not recorded" in outcomes.refused[0][1].lower()
    assert _events(tmp_path / "station.db") == before
    assert outcomes.on_gui_thread == [True, True]


def test_the_scan_to_commit_benchmark_runs_and_reports(tmp_path):
    results = bench_scan_commit.run(tmp_path, scans=5)
    assert len(results.scans) == 5
    assert all(s.written < s.delivered < s.committed < s.shown for s in results.scans)
    assert results.refused == []
    table = bench_scan_commit.report(results)
    assert "scan → durable event → UI signal" in table
