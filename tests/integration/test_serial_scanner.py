"""SerialScanSource through a real pseudo-terminal pair: the reader thread, pyserial and the framer.

The test writes into the pty master as a scanner would; the source opens the slave path with
pyserial. Unplug is closing the master (the slave read fails with EIO); replug re-points a
symlink in ``tmp_path`` to a fresh pty, since a pty cannot be recreated under the same name.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from drivers.serial.discovery import PortInfo, list_ports
from drivers.serial.framing import Framing, Terminator
from drivers.serial.source import PortState, SerialScanSource, SerialSettings
from station.scanning.raw import RawScan

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs POSIX pseudo-terminals")

TIMEOUT = 3.0  # a deadline, not a sleep: every wait below returns as soon as its condition holds


@dataclass
class Pty:
    master: int
    slave: int
    path: str

    @classmethod
    def open(cls) -> Pty:
        master, slave = os.openpty()
        return cls(master, slave, os.ttyname(slave))

    def write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            view = view[os.write(self.master, view) :]

    def close(self) -> None:
        for fd in (self.slave, self.master):
            with contextlib.suppress(OSError):
                os.close(fd)


@dataclass
class Recorder:
    scans: list[RawScan] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    states: list[PortState] = field(default_factory=list)
    threads: set[str] = field(default_factory=set)
    cond: threading.Condition = field(default_factory=threading.Condition)

    def scan(self, scan: RawScan) -> None:
        with self.cond:
            self.threads.add(threading.current_thread().name)
            self.scans.append(scan)
            self.cond.notify_all()

    def error(self, message: str) -> None:
        with self.cond:
            self.errors.append(message)
            self.cond.notify_all()

    def state(self, state: PortState, detail: str | None) -> None:
        with self.cond:
            self.states.append(state)
            self.cond.notify_all()

    def wait(self, predicate: Callable[[], bool], timeout: float = TIMEOUT) -> None:
        with self.cond:
            assert self.cond.wait_for(predicate, timeout), f"timed out: {self!r}"

    def raws(self) -> list[bytes]:
        with self.cond:
            return [s.raw for s in self.scans]

    def wait_raws(self, n: int) -> list[bytes]:
        self.wait(lambda: len(self.scans) >= n)
        return self.raws()


@pytest.fixture
def ptys() -> Iterator[list[Pty]]:
    opened: list[Pty] = []
    yield opened
    for pty in opened:
        pty.close()


Starter = Callable[..., tuple[SerialScanSource, Recorder]]


@pytest.fixture
def start_source() -> Iterator[Starter]:
    sources: list[SerialScanSource] = []

    def start(
        path: str, framing: Framing | None = None, **kw: float
    ) -> tuple[SerialScanSource, Recorder]:
        settings = SerialSettings(
            port=path,
            framing=framing or Framing(),
            backoff_initial=0.02,
            backoff_max=0.2,
            presence_check=0.05,
            **kw,  # type: ignore[arg-type]
        )
        source = SerialScanSource(settings, name="bench")
        rec = Recorder()
        source.subscribe(rec.scan)
        source.on_error(rec.error)
        source.on_state(rec.state)
        sources.append(source)
        source.start()
        # bytes must not be written before pyserial has put the tty into raw mode
        rec.wait(lambda: source.state == PortState.CONNECTED)
        return source, rec

    yield start
    for source in sources:
        t0 = time.monotonic()
        source.stop()
        assert not source.running
        assert time.monotonic() - t0 < 1.0, "stop() must join promptly"
        assert source.state == PortState.STOPPED


def new_pty(ptys: list[Pty]) -> Pty:
    pty = Pty.open()
    ptys.append(pty)
    return pty


GS1 = b"]d20104012345123456112501151726123110LOT-A1\x1d21SN0001"
PPN = b"]d1[)>\x1e06\x1d9N110375286414\x1d1TLOT-7\x1d\x1e\x04"


@pytest.mark.parametrize(
    ("terminator", "sep"),
    [
        ("auto", b"\r"),
        ("auto", b"\n"),
        ("auto", b"\r\n"),
        ("cr", b"\r"),
        ("lf", b"\n"),
        ("crlf", b"\r\n"),
    ],
)
def test_terminated_scans_arrive_byte_for_byte(
    ptys: list[Pty], start_source: Starter, terminator: Terminator, sep: bytes
) -> None:
    pty = new_pty(ptys)
    _, rec = start_source(pty.path, Framing(terminator=terminator))
    pty.write(GS1 + sep + PPN + sep)
    assert rec.wait_raws(2) == [GS1, PPN]  # GS, RS, EOT and the AIM IDs untouched
    scan = rec.scans[0]
    assert scan.source == f"serial:{pty.path}"
    assert scan.symbology is None
    assert rec.threads == {"scanner-serial-bench"}  # delivered on the reader thread


def test_no_terminator_ends_a_scan_after_the_inter_character_timeout(
    ptys: list[Pty], start_source: Starter
) -> None:
    pty = new_pty(ptys)
    _, rec = start_source(pty.path, Framing(terminator="none", timeout=0.15))
    pty.write(b"+A99912345/$$52001510X3")
    assert rec.wait_raws(1) == [b"+A99912345/$$52001510X3"]
    pty.write(GS1)
    assert rec.wait_raws(2)[1] == GS1


def test_a_scan_written_in_three_chunks_arrives_as_one(
    ptys: list[Pty], start_source: Starter
) -> None:
    pty = new_pty(ptys)
    _, rec = start_source(pty.path, Framing(terminator="crlf"))
    for chunk in (GS1[:10], GS1[10:30], GS1[30:] + b"\r"):
        pty.write(chunk)
        time.sleep(0.06)  # longer than the read timeout: each chunk is a separate read
    pty.write(b"\n")
    assert rec.wait_raws(1) == [GS1]


def test_partial_scan_survives_pauses_shorter_than_the_timeout(
    ptys: list[Pty], start_source: Starter
) -> None:
    pty = new_pty(ptys)
    _, rec = start_source(pty.path, Framing(terminator="none", timeout=0.3))
    for chunk in (b"0104012345", b"1234561725", b"1231"):
        pty.write(chunk)
        time.sleep(0.06)
    assert rec.wait_raws(1) == [b"010401234512345617251231"]


def test_garbage_bytes_are_delivered_as_scans(ptys: list[Pty], start_source: Starter) -> None:
    pty = new_pty(ptys)
    _, rec = start_source(pty.path, Framing(terminator="lf"))
    junk = bytes(b for b in range(256) if b != 0x0A)
    pty.write(junk + b"\n" + GS1 + b"\n")
    assert rec.wait_raws(2) == [junk, GS1]


def test_prefix_and_suffix_are_stripped(ptys: list[Pty], start_source: Starter) -> None:
    pty = new_pty(ptys)
    _, rec = start_source(pty.path, Framing(terminator="cr", prefix=b"\x02", suffix=b"\x03"))
    pty.write(b"\x02" + GS1 + b"\x03\r" + b"\x02" + PPN + b"\x03\r")
    assert rec.wait_raws(2) == [GS1, PPN]


def test_a_64k_line_is_discarded_with_one_clear_error(
    ptys: list[Pty], start_source: Starter
) -> None:
    pty = new_pty(ptys)
    source, rec = start_source(pty.path, Framing(terminator="lf", timeout=0.2))
    writer = threading.Thread(target=pty.write, args=(b"X" * 65536,))
    writer.start()
    writer.join(TIMEOUT)
    assert not writer.is_alive()
    rec.wait(lambda: len(rec.errors) == 1)  # the pause after the flood resynchronises
    assert rec.errors == ["line too long, discarded 65536 bytes"]
    assert source.framing_errors == 1
    pty.write(GS1 + b"\n")
    assert rec.wait_raws(1) == [GS1]
    assert source.state == PortState.CONNECTED
    # and a flood that ends with a terminator resyncs at once
    pty.write(b"Y" * 20000 + b"\n" + PPN + b"\n")
    assert rec.wait_raws(2) == [GS1, PPN]
    assert rec.errors[1:] == ["line too long, discarded 20000 bytes"]


def test_unplug_then_replug_reconnects_and_reads_again(
    ptys: list[Pty], start_source: Starter, tmp_path: Path
) -> None:
    link = tmp_path / "scanner"
    first = new_pty(ptys)
    link.symlink_to(first.path)
    source, rec = start_source(str(link))
    first.write(b"BEFORE\r")
    assert rec.wait_raws(1) == [b"BEFORE"]
    assert source.source == f"serial:{link}"

    # unplug: the device and its node go away
    link.unlink()
    os.close(first.slave)
    os.close(first.master)
    rec.wait(lambda: source.state == PortState.DISCONNECTED)
    assert source.last_error
    connects = source.connects

    # it keeps trying (backoff) without raising, and stays disconnected meanwhile
    time.sleep(0.25)
    assert source.state == PortState.DISCONNECTED
    assert source.running
    assert source.connects == connects

    # replug: a new device under the same configured path
    second = new_pty(ptys)
    link.symlink_to(second.path)
    rec.wait(lambda: source.state == PortState.CONNECTED)
    assert source.connects == connects + 1
    second.write(b"AFTER\r")
    assert rec.wait_raws(2) == [b"BEFORE", b"AFTER"]
    assert rec.states[:3] == [PortState.CONNECTING, PortState.CONNECTED, PortState.DISCONNECTED]
    assert rec.states[-1] == PortState.CONNECTED


def test_a_vanished_port_path_counts_as_unplugged(
    ptys: list[Pty], start_source: Starter, tmp_path: Path
) -> None:
    link = tmp_path / "scanner"
    pty = new_pty(ptys)
    link.symlink_to(pty.path)
    source, rec = start_source(str(link))
    link.unlink()  # the node disappears before any read fails
    rec.wait(lambda: source.state == PortState.DISCONNECTED)
    assert "vanished" in (source.last_error or "")
    link.symlink_to(pty.path)
    rec.wait(lambda: source.state == PortState.CONNECTED)
    pty.write(GS1 + b"\n")
    assert rec.wait_raws(1) == [GS1]


def test_a_port_that_never_opens_reports_disconnected_and_stops_promptly(tmp_path: Path) -> None:
    settings = SerialSettings(
        port=str(tmp_path / "nothing"), backoff_initial=0.01, backoff_max=0.05
    )
    source = SerialScanSource(settings)
    rec = Recorder()
    source.on_state(rec.state)
    source.start()
    rec.wait(lambda: rec.states.count(PortState.DISCONNECTED) >= 1)
    t0 = time.monotonic()
    source.stop()
    assert time.monotonic() - t0 < 0.5
    assert source.state == PortState.STOPPED
    assert "open failed" in (source.last_error or "")


def test_a_failing_subscriber_does_not_stop_the_reader(
    ptys: list[Pty], start_source: Starter
) -> None:
    pty = new_pty(ptys)
    source, rec = start_source(pty.path)

    def boom(scan: RawScan) -> None:
        raise RuntimeError("subscriber bug")

    source.subscribe(boom)
    pty.write(b"ONE\rTWO\r")
    assert rec.wait_raws(2) == [b"ONE", b"TWO"]
    assert source.failed_callbacks == 2
    assert source.state == PortState.CONNECTED


def test_list_ports_returns_dataclasses_and_never_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    ports = list_ports()
    assert all(isinstance(p, PortInfo) for p in ports)

    def broken() -> list[object]:
        raise OSError("no sysfs")

    monkeypatch.setattr("serial.tools.list_ports.comports", broken)
    assert list_ports() == []
