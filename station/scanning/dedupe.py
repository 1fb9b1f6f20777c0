"""RepeatFilter: a code held under a camera is one read, not one read per frame.

A camera decodes the same label in frame after frame. The rule, in full:

* A *code* is its symbology (AIM identifier) plus its exact bytes. Two labels carrying the same
  bytes are the same code; ``]d2…`` and ``]Q3…`` with the same data are different codes.
* Every sighting of a code, delivered or not, refreshes its "last seen" time.
* A sighting is delivered only when the code was **not seen during the previous**
  ``window_seconds`` (strictly more than the window has passed since its last sighting).

So the window slides while the code stays in view: a label held for ten seconds is delivered
once, however long the window. It is delivered again only after it has been out of sight (not
decoded) for longer than the window, e.g. taken away and shown again. Short decode misses while
the label is in view (a blurred frame, a hand passing over it) are shorter than the window and
do not count as leaving. ``window_seconds = 0`` turns the filter off: every sighting counts.

Limit: the window must be longer than the time between two decoded frames; a decoder slower
than the window sees every sighting as new.

>>> now = [0.0]
>>> repeats = RepeatFilter(1.5, clock=lambda: now[0])
>>> repeats.admit(b"+A123BJC5D6E71G", "]d1")      # first sighting
True
>>> now[0] = 1.0; repeats.admit(b"+A123BJC5D6E71G", "]d1")   # still in view
False
>>> now[0] = 2.4; repeats.admit(b"+A123BJC5D6E71G", "]d1")   # 1.4 s after the last sighting
False
>>> repeats.admit(b"+A123BJC5D6E71G", "]Q1")      # same data, other symbology: another code
True
>>> now[0] = 4.0; repeats.admit(b"+A123BJC5D6E71G", "]d1")   # gone for 1.6 s, back again
True
>>> RepeatFilter(0).admit(b"x"), RepeatFilter(0).admit(b"x")
(True, True)
"""

from __future__ import annotations

import time
from collections.abc import Callable

Code = tuple[str, bytes]


class RepeatFilter:
    """Decides whether a sighting of a code is a new read (see the module doc for the rule).

    ``clock`` returns seconds (monotonic); tests pass a fake one. Not thread-safe: one decode
    thread owns it. Memory is one entry per code seen within the last window.
    """

    def __init__(
        self, window_seconds: float = 1.5, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if window_seconds < 0:
            msg = f"repeat window must be >= 0 seconds, not {window_seconds}"
            raise ValueError(msg)
        self.window_seconds = window_seconds
        self._clock = clock
        self._last_seen: dict[Code, float] = {}
        self.admitted = 0
        self.suppressed = 0

    @property
    def enabled(self) -> bool:
        return self.window_seconds > 0

    def admit(self, raw: bytes, symbology: str = "") -> bool:
        """Record a sighting; True if it is a new read to deliver, False if it is a repeat."""
        if not self.enabled:
            self.admitted += 1
            return True
        now = self._clock()
        self._forget_older_than(now - self.window_seconds)
        code = (symbology, raw)
        fresh = code not in self._last_seen
        self._last_seen[code] = now
        if fresh:
            self.admitted += 1
        else:
            self.suppressed += 1
        return fresh

    def in_view(self) -> list[Code]:
        """Codes seen within the last window (what a new sighting would be a repeat of).

        >>> now = [0.0]
        >>> repeats = RepeatFilter(1.0, clock=lambda: now[0])
        >>> repeats.admit(b"A"); now[0] = 2.0; repeats.in_view()
        True
        []
        """
        if self.enabled:
            self._forget_older_than(self._clock() - self.window_seconds)
        return list(self._last_seen)

    def reset(self) -> None:
        """Forget every code: the next sighting of anything is delivered."""
        self._last_seen.clear()

    def _forget_older_than(self, cutoff: float) -> None:
        # Entries last seen before the cutoff would be admitted anyway; dropping them keeps
        # the table as small as the set of codes currently in view.
        stale = [code for code, seen in self._last_seen.items() if seen < cutoff]
        for code in stale:
            del self._last_seen[code]
