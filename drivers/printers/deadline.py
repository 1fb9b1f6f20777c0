"""Small pieces the transports share: one deadline per operation, and reply completeness.

Every printer operation has one overall deadline, and each blocking step (connect, each write,
each read) waits only for what is left of it, so no step can outlive the caller's timeout.

>>> d = Deadline(5.0)
>>> 0 < d.left() <= 5.0
True
>>> Deadline(0.0).expired()
True
"""

from __future__ import annotations

import time
from collections.abc import Callable

from drivers.printers.errors import PrinterConfigError

#: Tells whether a reply read so far is whole (``~HS``: three ETX). ``None``: read to the limit.
ReplyComplete = Callable[[bytes], bool]

#: The largest reply a query reads; a printer's reply is untrusted, so it is bounded.
MAX_REPLY = 64 * 1024


class Deadline:
    """A point in time, ``timeout`` seconds from now (monotonic clock)."""

    def __init__(self, timeout: float) -> None:
        if not timeout >= 0:  # also refuses NaN
            msg = f"a printer timeout must be zero or more seconds, not {timeout!r}"
            raise PrinterConfigError(msg)
        self.timeout = timeout
        self._end = time.monotonic() + timeout

    def left(self) -> float:
        """Seconds left, never negative."""
        return max(0.0, self._end - time.monotonic())

    def expired(self) -> bool:
        return self.left() <= 0.0
