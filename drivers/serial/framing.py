"""Framing: turn the byte stream of a serial scanner into scans, byte for byte.

Pure: no pyserial, no threads, no clock. The caller passes the time (``time.monotonic()``) with
every call, so the inter-character timeout is testable without sleeping.

Bytes are never decoded. ``<GS>`` (0x1D), ``<RS>`` (0x1E), ``<EOT>`` (0x04) and AIM identifiers
such as ``]d2`` stay inside the scan; the code reader interprets them.

>>> framer = Framer(Framing(terminator="auto"))
>>> framer.feed(b"]d2010401234512345617261200\\r\\n]C1001", now=0.0)
[b']d2010401234512345617261200']
>>> framer.feed(b"2\\r", now=0.1)
[b']C10012']

With no terminator, a pause ends the scan:

>>> framer = Framer(Framing(terminator="none", timeout=0.05))
>>> framer.feed(b"+A99912345", now=0.0), framer.poll(now=0.02), framer.poll(now=0.06)
([], [], [b'+A99912345'])

A line longer than the buffer is dropped, reported once, and the framer resynchronises:

>>> framer = Framer(Framing(terminator="lf", max_line=4))
>>> framer.feed(b"0123456789\\nOK\\n", now=0.0)
[FramingError(message='line too long, discarded 10 bytes', discarded=10), b'OK']
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Terminator = Literal["auto", "cr", "lf", "crlf", "none"]

DEFAULT_MAX_LINE = 8 * 1024
DEFAULT_RESYNC_GAP = 0.5  # seconds of silence that end an over-long line when no timeout is set

_CR, _LF = 0x0D, 0x0A


@dataclass(frozen=True, slots=True)
class Framing:
    """How a scanner marks the end of a scan.

    ``terminator``: ``auto`` ends a scan at CR, LF or CRLF; ``cr``/``lf``/``crlf`` accept only that
    one; ``none`` relies on ``timeout`` alone. ``timeout`` (seconds, optional for terminated modes)
    ends a scan after that much silence. ``prefix``/``suffix`` are stripped when present (a scan
    without them is kept whole). Empty scans are dropped.
    """

    terminator: Terminator = "auto"
    timeout: float | None = None
    prefix: bytes = b""
    suffix: bytes = b""
    max_line: int = DEFAULT_MAX_LINE

    def __post_init__(self) -> None:
        if self.terminator not in ("auto", "cr", "lf", "crlf", "none"):
            msg = f"unknown terminator {self.terminator!r}"
            raise ValueError(msg)
        if self.terminator == "none" and (self.timeout is None or self.timeout <= 0):
            msg = "terminator 'none' needs a positive inter-character timeout"
            raise ValueError(msg)
        if self.timeout is not None and self.timeout <= 0:
            msg = "timeout must be positive"
            raise ValueError(msg)
        if self.max_line < 1:
            msg = "max_line must be at least 1"
            raise ValueError(msg)


@dataclass(frozen=True, slots=True)
class FramingError:
    """A framing event that is not a scan: an over-long line was dropped."""

    message: str
    discarded: int


Event = bytes | FramingError


class Framer:
    """Stateful splitter. :meth:`feed` bytes as they arrive; :meth:`poll` when idle.

    Memory is bounded: at most ``max_line`` bytes (plus one chunk being scanned) are held.
    A line that grows past ``max_line`` is discarded up to the next terminator (or, for
    ``none``, the next pause), then one :class:`FramingError` is returned.
    """

    def __init__(self, framing: Framing | None = None) -> None:
        self.framing = framing or Framing()
        self._buf = bytearray()
        self._last: float | None = None  # when the last byte arrived
        self._discarding = False
        self._discarded = 0
        # "crlf" may see CR at the end of one chunk and LF at the start of the next.
        self._keep = 1 if self.framing.terminator == "crlf" else 0

    @property
    def pending(self) -> int:
        """Bytes held, waiting for a terminator (0 while discarding)."""
        return 0 if self._discarding else len(self._buf)

    def feed(self, data: bytes, now: float) -> list[Event]:
        out = self.poll(now)
        if not data:
            return out
        self._last = now
        self._buf += data
        if self._discarding:
            self._discard_until_terminator(out)
        else:
            self._split(out)
        return out

    def poll(self, now: float) -> list[Event]:
        """Apply the inter-character timeout: end the pending scan after enough silence."""
        out: list[Event] = []
        if self._last is None or (not self._buf and not self._discarding):
            return out
        idle = now - self._last
        if self._discarding:
            if idle >= (self.framing.timeout or DEFAULT_RESYNC_GAP):
                self._discarded += len(self._buf)
                self._buf.clear()
                out.append(self._resync())
        elif self.framing.timeout is not None and idle >= self.framing.timeout:
            line = bytes(self._buf)
            self._buf.clear()
            self._emit(line, out)
        return out

    def flush(self) -> list[Event]:
        """End whatever is pending now (the port closed): the pending bytes become a scan."""
        out: list[Event] = []
        if self._discarding:
            self._discarded += len(self._buf)
            self._buf.clear()
            out.append(self._resync())
        elif self._buf:
            line = bytes(self._buf)
            self._buf.clear()
            self._emit(line, out)
        return out

    # -- internals ---------------------------------------------------------------------------

    def _find(self, buf: bytearray, start: int) -> tuple[int, int] | None:
        """(end of data, start of next line) of the first terminator at or after ``start``."""
        term = self.framing.terminator
        if term == "none":
            return None
        if term == "cr":
            i = buf.find(b"\r", start)
            return None if i < 0 else (i, i + 1)
        if term == "lf":
            i = buf.find(b"\n", start)
            return None if i < 0 else (i, i + 1)
        if term == "crlf":
            i = buf.find(b"\r\n", start)
            return None if i < 0 else (i, i + 2)
        cr, lf = buf.find(b"\r", start), buf.find(b"\n", start)
        hits = [i for i in (cr, lf) if i >= 0]
        if not hits:
            return None
        i = min(hits)
        # CRLF is one terminator; a lone LF after a chunk-final CR only yields an empty line.
        after = i + 2 if buf[i] == _CR and i + 1 < len(buf) and buf[i + 1] == _LF else i + 1
        return i, after

    def _split(self, out: list[Event]) -> None:
        buf, pos = self._buf, 0
        while (hit := self._find(buf, pos)) is not None:
            end, after = hit
            if end - pos > self.framing.max_line:
                self._discarded = end - pos
                out.append(self._resync())
            else:
                self._emit(bytes(buf[pos:end]), out)
            pos = after
        del buf[:pos]
        partial = 1 if self._keep and buf.endswith(b"\r") else 0
        if len(buf) - partial > self.framing.max_line:
            self._discarding = True
            self._discarded = 0
            self._discard_until_terminator(out)

    def _discard_until_terminator(self, out: list[Event]) -> None:
        buf = self._buf
        hit = self._find(buf, 0)
        if hit is None:
            drop = len(buf) - self._keep if self._keep else len(buf)
            drop = max(drop, 0)
            self._discarded += drop
            del buf[:drop]
            return
        end, after = hit
        self._discarded += end
        del buf[:after]
        out.append(self._resync())
        self._split(out)

    def _resync(self) -> FramingError:
        n, self._discarded, self._discarding = self._discarded, 0, False
        return FramingError(f"line too long, discarded {n} bytes", n)

    def _emit(self, line: bytes, out: list[Event]) -> None:
        f = self.framing
        if f.prefix and line.startswith(f.prefix):
            line = line[len(f.prefix) :]
        if f.suffix and line.endswith(f.suffix):
            line = line[: -len(f.suffix)]
        if line:
            out.append(line)
