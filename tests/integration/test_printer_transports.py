"""Printer transports against real endpoints: the simulated ZPL printer on 127.0.0.1, real
pseudo-terminals for serial, a real folder, and a fake ``lp`` run as a real subprocess.

The rule under test everywhere: ``send`` returns only when every byte was accepted, and every
failure is a PrinterError (never a quiet success), saying how many bytes went out.
"""

from __future__ import annotations

import contextlib
import datetime as real_dt
import os
import select
import socket
import stat
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from drivers.printers import file as file_module
from drivers.printers.cups import CupsTransport
from drivers.printers.errors import (
    PrinterConfigError,
    PrinterError,
    PrinterStatusError,
    PrinterTimeoutError,
)
from drivers.printers.file import FileTransport
from drivers.printers.memory import MemoryTransport
from drivers.printers.serial_port import SerialTransport
from drivers.printers.simulated import SimulatedZplPrinter
from drivers.printers.status import (
    HOST_STATUS,
    parse_host_status,
    printer_status,
    reply_complete,
)
from drivers.printers.tcp import TcpTransport
from drivers.printers.transport import open_transport

TIMEOUT = 5.0  # a deadline for things that should succeed; they return as soon as done
SHORT = 0.4  # the timeout given to operations that must fail

LABEL = (
    b"^XA\r\n^FO40,40^BXN,4,200,,,,_^FH\\^FD_101040123451234561726123110LOT-A1_121SN0001^FS\r\n"
    b"^FO40,220^A0N,30,30^FH\\^FDLot \\5E caf\\C3\\A9 \xe6\xb5\x8b\xe8\xaf\x95 \x00\xff^FS\r\n^XZ"
)


@pytest.fixture
def printer() -> Iterator[SimulatedZplPrinter]:
    sim = SimulatedZplPrinter("test")
    sim.start()
    yield sim
    sim.stop()
    sim.join(TIMEOUT)
    assert not sim.running
    assert sim.errors == []  # the server thread met nothing unexpected


def tcp(sim: SimulatedZplPrinter) -> TcpTransport:
    return TcpTransport(*sim.address)


# ---------------------------------------------------------------------------------------- TCP
def test_a_job_reaches_the_printer_byte_exact(printer: SimulatedZplPrinter) -> None:
    tcp(printer).send(LABEL, timeout=TIMEOUT)
    assert printer.wait_for_jobs(1, TIMEOUT) == [LABEL]
    assert printer.received == LABEL
    assert printer.incomplete_jobs == 0


def test_jobs_in_one_send_and_over_several_connections_arrive_in_order(
    printer: SimulatedZplPrinter,
) -> None:
    transport = open_transport(printer.settings())
    first, second, third = b"^XA^FD1^FS^XZ", b"^XA^FD2^FS^XZ", b"^XA^FD3^FS^XZ"
    transport.send(first + b"\r\n" + second, timeout=TIMEOUT)
    transport.send(third, timeout=TIMEOUT)
    assert printer.wait_for_jobs(3, TIMEOUT) == [first, second, third]
    assert printer.connections == 2  # one connection per job, like a 9100 print server


def test_a_one_megabyte_job_arrives_whole(printer: SimulatedZplPrinter) -> None:
    graphic = bytes(range(256)).replace(b"^", b"_") * 4096  # 1 MiB, no ^XZ inside
    job = b"^XA^FO0,0^GFA," + graphic + b"^FS^XZ"
    tcp(printer).send(job, timeout=TIMEOUT * 4)
    jobs = printer.wait_for_jobs(1, TIMEOUT)
    assert len(jobs) == 1
    assert len(jobs[0]) == len(job) > 1_000_000
    assert jobs[0] == job


