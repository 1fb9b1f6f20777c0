"""LatestFrame: a one-slot hand-over where the newest frame wins (``architecture.md`` §4).

The capture thread :meth:`~LatestFrame.put`\\ s every frame; the decode thread
:meth:`~LatestFrame.take`\\ s whatever is there. A frame nobody took before the next one arrived
is overwritten and counted in ``dropped``, so a slow decoder never builds a backlog and always
works on the freshest picture. :meth:`~LatestFrame.close` wakes a waiting taker for shutdown.

>>> slot: LatestFrame[str] = LatestFrame()
>>> slot.put("frame 1"), slot.put("frame 2")
(False, True)
>>> slot.take(timeout=0), slot.dropped
('frame 2', 1)
>>> slot.take(timeout=0) is None
True
>>> slot.close(); slot.put("late"), slot.take(timeout=5)
(False, None)
"""

from __future__ import annotations

import threading
from typing import Generic, TypeVar

T = TypeVar("T")


class LatestFrame(Generic[T]):
    """One slot, any number of putters and takers; thread-safe."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._item: T | None = None
        self._closed = False
        self.put_count = 0
        self.taken = 0
        self.dropped = 0  # items overwritten before anyone took them

    @property
    def closed(self) -> bool:
        return self._closed

    def put(self, item: T) -> bool:
        """Store ``item``, replacing an untaken one; True if one was replaced (dropped).

        After :meth:`close` the item is ignored (returns False).
        """
        with self._cond:
            if self._closed:
                return False
            replaced = self._item is not None
            if replaced:
                self.dropped += 1
            self._item = item
            self.put_count += 1
            self._cond.notify()
            return replaced

    def take(self, timeout: float | None = None) -> T | None:
        """The newest item (the slot is then empty), waiting up to ``timeout`` seconds.

        None on timeout or once closed: a closed slot never hands out its last item, because
        closing means the consumer is shutting down.
        """
        with self._cond:
            self._cond.wait_for(lambda: self._item is not None or self._closed, timeout)
            if self._closed:
                return None
            item, self._item = self._item, None
            if item is not None:
                self.taken += 1
            return item

    def close(self) -> None:
        """Drop any waiting item and wake every taker; later puts are ignored."""
        with self._cond:
            self._closed = True
            self._item = None
            self._cond.notify_all()
