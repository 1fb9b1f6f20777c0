"""A station clock that only moves when the demo says so, so a seed gives the same event times."""

from __future__ import annotations

from datetime import datetime, timedelta


class DemoClock:
    """Returns ``now`` until :meth:`tick` moves it; pass :meth:`now` as ``WriteContext.clock``."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            msg = "the demo clock needs a timezone-aware start"
            raise ValueError(msg)
        self._now = start

    def now(self) -> datetime:
        return self._now

    def tick(self, seconds: float) -> None:
        self._now += timedelta(seconds=seconds)