def test_a_refused_connection_is_an_error_and_nothing_went_out(
    printer: SimulatedZplPrinter,
) -> None:
    assert printer.refuse(TIMEOUT)
    with pytest.raises(PrinterError, match="refused") as caught:
        tcp(printer).send(LABEL, timeout=SHORT)
    assert caught.value.bytes_sent == 0
    assert not caught.value.may_have_printed
    assert printer.listen_again(TIMEOUT)
    tcp(printer).send(LABEL, timeout=TIMEOUT)  # the same address works again
    assert printer.wait_for_jobs(1, TIMEOUT) == [LABEL]


@pytest.mark.parametrize("size", [200, 1_000_000])
def test_a_connection_dropped_mid_job_is_an_error(printer: SimulatedZplPrinter, size: int) -> None:
    printer.drop_after(50)
    job = b"^XA^FD" + b"x" * size + b"^FS^XZ"
    with pytest.raises(PrinterError) as caught:
        tcp(printer).send(job, timeout=TIMEOUT)
    assert caught.value.total == len(job)
    assert 0 < caught.value.bytes_sent <= len(job)
    assert caught.value.may_have_printed  # bytes left this computer: look before reprinting
    assert str(caught.value.bytes_sent) in str(caught.value)
    assert printer.jobs == []
    assert printer.received == job[:50]


def test_a_stalled_printer_is_a_timeout_even_when_the_job_fits_in_socket_buffers(
    printer: SimulatedZplPrinter,
) -> None:
    printer.stall()
    with pytest.raises(PrinterTimeoutError, match="did not confirm") as caught:
        tcp(printer).send(LABEL, timeout=SHORT)
    # Every byte reached the operating system, so the printer may still print it later:
    # the error says so, and a caller must not simply reprint.
    assert caught.value.bytes_sent == len(LABEL)
    assert caught.value.may_have_printed
    assert "check" in str(caught.value)
    if sys.platform == "linux":  # Linux hands over buffered bytes before the reset; shown here
        printer.stall(on=False)
        assert printer.wait_for_jobs(1, TIMEOUT) == [LABEL]  # ...and indeed it can


def test_a_stalled_printer_times_out_mid_write_and_says_how_much_went_out() -> None:
    sim = SimulatedZplPrinter("stall", receive_buffer=4096)
    sim.start()
    try:
        sim.stall()
        job = b"^XA^FD" + b"x" * 16_000_000 + b"^FS^XZ"  # far more than loopback buffers hold
        with pytest.raises(PrinterTimeoutError, match="stopped taking data") as caught:
            TcpTransport(*sim.address).send(job, timeout=SHORT)
        assert 0 < caught.value.bytes_sent < len(job)
        assert f"only {caught.value.bytes_sent} of {len(job)} bytes" in str(caught.value)
        sim.stall(on=False)
        assert sim.wait_for_jobs(1, SHORT) == []  # the rest was never sent: no complete label
    finally:
        sim.stop()
        sim.join(TIMEOUT)


def test_without_waiting_for_close_a_stalled_printer_goes_unnoticed(
    printer: SimulatedZplPrinter,
) -> None:
    """Why ``wait_for_close`` is on by default: without it, "sent" only means "buffered"."""
    printer.stall()
    TcpTransport(*printer.address, wait_for_close=False).send(LABEL, timeout=SHORT)
    assert printer.jobs == []


@pytest.mark.parametrize(
    ("flags", "field", "problem"),
    [
        ({"paper_out": True}, "paper_out", "out of labels"),
        ({"paused": True}, "paused", "paused"),
        ({"head_open": True}, "head_open", "print head is open"),
        ({"ribbon_out": True, "thermal_transfer": True}, "ribbon_out", "out of ribbon"),
        ({"buffer_full": True}, "buffer_full", "job memory is full"),
        ({"under_temperature": True}, "under_temperature", "too cold"),
        ({"over_temperature": True}, "over_temperature", "too hot"),
        ({"diagnostic_mode": True}, "diagnostic_mode", "diagnostic mode"),
        ({"corrupt_ram": True}, "corrupt_ram", "lost its settings"),
    ],
)
def test_status_round_trip_reports_each_fault(
    printer: SimulatedZplPrinter, flags: dict[str, bool], field: str, problem: str
) -> None:
    transport = tcp(printer)
    assert printer_status(transport, TIMEOUT).ready
    printer.set_status(**flags)
    status = printer_status(transport, TIMEOUT)
    assert getattr(status, field) is True
    assert not status.ready
    assert len(status.problems) == 1
    assert problem in status.problems[0]
    printer.set_status(**dict.fromkeys(flags, False))
    assert printer_status(transport, TIMEOUT).ready


