"""SimulatedScanner: a named device thread that replays scripts and sends on demand, no Qt."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

import pytest

from drivers.simulated.scanner import SimulatedScanner
from drivers.simulated.script import ScriptStep
from station.ports import ScanSource
from station.scanning.raw import RawScan


class Collector:
    """Records scans and the thread each arrived on; ``wait_for(n)`` blocks until n arrived."""

    def __init__(self) -> None:
        self.scans: list[RawScan] = []
        self.threads: list[str] = []
        self._changed = threading.Condition()

    def __call__(self, scan: RawScan) -> None:
        with self._changed:
            self.scans.append(scan)
            self.threads.append(threading.current_thread().name)
            self._changed.notify_all()

    def wait_for(self, count: int, timeout: float = 5.0) -> bool:
        with self._changed:
            return self._changed.wait_for(lambda: len(self.scans) >= count, timeout)


Factory = Callable[..., SimulatedScanner]


@pytest.fixture
def scanner() -> Iterator[Factory]:
    created: list[SimulatedScanner] = []

    def make(script: list[ScriptStep] | None = None, name: str = "bench") -> SimulatedScanner:
        device = SimulatedScanner(name, script or [])
        created.append(device)
        return device

    yield make
    for device in created:
        device.stop()
        device.join(5)
        assert not device.running


def test_is_a_scan_source(scanner: Factory) -> None:
    device: ScanSource = scanner()
    assert device.name == "bench"


def test_send_delivers_on_the_scanner_thread(scanner: Factory) -> None:
    device = scanner()
    got = Collector()
    device.subscribe(got)
    device.start()
    device.send(b"]d2\x1d0104012345123456")
    assert got.wait_for(1)
    assert got.scans[0].raw == b"]d2\x1d0104012345123456"
    assert got.scans[0].source == "simulated:bench"
    assert got.threads == ["scanner-bench"]
    assert got.threads[0] != threading.current_thread().name


def test_play_replays_the_script_in_order_with_its_delays(scanner: Factory) -> None:
    device = scanner([ScriptStep(0.0, b"A"), ScriptStep(0.15, b"B"), ScriptStep(0.0, b"C")])
    got = Collector()
    device.subscribe(got)
    device.start()
    started = time.monotonic()
    device.play()
    assert got.wait_for(3)
    assert [s.raw for s in got.scans] == [b"A", b"B", b"C"]
    assert time.monotonic() - started >= 0.15


def test_send_jumps_ahead_of_a_pausing_script(scanner: Factory) -> None:
    device = scanner([ScriptStep(30.0, b"later")])
    got = Collector()
    device.subscribe(got)
    device.start()
    device.play()
    device.send(b"now")
    assert got.wait_for(1)
    assert got.scans[0].raw == b"now"


def test_stop_interrupts_a_long_delay_and_drops_pending_scans(scanner: Factory) -> None:
    device = scanner([ScriptStep(30.0, b"never")])
    got = Collector()
    device.subscribe(got)
    device.start()
    device.play()
    started = time.monotonic()
    device.stop()
    device.join(5)
    assert not device.running
    assert time.monotonic() - started < 2
    assert got.scans == []


def test_stop_before_start_and_twice_is_harmless(scanner: Factory) -> None:
    device = scanner()
    device.stop()
    device.stop()
    device.join(1)
    assert not device.running


def test_start_twice_is_an_error(scanner: Factory) -> None:
    device = scanner()
    device.start()
    with pytest.raises(RuntimeError, match="already started"):
        device.start()


def test_a_failing_subscriber_is_logged_and_the_thread_survives(
    scanner: Factory, caplog: pytest.LogCaptureFixture
) -> None:
    device = scanner()
    got = Collector()

    def broken(scan: RawScan) -> None:
        raise ValueError(scan.raw)

    device.subscribe(broken)
    device.subscribe(got)
    device.start()
    device.send(b"one")
    device.send(b"two")
    assert got.wait_for(2)
    assert device.failed_callbacks == 2
    assert device.running
    assert "a subscriber failed" in caplog.text


def test_threads_do_not_leak(scanner: Factory) -> None:
    before = {t.name for t in threading.enumerate()}
    devices = [scanner(name=f"leak{i}") for i in range(5)]
    for device in devices:
        device.start()
        device.send(b"x")
    for device in devices:
        device.stop()
    for device in devices:
        device.join(5)
    after = {t.name for t in threading.enumerate()}
    assert not {n for n in after - before if n.startswith("scanner-leak")}
