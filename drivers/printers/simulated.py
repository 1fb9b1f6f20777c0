"""SimulatedZplPrinter: a ZPL printer's twin on 127.0.0.1, for tests and the demo.

It is a real TCP server (an ephemeral port on loopback) run by one named thread. Like a printer
on port 9100 it serves one connection at a time, splits what arrives into formats (``^XA`` …
``^XZ``), keeps them in :attr:`jobs`, answers ``~HS`` from its state, and closes its side when
the client has finished sending: the receipt :class:`~drivers.printers.tcp.TcpTransport` waits
for. It can be told to misbehave: status flags (paper out, head open, paused, …), drop the
connection after so many bytes, stall (accept but never read), refuse (stop listening), and
stay silent on ``~HS`` as newer firmware does when faulted.

>>> from drivers.printers.tcp import TcpTransport
>>> printer = SimulatedZplPrinter()
>>> printer.start()
>>> TcpTransport(*printer.address).send(b"^XA^FDhello^FS^XZ", timeout=5.0)
>>> printer.wait_for_jobs(1, timeout=5.0)
[b'^XA^FDhello^FS^XZ']
>>> printer.stop(); printer.join(5.0); printer.running
False
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import selectors
import socket
import struct
import threading

from drivers.printers.status import HOST_STATUS, PrinterStatus, format_host_status

_log = logging.getLogger(__name__)

_POLL = 0.05  # seconds the server thread waits for events before checking for commands
_READ = 64 * 1024
_LOOPBACK = "127.0.0.1"


class SimulatedZplPrinter:
    """A ZPL printer on loopback. ``start()``, ``stop()``, ``join(timeout)``; thread-safe API."""

    def __init__(self, name: str = "zpl-sim", *, receive_buffer: int | None = None) -> None:
        self.name = name
        self._receive_buffer = receive_buffer
        self._cond = threading.Condition()
        self._jobs: list[bytes] = []
        self._received = bytearray()
        self._status = PrinterStatus()
        self._drop_after: int | None = None
        self._stall = False
        self._mute_status = False
        self._want_listening = True
        self._listening = False
        self._stopping = False
        self._port = 0
        self._thread: threading.Thread | None = None
        self._wake_r, self._wake_w = socket.socketpair()
        # Touched only by the server thread once started:
        self._sel = selectors.DefaultSelector()
        self._listener: socket.socket | None = None
        self._conn: socket.socket | None = None
        self._conn_read = 0  # bytes read from the current connection
        self._pending = bytearray()  # bytes of the current connection not yet split into jobs
        self.connections = 0  #: connections accepted so far
        self.incomplete_jobs = 0  #: formats cut off by a closed connection (never printed)
        self.errors: list[str] = []  #: unexpected errors the thread survived

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> None:
        if self._thread is not None:
            msg = f"simulated printer {self.name!r} was already started"
            raise RuntimeError(msg)
        self._listener = self._listen()
        self._thread = threading.Thread(target=self._run, name=f"printer-{self.name}", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        with self._cond:
            self._stopping = True
        self._wake()

    def join(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    @property
    def address(self) -> tuple[str, int]:
        """``(host, port)`` to connect to; the port is fixed at start()."""
        return _LOOPBACK, self._port

    def settings(self) -> dict[str, object]:
        """The ``open_transport`` settings that reach this printer."""
        return {"transport": "tcp", "host": _LOOPBACK, "port": self._port}

    # ------------------------------------------------------------------ what it received
    @property
    def jobs(self) -> list[bytes]:
        """Every complete format received, ``^XA`` to ``^XZ`` inclusive, oldest first."""
        with self._cond:
            return list(self._jobs)

    @property
    def received(self) -> bytes:
        """Every byte read from every connection, in order."""
        with self._cond:
            return bytes(self._received)

    def wait_for_jobs(self, count: int, timeout: float) -> list[bytes]:
        """Wait (at most ``timeout`` s) until ``count`` jobs arrived; return the jobs so far."""
        with self._cond:
            self._cond.wait_for(lambda: len(self._jobs) >= count, timeout)
            return list(self._jobs)

    # ------------------------------------------------------------------ faults
    @property
    def status(self) -> PrinterStatus:
        with self._cond:
            return self._status

    def set_status(self, **flags: bool | int | str) -> None:
        """Change status fields, e.g. ``set_status(paper_out=True)``; ``~HS`` reports them."""
        with self._cond:
            self._status = dataclasses.replace(self._status, **flags)  # type: ignore[arg-type]

    def drop_after(self, count: int | None) -> None:
        """Reset each new connection after reading ``count`` bytes of it; ``None``: never."""
        with self._cond:
            self._drop_after = count

    def stall(self, on: bool = True) -> None:
        """Accept connections but read nothing from them (``on=False`` resumes reading)."""
        with self._cond:
            self._stall = on
        self._wake()

    def mute_status(self, on: bool = True) -> None:
        """Ignore ``~HS`` (as newer firmware does when out of media or with the head open)."""
        with self._cond:
            self._mute_status = on

    def refuse(self, timeout: float = 5.0) -> bool:
        """Stop listening, so connections are refused; True once done (within ``timeout``)."""
        return self._set_listening(on=False, timeout=timeout)

    def listen_again(self, timeout: float = 5.0) -> bool:
        """Listen again on the same port after :meth:`refuse`; True once done."""
        return self._set_listening(on=True, timeout=timeout)

    # ------------------------------------------------------------------ the server thread
    def _set_listening(self, *, on: bool, timeout: float) -> bool:
        with self._cond:
            self._want_listening = on
        self._wake()
        with self._cond:
            return self._cond.wait_for(lambda: self._listening == on, timeout)

    def _wake(self) -> None:
        with contextlib.suppress(OSError):
            self._wake_w.send(b"!")

    def _listen(self) -> socket.socket:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if self._receive_buffer is not None:  # inherited by accepted connections
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, self._receive_buffer)
        listener.bind((_LOOPBACK, self._port))
        listener.listen(8)
        listener.settimeout(0.0)  # non-blocking
        self._port = listener.getsockname()[1]
        with self._cond:
            self._listening = True
            self._cond.notify_all()
        return listener

    def _run(self) -> None:
        self._sel.register(self._wake_r, selectors.EVENT_READ)
        try:
            while not self._stopping:
                try:
                    self._step()
                except Exception as exc:  # logged and kept: it never kills the thread
                    _log.exception("simulated printer %s: unexpected error", self.name)
                    with self._cond:
                        self.errors.append(repr(exc))
                    self._close_connection(reset=True)
        finally:
            self._close_connection(reset=True)
            self._close_listener()
            self._sel.close()
            self._wake_r.close()
            self._wake_w.close()

    def _step(self) -> None:
        with self._cond:
            want_listening, stall = self._want_listening, self._stall
        if want_listening and self._listener is None:
            try:
                self._listener = self._listen()
            except OSError as exc:  # the port was taken meanwhile: report, stop trying
                with self._cond:
                    self.errors.append(f"cannot listen on port {self._port} again: {exc}")
                    self._want_listening = False
        elif not want_listening and self._listener is not None:
            self._close_listener()
        self._sync_registrations(stall)
        for key, _ in self._sel.select(_POLL):
            if key.fileobj is self._wake_r:
                self._wake_r.recv(4096)
            elif key.fileobj is self._listener:
                self._accept()
            elif key.fileobj is self._conn:
                self._read()

    def _sync_registrations(self, stall: bool) -> None:
        """Listen only while no connection is open (one client at a time, like a printer);
        read the connection only when not stalling."""
        wanted: list[socket.socket] = []
        if self._conn is None and self._listener is not None:
            wanted.append(self._listener)
        if self._conn is not None and not stall:
            wanted.append(self._conn)
        for sock in (self._listener, self._conn):
            if sock is None:
                continue
            registered = _is_registered(self._sel, sock)
            if sock in wanted and not registered:
                self._sel.register(sock, selectors.EVENT_READ)
            elif sock not in wanted and registered:
                self._sel.unregister(sock)

    def _accept(self) -> None:
        assert self._listener is not None
        try:
            conn, _ = self._listener.accept()
        except BlockingIOError:
            return
        conn.settimeout(0.0)  # non-blocking
        self._conn, self._conn_read = conn, 0
        self._pending.clear()
        with self._cond:
            self.connections += 1

    def _read(self) -> None:
        assert self._conn is not None
        with self._cond:
            drop_after = self._drop_after
        size = _READ if drop_after is None else max(0, min(_READ, drop_after - self._conn_read))
        try:
            data = self._conn.recv(size) if size else b""
        except BlockingIOError:
            return
        except OSError:
            self._end_connection(reset=True)
            return
        if not data:
            self._end_connection(reset=drop_after is not None and size == 0)
            return
        self._conn_read += len(data)
        self._pending += data
        with self._cond:
            self._received += data
        self._split_jobs()
        if drop_after is not None and self._conn_read >= drop_after:
            self._end_connection(reset=True)

    def _split_jobs(self) -> None:
        """Take complete formats and ~HS requests out of the pending bytes, in order."""
        pending = self._pending
        while True:
            status_at, start = pending.find(HOST_STATUS), pending.find(b"^XA")
            if status_at != -1 and (start == -1 or status_at < start):
                del pending[: status_at + len(HOST_STATUS)]
                self._answer_status()
                continue
            if start == -1:
                del pending[:-2]  # keep a token that may be cut in two ("^X", "~H")
                return
            end = pending.find(b"^XZ", start + 3)
            if end == -1:
                del pending[:start]
                return
            job = bytes(pending[start : end + 3])
            del pending[: end + 3]
            with self._cond:
                self._jobs.append(job)
                self._cond.notify_all()

    def _answer_status(self) -> None:
        with self._cond:
            if self._mute_status:
                return
            status = dataclasses.replace(self._status, formats_in_buffer=0)
        assert self._conn is not None
        self._conn.settimeout(1.0)  # blocking, briefly: the reply is under 100 bytes
        try:
            self._conn.sendall(format_host_status(status))
        except OSError:
            _log.info("simulated printer %s: the client left before the status reply", self.name)
        finally:
            self._conn.settimeout(0.0)

    def _end_connection(self, *, reset: bool) -> None:
        if b"^XA" in self._pending:
            with self._cond:
                self.incomplete_jobs += 1
        self._close_connection(reset=reset)

    def _close_connection(self, *, reset: bool) -> None:
        conn, self._conn = self._conn, None
        self._pending.clear()
        if conn is None:
            return
        if _is_registered(self._sel, conn):
            self._sel.unregister(conn)
        if reset:  # an abrupt drop: the client sees a reset, not a clean close
            with contextlib.suppress(OSError):
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        conn.close()

    def _close_listener(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            if _is_registered(self._sel, listener):
                self._sel.unregister(listener)
            listener.close()
        with self._cond:
            self._listening = False
            self._cond.notify_all()


def _is_registered(sel: selectors.BaseSelector, sock: socket.socket) -> bool:
    try:
        sel.get_key(sock)
    except KeyError:
        return False
    return True