def test_status_carries_counts(printer: SimulatedZplPrinter) -> None:
    printer.set_status(labels_remaining=12, label_length_dots=1225, print_mode="peel-off")
    status = printer_status(tcp(printer), TIMEOUT)
    assert (status.labels_remaining, status.label_length_dots) == (12, 1225)
    assert status.print_mode == "peel-off"


def test_a_silent_printer_is_a_status_timeout_that_names_the_likely_causes(
    printer: SimulatedZplPrinter,
) -> None:
    printer.mute_status()
    with pytest.raises(PrinterTimeoutError, match="did not answer the status request"):
        printer_status(tcp(printer), SHORT)


@contextlib.contextmanager
def replying_server(reply: bytes) -> Iterator[tuple[str, int]]:
    """A one-connection server on 127.0.0.1 that answers any request with ``reply``, then
    closes: a printer whose reply is untrusted."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(TIMEOUT)

    def serve() -> None:
        with contextlib.suppress(OSError):
            conn, _ = listener.accept()
            with conn:
                conn.settimeout(TIMEOUT)
                conn.recv(64)
                conn.sendall(reply)

    thread = threading.Thread(target=serve, name="replying-server", daemon=True)
    thread.start()
    try:
        yield listener.getsockname()
    finally:
        thread.join(TIMEOUT)
        listener.close()


def test_a_reply_cut_short_by_a_closed_connection_is_an_error() -> None:
    with (
        replying_server(b"\x02030,0,0,1225,000,0,0,0,000,0,0,0\x03\r\n\x02001,0,0") as address,
        pytest.raises(PrinterError, match="incomplete reply"),
    ):
        printer_status(TcpTransport(*address), TIMEOUT)


def test_an_endless_reply_is_cut_off_not_collected() -> None:
    with (
        replying_server(b"x" * 200_000) as address,
        pytest.raises(PrinterError, match="longer than 1024 bytes"),
    ):
        printer_status(TcpTransport(*address), TIMEOUT)


def test_a_garbage_reply_is_a_status_error() -> None:
    garbage = b"\x02HELLO\x03\x02WORLD\x03\x02!\x03"
    with (
        replying_server(garbage) as address,
        pytest.raises(PrinterStatusError, match="fields, expected 12"),
    ):
        printer_status(TcpTransport(*address), TIMEOUT)


# ------------------------------------------------------------------------------------- serial
needs_pty = pytest.mark.skipif(sys.platform == "win32", reason="needs POSIX pseudo-terminals")


@pytest.fixture
def pty() -> Iterator[tuple[int, str]]:
    master, slave = os.openpty()
    yield master, os.ttyname(slave)
    for fd in (slave, master):
        with contextlib.suppress(OSError):
            os.close(fd)


def read_master(master: int, count: int, timeout: float = TIMEOUT) -> bytes:
    got = bytearray()
    deadline = time.monotonic() + timeout
    while len(got) < count and time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], max(0.0, deadline - time.monotonic()))
        if ready:
            got += os.read(master, 65536)
    return bytes(got)


@needs_pty
def test_serial_job_bytes_arrive_on_the_wire(pty: tuple[int, str]) -> None:
    master, path = pty
    transport = open_transport({"transport": "serial", "port": path, "baudrate": 115200})
    received: list[bytes] = []
    reader = threading.Thread(
        target=lambda: received.append(read_master(master, len(LABEL))), name="pty-reader"
    )
    reader.start()
    try:
        transport.send(LABEL, timeout=TIMEOUT)
    finally:
        reader.join(TIMEOUT)
        transport.close()
    assert received == [LABEL]


@needs_pty
def test_serial_status_query_reads_the_reply_back(pty: tuple[int, str]) -> None:
    master, path = pty
    reply = (
        b"\x02030,1,0,1225,000,0,0,0,000,0,0,0\x03\r\n\x02001,0,1,0,0,2,6,0,00000003,1,000\x03\r\n"
    )
    reply += b"\x021234,0\x03\r\n"
    asked: list[bytes] = []

    def answer() -> None:
        asked.append(read_master(master, len(HOST_STATUS)))
        for part in (reply[:20], reply[20:70], reply[70:]):  # a reply arrives in pieces
            os.write(master, part)
            time.sleep(0.02)

    responder = threading.Thread(target=answer, name="pty-printer")
    responder.start()
    transport = SerialTransport(path)
    try:
        status = printer_status(transport, TIMEOUT)
    finally:
        responder.join(TIMEOUT)
        transport.close()
    assert asked == [HOST_STATUS]
    assert (status.paper_out, status.head_open, status.labels_remaining) == (True, True, 3)
    assert not status.ready


@needs_pty
def test_serial_query_without_an_answer_times_out(pty: tuple[int, str]) -> None:
    _, path = pty
    transport = SerialTransport(path)
    try:
        with pytest.raises(PrinterTimeoutError):
            transport.query(HOST_STATUS, timeout=SHORT, complete=reply_complete)
    finally:
        transport.close()


@needs_pty
def test_serial_write_to_a_printer_that_reads_nothing_times_out(pty: tuple[int, str]) -> None:
    _, path = pty  # nobody reads the master: the pty's buffer fills up
    job = b"^XA" + b"x" * 1_000_000 + b"^XZ"
    transport = SerialTransport(path)
    try:
        with pytest.raises(PrinterTimeoutError, match="stopped taking data") as caught:
            transport.send(job, timeout=SHORT)
    finally:
        transport.close()
    assert caught.value.bytes_sent < len(job)
    assert caught.value.total == len(job)


def test_a_missing_serial_port_is_an_error(tmp_path: Path) -> None:
    transport = SerialTransport(str(tmp_path / "ttyUSB9"))
    with pytest.raises(PrinterError, match="cannot open the printer's port") as caught:
        transport.send(LABEL, timeout=TIMEOUT)
    assert not caught.value.may_have_printed


# --------------------------------------------------------------------------------------- file
def test_file_jobs_get_unique_names_and_exact_contents(tmp_path: Path) -> None:
    transport = open_transport({"transport": "file", "folder": str(tmp_path), "extension": "zpl"})
    jobs = [b"^XA^FD%d^FS^XZ" % n for n in range(50)]
    paths = [transport.send(job, timeout=TIMEOUT) for job in jobs]
    assert all(isinstance(p, str) for p in paths)
    assert len(set(paths)) == len(jobs)
    assert [Path(str(p)).read_bytes() for p in paths] == jobs
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(Path(str(p)).name for p in paths)
    assert all(p.suffix == ".zpl" and p.name[:8].isdigit() for p in tmp_path.iterdir())


def test_file_names_never_collide_even_with_the_same_timestamp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two writers (as two processes would) with a frozen clock: names clash, nothing is lost."""
    frozen = real_dt.datetime(2025, 1, 15, 10, 30, tzinfo=real_dt.UTC)

    class FrozenDatetime(real_dt.datetime):
        @classmethod
        def now(cls, tz: real_dt.tzinfo | None = None) -> FrozenDatetime:
            return frozen  # type: ignore[return-value]

    class FrozenModule:
        UTC = real_dt.UTC
        datetime = FrozenDatetime

    monkeypatch.setattr(file_module, "dt", FrozenModule)
    a, b = FileTransport(tmp_path, "zpl"), FileTransport(tmp_path, "zpl")
    written = [(t.send(b"^XA%d^XZ" % n, timeout=TIMEOUT), n) for n in range(5) for t in (a, b)]
    assert len({p for p, _ in written}) == 10
    for path, n in written:
        assert Path(str(path)).read_bytes() == b"^XA%d^XZ" % n
        assert Path(str(path)).name.startswith("20250115T103000.000000Z-")


