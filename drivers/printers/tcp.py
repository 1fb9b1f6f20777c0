"""TcpTransport: raw TCP to a printer's port 9100 (Zebra, most networked label printers).

One connection per operation, as printers on port 9100 serve one client at a time:

- ``send``: connect (``connect_timeout``, and never beyond the deadline), write every byte
  (each write waits only for what is left of the deadline), ``shutdown(SHUT_WR)``, then wait
  for the printer to close its side. The printer closes only after it has read everything, so
  that close is the printer's receipt; without it (``wait_for_close=False``) "accepted" only
  means the bytes reached the operating system's socket buffer. CUPS's socket backend waits
  the same way (its ``waiteof`` option).
- ``query``: connect, send the command, read until the reply is whole, close.
"""

from __future__ import annotations

import contextlib
import socket
import struct

from drivers.printers.deadline import MAX_REPLY, Deadline, ReplyComplete
from drivers.printers.errors import PrinterError, PrinterTimeoutError, sent_of

_CHUNK = 64 * 1024
_DRAIN_LIMIT = 1024 * 1024  # bytes a printer may chatter back before closing; untrusted


class TcpTransport:
    """Raw TCP (port 9100). Thread-safe: each call uses its own connection."""

    def __init__(
        self,
        host: str,
        port: int = 9100,
        *,
        connect_timeout: float = 5.0,
        wait_for_close: bool = True,
    ) -> None:
        if not 0 < port < 65536:
            msg = f"printer port must be 1-65535, not {port}"
            raise PrinterError(msg)
        self.host = host
        self.port = port
        self.connect_timeout = connect_timeout
        self.wait_for_close = wait_for_close

    @property
    def name(self) -> str:
        return f"tcp:{self.host}:{self.port}"

    @staticmethod
    def is_usable() -> tuple[bool, str]:
        return True, "raw TCP needs nothing installed"

    def send(self, data: bytes, *, timeout: float) -> None:
        deadline = Deadline(timeout)
        total = len(data)
        with self._connect(deadline) as sock:
            try:
                sent = self._write_all(sock, data, deadline)
                try:
                    sock.shutdown(socket.SHUT_WR)
                except OSError as exc:
                    msg = (
                        f"{self.name}: the connection broke as the job ended ({exc.strerror}); "
                        f"{sent} of {total} bytes went out: check the printer before printing again"
                    )
                    raise PrinterError(msg, bytes_sent=sent, total=total) from exc
                if self.wait_for_close:
                    self._await_close(sock, deadline, total)
            except PrinterError:
                _abort(sock)
                raise

    def query(
        self,
        command: bytes,
        *,
        timeout: float,
        complete: ReplyComplete | None = None,
        max_reply: int = MAX_REPLY,
    ) -> bytes:
        deadline = Deadline(timeout)
        with self._connect(deadline) as sock:
            self._write_all(sock, command, deadline)
            reply = bytearray()
            while complete is None or not complete(bytes(reply)):
                if len(reply) >= max_reply:
                    if complete is None:
                        break
                    msg = f"{self.name}: the reply is longer than {max_reply} bytes; not a status"
                    raise PrinterError(msg, bytes_sent=len(command))
                chunk = self._recv(sock, deadline, max_reply - len(reply), len(command))
                if not chunk:
                    if complete is None:
                        break
                    msg = (
                        f"{self.name}: the printer closed the connection after "
                        f"{len(reply)} bytes of an incomplete reply"
                    )
                    raise PrinterError(msg, bytes_sent=len(command))
                reply += chunk
            return bytes(reply)

    def close(self) -> None:
        """Nothing to release: connections live only for one operation."""

    def _connect(self, deadline: Deadline) -> socket.socket:
        wait = min(self.connect_timeout, deadline.left())
        try:
            return socket.create_connection((self.host, self.port), timeout=wait)
        except TimeoutError as exc:
            msg = (
                f"{self.name}: no answer within {wait:.1f} s; is the printer on and on the network?"
            )
            raise PrinterTimeoutError(msg) from exc
        except ConnectionRefusedError as exc:
            msg = f"{self.name}: the printer refused the connection; is it on, at this address?"
            raise PrinterError(msg) from exc
        except OSError as exc:
            msg = f"{self.name}: cannot connect to the printer ({exc.strerror or exc})"
            raise PrinterError(msg) from exc

    def _write_all(self, sock: socket.socket, data: bytes, deadline: Deadline) -> int:
        view, sent, total = memoryview(data), 0, len(data)
        while sent < total:
            left = deadline.left()
            if left <= 0:
                msg = self._stopped(sent, total, deadline)
                raise PrinterTimeoutError(msg, bytes_sent=sent, total=total)
            sock.settimeout(left)
            try:
                sent += sock.send(view[sent : sent + _CHUNK])
            except TimeoutError as exc:
                msg = self._stopped(sent, total, deadline)
                raise PrinterTimeoutError(msg, bytes_sent=sent, total=total) from exc
            except OSError as exc:
                why = exc.strerror or exc
                msg = f"{self.name}: the connection broke; {sent_of(sent, total)} ({why})"
                raise PrinterError(msg, bytes_sent=sent, total=total) from exc
        return sent

    def _stopped(self, sent: int, total: int, deadline: Deadline) -> str:
        return (
            f"{self.name}: the printer stopped taking data; {sent_of(sent, total)} "
            f"in {deadline.timeout:.1f} s"
        )

    def _recv(self, sock: socket.socket, deadline: Deadline, size: int, sent: int) -> bytes:
        left = deadline.left()
        if left <= 0:
            msg = (
                f"{self.name}: no complete answer from the printer within {deadline.timeout:.1f} s"
            )
            raise PrinterTimeoutError(msg, bytes_sent=sent)
        sock.settimeout(left)
        try:
            return sock.recv(min(size, _CHUNK))
        except TimeoutError as exc:
            msg = (
                f"{self.name}: no complete answer from the printer within {deadline.timeout:.1f} s"
            )
            raise PrinterTimeoutError(msg, bytes_sent=sent) from exc
        except OSError as exc:
            why = exc.strerror or exc
            msg = f"{self.name}: the connection broke while waiting for the printer ({why})"
            raise PrinterError(msg, bytes_sent=sent) from exc

    def _await_close(self, sock: socket.socket, deadline: Deadline, total: int) -> None:
        """Read (and drop) anything the printer says until it closes: its receipt of the job."""
        drained = 0
        while True:
            try:
                chunk = self._recv(sock, deadline, _CHUNK, total)
            except PrinterTimeoutError as exc:
                msg = (
                    f"{self.name}: all {total} bytes went out but the printer did not confirm "
                    f"within {deadline.timeout:.1f} s (it may be paused or stalled); check it "
                    "before printing again"
                )
                raise PrinterTimeoutError(msg, bytes_sent=total, total=total) from exc
            except PrinterError as exc:
                msg = (
                    f"{self.name}: all {total} bytes went out but the connection broke before "
                    "the printer confirmed; check the printer before printing again"
                )
                raise PrinterError(msg, bytes_sent=total, total=total) from exc
            if not chunk:
                return
            drained += len(chunk)
            if drained > _DRAIN_LIMIT:
                msg = f"{self.name}: the printer keeps sending data instead of closing; check it"
                raise PrinterError(msg, bytes_sent=total, total=total)


def _abort(sock: socket.socket) -> None:
    """Make the coming close a reset: the kernel drops unsent bytes instead of delivering them
    later, so a job reported as failed cannot quietly reach the printer after all."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
