"""Scan-to-commit latency: a line written into a serial port → event durable → UI signal.

Run::

    .venv/bin/python -m benchmarks.bench_scan_commit            # print the table
    .venv/bin/python -m benchmarks.bench_scan_commit --write    # also update docs/benchmarks.md

The whole station path, with real parts: a pseudo-terminal pair stands in for a USB CDC-ACM
scanner; :class:`SerialScanSource` (pyserial, reader thread, framing) reads the slave end;
:class:`ScannerBridge` queues the scan to the Qt GUI thread (offscreen platform); the
:class:`ScanRecorder` reads the code and submits the operation to the single DB writer; the
event is committed (WAL, ``synchronous=FULL``) and ``recorded`` is emitted back on the GUI
thread. The clock starts just before ``os.write`` into the pty master and stops in the slot
connected to ``recorded``.

The operation is the QC bench's: an inspection (``ObjectEvent OBSERVE``, ``inspecting``) of
the serialised unit whose GS1 DataMatrix was scanned, with the raw scan kept.

In the same run, in alternating rounds: raw ``sqlite3`` commits one row per transaction with
the same durability (the floor any scan-to-commit path sits on), then the rows the station
writes for such an event, then the same event submitted straight to the writer with no scan
(what the scan path adds is the difference). Scans are paced like a fast operator (a new
scan 10–30 ms after the previous one was shown as recorded), so each latency is one scan's,
not a queue's.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Connection

from benchmarks.bench_commit import CTX, GTIN, RawSide, SameRowsSide, StationSide
from benchmarks.common import command_line, machine, percentile, write_section
from station.events.ids import sgtin_uri
from station.events.model import Action, ObjectEventDraft
from station.scanning.raw import RawScan
from station.services.recording import record
from station.udi.model import ParsedCode

if TYPE_CHECKING:
    from station.persistence.writer import DbWriter

SECTION = "## Scan to commit: serial line → durable event → UI signal"
ROUND = 50
WAIT_SECONDS = 10.0


def inspection_of_scanned_unit(scan: RawScan, parsed: ParsedCode) -> Callable[[Connection], Any]:
    """The QC bench's operation for a scanned unit: record its inspection, with the raw scan."""
    if parsed.gtin is None or parsed.serial is None:
        msg = "scan a serialised unit (GTIN and serial number)"
        raise ValueError(msg)
    draft = ObjectEventDraft(
        action=Action.OBSERVE,
        biz_step="inspecting",
        disposition="conformant",
        epcs=(sgtin_uri(parsed.gtin, parsed.serial),),
        biz_location="urn:udi-station:loc:WH-B",
    )
    return lambda conn: record(conn, CTX, draft, raw_scan=scan.raw)


def scan_line(number: int) -> bytes:
    """A GS1 DataMatrix read as a CDC-ACM scanner sends it: AIM id, GS separators, CR."""
    return f"]d201{GTIN}17281231\x1d10LOT-B1\x1d21S{number:08d}\r".encode("ascii")


@dataclass
class Stamps:
    """perf_counter times of one scan's steps."""

    written: float
    delivered: float = 0.0
    committed: float = 0.0
    shown: float = 0.0


@dataclass
class Results:
    scans: list[Stamps] = field(default_factory=list)
    raw_one_row: list[float] = field(default_factory=list)
    raw_same_rows: list[float] = field(default_factory=list)
    writer_only: list[float] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


class _TimedWriter:
    """The store's writer, stamping the moment each future resolves (right after COMMIT)."""

    def __init__(self, writer: Any, on_commit: Callable[[], None]) -> None:
        self._writer = writer
        self._on_commit = on_commit

    def submit(self, fn: Callable[[Connection], Any]) -> Any:
        future = self._writer.submit(fn)
        # Callbacks run in the order added: this one before StationOp's hand-off to the GUI.
        future.add_done_callback(lambda _: self._on_commit())
        return future