def test_a_reader_never_sees_a_partial_file(tmp_path: Path) -> None:
    job = b"^XA" + b"y" * 2_000_000 + b"^XZ"
    transport = FileTransport(tmp_path, "zpl")
    done = threading.Event()
    seen: dict[str, int] = {}

    def write() -> None:
        try:
            for _ in range(10):
                transport.send(job, timeout=TIMEOUT)
        finally:
            done.set()

    writer = threading.Thread(target=write, name="file-writer")
    writer.start()
    for _ in range(100_000):  # bounded; the writer finishes long before
        for path in tmp_path.glob("*.zpl"):
            seen[path.name] = len(path.read_bytes())
        if done.is_set():
            break
    writer.join(TIMEOUT)
    assert seen  # the reader did look while the writer wrote
    assert set(seen.values()) == {len(job)}
    assert len(list(tmp_path.glob("*.zpl"))) == 10
    assert list(tmp_path.glob(".*.tmp")) == []


def test_a_failed_file_write_is_an_error_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(PrinterError, match="No space left on device"):
        FileTransport(tmp_path, "zpl").send(LABEL, timeout=TIMEOUT)
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------------------- cups
def fake_lp(folder: Path, body: str) -> Path:
    """An ``lp`` script first on PATH; it records its arguments, locale and standard input."""
    bin_dir = folder / "bin"
    bin_dir.mkdir()
    script = bin_dir / "lp"
    script.write_text(
        "#!/bin/sh\n"
        f'printf "%s\\n" "$@" > "{folder}/args"\n'
        f'printf "%s" "$LC_ALL" > "{folder}/locale"\n'
        f'cat > "{folder}/stdin"\n' + body
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return bin_dir


needs_sh = pytest.mark.skipif(sys.platform == "win32", reason="the fake lp is a shell script")


@needs_sh
def test_cups_sends_zpl_raw_on_stdin_and_returns_the_job_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bin_dir = fake_lp(tmp_path, 'echo "request id is zebra-42 (0 file(s))"\n')
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    assert CupsTransport.is_usable()[0]
    transport = open_transport({"transport": "cups", "queue": "zebra"})
    assert transport.send(LABEL, timeout=TIMEOUT) == "zebra-42"
    assert (tmp_path / "args").read_text().split() == ["-d", "zebra", "-o", "raw"]
    assert (tmp_path / "stdin").read_bytes() == LABEL
    assert (tmp_path / "locale").read_text() == "C"  # lp's reply is parsed in English


@needs_sh
def test_cups_sends_pdf_without_raw(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bin_dir = fake_lp(tmp_path, 'echo "request id is office-7 (0 file(s))"\n')
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF\n"
    transport = CupsTransport("office", document="pdf")
    assert transport.send(pdf, timeout=TIMEOUT) == "office-7"
    assert (tmp_path / "args").read_text().split() == ["-d", "office"]
    with pytest.raises(PrinterConfigError, match="not a PDF"):
        transport.send(LABEL, timeout=TIMEOUT)
    with pytest.raises(PrinterConfigError, match="is a PDF"):
        CupsTransport("zebra").send(pdf, timeout=TIMEOUT)


@needs_sh
def test_cups_failure_carries_lps_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    body = 'echo "lp: The printer or class does not exist." >&2\nexit 1\n'
    monkeypatch.setenv("PATH", f"{fake_lp(tmp_path, body)}{os.pathsep}{os.environ['PATH']}")
    with pytest.raises(PrinterError, match=r"exit 1.*printer or class does not exist") as caught:
        CupsTransport("nosuch").send(LABEL, timeout=TIMEOUT)
    assert not caught.value.may_have_printed


@needs_sh
def test_cups_success_without_a_job_id_is_not_trusted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", f"{fake_lp(tmp_path, '')}{os.pathsep}{os.environ['PATH']}")
    with pytest.raises(PrinterError, match="no job id") as caught:
        CupsTransport("zebra").send(LABEL, timeout=TIMEOUT)
    assert caught.value.may_have_printed  # lp may have queued it: check before reprinting


@needs_sh
def test_cups_hanging_lp_is_a_timeout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bin_dir = fake_lp(tmp_path, "exec sleep 30\n")
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    with pytest.raises(PrinterTimeoutError, match="did not finish"):
        CupsTransport("zebra").send(LABEL, timeout=SHORT)


def test_cups_without_lp_is_not_usable_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    usable, why = CupsTransport.is_usable()
    assert not usable
    assert "lp" in why
    with pytest.raises(PrinterError, match="'lp' command was not found"):
        CupsTransport("zebra").send(LABEL, timeout=TIMEOUT)


# ----------------------------------------------------------------------------- settings dict
@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({}, "unknown printer transport None"),
        ({"transport": "usb"}, "unknown printer transport 'usb'"),
        ({"transport": "tcp"}, "needs the setting 'host'"),
        ({"transport": "tcp", "host": "10.0.0.5", "prot": 9100}, "no setting 'prot'"),
        ({"transport": "tcp", "host": "10.0.0.5", "port": "9100"}, "'port' must be a whole"),
        ({"transport": "tcp", "host": "10.0.0.5", "port": True}, "'port' must be a whole"),
        ({"transport": "tcp", "host": "10.0.0.5", "port": 70000}, "1-65535"),
        ({"transport": "serial", "port": "/dev/ttyUSB0", "baudrate": 9600.0}, "'baudrate'"),
        ({"transport": "file", "folder": 3}, "'folder' must be text"),
        ({"transport": "file", "folder": "/tmp/x", "extension": ".zpl"}, "without a dot"),
        ({"transport": "cups", "queue": "zebra", "format": "png"}, "'zpl' or 'pdf'"),
        ({"transport": "cups", "queue": "-h evil"}, "not a CUPS queue name"),
        ({"transport": "memory", "host": "x"}, "no setting 'host'"),
    ],
)
def test_bad_settings_are_refused_with_a_clear_message(
    settings: dict[str, object], message: str
) -> None:
    with pytest.raises(PrinterError, match=message):
        open_transport(settings)


