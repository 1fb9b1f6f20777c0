"""SerialTransport: a printer on RS-232 or USB-CDC, through pyserial.

The port is opened on first use and kept open; after any failure it is closed, so the next
operation reopens it (the cable may have been unplugged). Every write waits at most for what is
left of the operation's deadline (pyserial ``write_timeout``), and ``send`` returns only after
the driver reports its output queue empty: the bytes have left this computer. A serial printer
sends no receipt, so that is all "accepted" can mean here.
"""

from __future__ import annotations

import contextlib
import threading
import time

import serial  # type: ignore[import-untyped]

from drivers.printers.deadline import MAX_REPLY, Deadline, ReplyComplete
from drivers.printers.errors import PrinterError, PrinterTimeoutError, sent_of

_CHUNK = 1024  # bytes per write: a timeout loses at most this much of the count
_POLL = 0.01  # seconds between output-queue checks while draining


class SerialTransport:
    """A serial printer. Thread-safe: operations on one port are serialised by a lock."""

    def __init__(
        self, port: str, *, baudrate: int = 9600, xonxoff: bool = False, rtscts: bool = False
    ) -> None:
        self.port = port
        self.baudrate = baudrate
        self.xonxoff = xonxoff
        self.rtscts = rtscts
        self._lock = threading.Lock()
        self._serial: serial.Serial | None = None

    @property
    def name(self) -> str:
        return f"serial:{self.port}"

    @staticmethod
    def is_usable() -> tuple[bool, str]:
        return True, f"pyserial {serial.VERSION}"

    def send(self, data: bytes, *, timeout: float) -> None:
        deadline = Deadline(timeout)
        with self._lock:
            port = self._open()
            try:
                sent = self._write_all(port, data, deadline)
                self._drain(port, deadline, sent)
            except PrinterError:
                self._close()
                raise

    def query(
        self,
        command: bytes,
        *,
        timeout: float,
        complete: ReplyComplete | None = None,
        max_reply: int = MAX_REPLY,
    ) -> bytes:
        """Send ``command``; read until ``complete(reply)``, ``max_reply`` bytes, or the deadline.

        Without ``complete`` whatever arrived by the deadline is the reply. Bytes that were
        waiting before the command (a stale reply) are discarded first.
        """
        deadline = Deadline(timeout)
        with self._lock:
            port = self._open()
            try:
                port.reset_input_buffer()
                self._write_all(port, command, deadline)
                return self._read_reply(port, deadline, complete, max_reply, len(command))
            except PrinterError:
                self._close()
                raise
            except (serial.SerialException, OSError) as exc:
                self._close()
                msg = f"{self.name}: the port failed while asking the printer ({exc})"
                raise PrinterError(msg, bytes_sent=len(command)) from exc

    def close(self) -> None:
        with self._lock:
            self._close()

    def _open(self) -> serial.Serial:
        if self._serial is None:
            try:
                self._serial = serial.Serial(
                    self.port,
                    self.baudrate,
                    timeout=0,
                    write_timeout=0,
                    xonxoff=self.xonxoff,
                    rtscts=self.rtscts,
                )
            except (serial.SerialException, OSError, ValueError) as exc:
                msg = f"{self.name}: cannot open the printer's port ({exc}); is it plugged in?"
                raise PrinterError(msg) from exc
        return self._serial

    def _close(self) -> None:
        port, self._serial = self._serial, None
        if port is not None:
            with contextlib.suppress(serial.SerialException, OSError):  # already gone
                port.close()

    def _write_all(self, port: serial.Serial, data: bytes, deadline: Deadline) -> int:
        view, sent, total = memoryview(data), 0, len(data)
        while sent < total:
            chunk = view[sent : sent + _CHUNK]
            left = deadline.left()
            try:
                if left <= 0:
                    raise serial.SerialTimeoutException("deadline")
                port.write_timeout = left
                written = port.write(chunk)
            except serial.SerialTimeoutException as exc:
                msg = (
                    f"{self.name}: the printer stopped taking data; at least "
                    f"{sent_of(sent, total).replace('only ', '')} in {deadline.timeout:.1f} s"
                )
                raise PrinterTimeoutError(msg, bytes_sent=sent, total=total) from exc
            except (serial.SerialException, OSError) as exc:
                msg = f"{self.name}: the port failed; {sent_of(sent, total)} ({exc})"
                raise PrinterError(msg, bytes_sent=sent, total=total) from exc
            sent += written if written is not None else len(chunk)
        return sent

    def _drain(self, port: serial.Serial, deadline: Deadline, total: int) -> None:
        """Wait, within the deadline, until the driver's output queue is empty."""
        try:
            while port.out_waiting > 0:
                if deadline.expired():
                    msg = (
                        f"{self.name}: {port.out_waiting} of {total} bytes still wait to go out "
                        f"after {deadline.timeout:.1f} s; is the printer on and not paused?"
                    )
                    raise PrinterTimeoutError(msg, bytes_sent=total - port.out_waiting, total=total)
                time.sleep(_POLL)
            port.flush()  # returns at once now; on some platforms it is the only drain
        except (serial.SerialException, OSError) as exc:
            msg = f"{self.name}: the port failed while the job went out ({exc})"
            raise PrinterError(msg, bytes_sent=total, total=total) from exc

    def _read_reply(
        self,
        port: serial.Serial,
        deadline: Deadline,
        complete: ReplyComplete | None,
        max_reply: int,
        sent: int,
    ) -> bytes:
        reply = bytearray()
        while complete is None or not complete(bytes(reply)):
            if len(reply) >= max_reply:
                if complete is None:
                    break
                msg = f"{self.name}: the reply is longer than {max_reply} bytes; not a status"
                raise PrinterError(msg, bytes_sent=sent)
            left = deadline.left()
            if left <= 0:
                if complete is None:
                    break
                msg = (
                    f"{self.name}: no complete answer from the printer within "
                    f"{deadline.timeout:.1f} s ({len(reply)} bytes came)"
                )
                raise PrinterTimeoutError(msg, bytes_sent=sent)
            port.timeout = left
            reply += port.read(min(max(port.in_waiting, 1), max_reply - len(reply)))
        return bytes(reply)