def run(directory: Path, scans: int) -> Results:  # noqa: PLR0915 - one setup, told in order
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # Qt and the serial driver load here, so ``--help`` and the doc tests stay light.
    from drivers.serial.framing import Framing  # noqa: PLC0415
    from drivers.serial.source import SerialScanSource, SerialSettings  # noqa: PLC0415
    from ui.bridges import ScannerBridge  # noqa: PLC0415
    from ui.qt import QApplication, QObject, Signal  # noqa: PLC0415
    from ui.scan_pipeline import ScanRecorder  # noqa: PLC0415

    class Quitter(QObject):
        quit = Signal()

    app = QApplication.instance() or QApplication([])
    station = StationSide(directory / "station.db")
    station.commit_one()  # a row for the same-rows side to copy
    same = SameRowsSide(directory / "same.db", directory / "station.db")
    raw = RawSide(directory / "raw.db", station.sample_payload())
    master, slave = os.openpty()
    source = SerialScanSource(
        SerialSettings(os.ttyname(slave), framing=Framing(terminator="cr")), name="bench"
    )
    results = Results()
    current: list[Stamps] = []
    shown = threading.Event()

    def stamp(attribute: str) -> Callable[..., None]:
        def set_time(*_: object) -> None:
            if current:
                setattr(current[-1], attribute, time.perf_counter())

        return set_time

    def on_shown(*_: object) -> None:
        stamp("shown")()
        shown.set()

    def on_refused(_: object, message: str) -> None:
        results.refused.append(message)
        shown.set()

    source.subscribe(stamp("delivered"))  # on the reader thread, before the bridge's hop
    bridge = ScannerBridge(source)
    timed = cast("DbWriter", _TimedWriter(station.store.writer, stamp("committed")))
    recorder = ScanRecorder(timed, inspection_of_scanned_unit)
    bridge.connect_to(recorder.on_scan)
    recorder.recorded.connect(on_shown)
    recorder.refused.connect(on_refused)
    quitter = Quitter()
    quitter.quit.connect(app.quit)

    def one_scan(number: int) -> None:
        shown.clear()
        line = scan_line(number)
        current.append(Stamps(time.perf_counter()))
        os.write(master, line)
        if not shown.wait(WAIT_SECONDS):
            msg = f"scan {number} was not shown within {WAIT_SECONDS} s"
            raise RuntimeError(msg)
        time.sleep(random.uniform(0.010, 0.030))

    def timed_raw(commit: Callable[[], None], into: list[float]) -> None:
        start = time.perf_counter()
        commit()
        into.append((time.perf_counter() - start) * 1000)
        time.sleep(random.uniform(0.010, 0.030))  # the same pacing as the scans

    def drive() -> None:
        try:
            for number in range(20):  # warm-up: caches, prepared statements, the serial port
                one_scan(1_000_000 + number)
            current.clear()
            number = 0
            while number < scans:
                for _ in range(min(ROUND, scans - number)):
                    one_scan(number)
                    number += 1
                for _ in range(ROUND):
                    timed_raw(raw.commit_one, results.raw_one_row)
                    timed_raw(same.commit_one, results.raw_same_rows)
                    timed_raw(station.commit_one, results.writer_only)
        finally:
            results.scans = list(current)
            quitter.quit.emit()

    driver = threading.Thread(target=drive, name="bench-driver")
    try:
        source.start()
        deadline = time.monotonic() + 5
        while source.state.value != "connected" and time.monotonic() < deadline:
            time.sleep(0.01)
        driver.start()
        app.exec()
        driver.join()
    finally:
        source.stop()
        os.close(master)
        os.close(slave)
        station.close()
        same.close()
        raw.close()
    return results


def _ms(values: list[float]) -> str:
    return (
        f"{percentile(values, 0.5):.2f} | {percentile(values, 0.9):.2f} | "
        f"{percentile(values, 0.99):.2f} | {max(values):.2f}"
    )


def report(results: Results) -> str:
    done = [s for s in results.scans if s.shown]
    total = [(s.shown - s.written) * 1000 for s in done]
    steps = {
        "pty write → RawScan on the reader thread": [
            (s.delivered - s.written) * 1000 for s in done
        ],
        "RawScan → committed (GUI hop, read, writer, COMMIT)": [
            (s.committed - s.delivered) * 1000 for s in done
        ],
        "committed → `recorded` slot on the GUI thread": [
            (s.shown - s.committed) * 1000 for s in done
        ],
    }
    rows = ["| Path | p50 ms | p90 ms | p99 ms | max ms |", "|---|---|---|---|---|"]
    rows.append(f"| **scan → durable event → UI signal** | {_ms(total)} |")
    rows += [f"| &nbsp;&nbsp;{label} | {_ms(values)} |" for label, values in steps.items()]
    rows.append(
        f"| the same event through `writer.submit(record)`, no scan | {_ms(results.writer_only)} |"
    )
    rows.append(f"| raw `sqlite3` FULL commit, one row | {_ms(results.raw_one_row)} |")
    rows.append(f"| raw `sqlite3` FULL commit, the station's rows | {_ms(results.raw_same_rows)} |")
    p99_ratio = percentile(total, 0.99) / percentile(results.raw_one_row, 0.99)
    p50_ratio = percentile(total, 0.5) / percentile(results.raw_one_row, 0.5)
    refused = f" {len(results.refused)} scans refused." if results.refused else ""
    return "\n".join(
        [
            *rows,
            "",
            (
                f"{len(done)} scans and {len(results.raw_one_row)} raw commits of each kind, in "
                f"alternating rounds of {ROUND}. Whole path / raw one-row commit: p50 "
                f"{p50_ratio:.1f}x, p99 {p99_ratio:.1f}x.{refused}"
            ),
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--scans", type=int, default=500, help="scans to time (default 500)")
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args(argv)
    if sys.platform == "win32":
        print("needs POSIX pseudo-terminals", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="bench-scan-") as directory:
        results = run(Path(directory), args.scans)
    table = report(results)
    print(table)
    if args.write:
        section = "\n".join(
            [
                SECTION,
                "",
                (
                    f"Command: `{command_line('benchmarks.bench_scan_commit', argv)}`. "
                    f"Machine: {machine()}."
                ),
                "",
                table,
                "",
            ]
        )
        write_section(SECTION, section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