def test_settings_build_each_transport(tmp_path: Path) -> None:
    made = [
        open_transport({"transport": "tcp", "host": "10.0.0.5", "port": 9100}),
        open_transport({"transport": "serial", "port": "/dev/ttyUSB0", "baudrate": 9600}),
        open_transport({"transport": "file", "folder": str(tmp_path), "extension": "pdf"}),
        open_transport({"transport": "cups", "queue": "zebra"}),
        open_transport({"transport": "memory"}),
    ]
    assert [t.name for t in made] == [
        "tcp:10.0.0.5:9100",
        "serial:/dev/ttyUSB0",
        f"file:{tmp_path}",
        "cups:zebra",
        "memory",
    ]
    for one_way in made[2:]:
        with pytest.raises(PrinterError, match="cannot report"):
            one_way.query(HOST_STATUS, timeout=TIMEOUT)


def test_memory_transport_can_answer_status_for_tests() -> None:
    reply = b"\x02030,0,1,1225,000,0,0,0,000,0,0,0\x03\x02001,0,0,0,0,2,6,0,00000000,1,000\x03"
    transport = MemoryTransport(replies={HOST_STATUS: reply + b"\x021234,0\x03"})
    assert printer_status(transport, TIMEOUT).paused
    assert parse_host_status(reply + b"\x021234,0\x03").paused
