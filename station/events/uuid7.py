"""UUIDv7 event identifiers (RFC 9562 §5.7), monotonic within one process.

Layout, most significant bit first::

    48 bits  unix_ts_ms   milliseconds since 1970-01-01 UTC
     4 bits  ver          0b0111
    12 bits  rand_a  ┐    together a 74-bit counter: random at each new millisecond,
     2 bits  var     │    incremented within one (RFC 9562 §6.2 method 2, "monotonic random")
    62 bits  rand_b  ┘

Why monotonic: events are ordered by ``seq`` in the ledger, but the eventID travels to other
systems, and IDs that sort in creation order keep their B-tree indexes compact.

>>> gen = UuidV7Generator(clock_ms=lambda: 0x0123456789AB, randbits=lambda n: 0)
>>> str(gen.next())
'01234567-89ab-7000-8000-000000000000'
>>> str(gen.next())  # same millisecond: the counter moves on
'01234567-89ab-7000-8000-000000000001'
"""

from __future__ import annotations

import os
import secrets
import threading
import time
import uuid
from collections.abc import Callable

__all__ = ["UuidV7Generator", "new_event_id"]

_COUNTER_BITS = 74  # rand_a (12) + rand_b (62)
_COUNTER_MAX = (1 << _COUNTER_BITS) - 1
_TS_MAX = (1 << 48) - 1


def _wall_clock_ms() -> int:
    return time.time_ns() // 1_000_000


class UuidV7Generator:
    """Thread-safe source of strictly increasing UUIDv7 values.

    If the clock stands still or steps back, the last timestamp is kept and the counter
    incremented; if the counter would overflow, the timestamp is advanced by 1 ms. Either way
    every value is greater than the one before.
    """

    def __init__(
        self,
        clock_ms: Callable[[], int] = _wall_clock_ms,
        randbits: Callable[[int], int] = secrets.randbits,
    ) -> None:
        self._clock_ms = clock_ms
        self._randbits = randbits
        self._lock = threading.Lock()
        self._last_ms = -1
        self._counter = 0

    def after_fork(self) -> None:
        """In a forked child: a fresh lock and a fresh seed at the next call.

        Without it, parent and child would continue the same counter in the same millisecond
        and hand out identical IDs.
        """
        self._lock = threading.Lock()
        self._last_ms = -1

    def _seed(self) -> int:
        # The top counter bit starts clear, leaving 2**73 increments of room in one millisecond.
        return self._randbits(_COUNTER_BITS - 1)

    def next(self) -> uuid.UUID:
        with self._lock:
            now = self._clock_ms()
            if now > self._last_ms:
                self._last_ms, self._counter = now, self._seed()
            elif self._counter < _COUNTER_MAX:
                self._counter += 1
            else:
                self._last_ms, self._counter = self._last_ms + 1, self._seed()
            if not 0 <= self._last_ms <= _TS_MAX:
                msg = f"clock value {self._last_ms} ms does not fit in 48 bits"
                raise ValueError(msg)
            rand_a = self._counter >> 62
            rand_b = self._counter & ((1 << 62) - 1)
            value = (self._last_ms << 80) | (0x7 << 76) | (rand_a << 64) | (0b10 << 62) | rand_b
            return uuid.UUID(int=value)


_DEFAULT = UuidV7Generator()
if hasattr(os, "register_at_fork"):  # POSIX; Windows has no fork
    os.register_at_fork(after_in_child=_DEFAULT.after_fork)


def new_event_id() -> str:
    """A fresh EPCIS ``eventID``: ``urn:uuid:`` + a UUIDv7.

    >>> a, b = new_event_id(), new_event_id()
    >>> a.startswith("urn:uuid:") and a[23] == "7" and a < b
    True
    """
    return _DEFAULT.next().urn
