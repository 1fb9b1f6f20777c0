"""EPCIS time stamps: UTC with milliseconds, plus the station's offset as EPCIS requires.

>>> from datetime import datetime, timedelta, timezone
>>> moment = datetime(2026, 11, 24, 16, 15, 30, 123456, tzinfo=timezone(timedelta(hours=8)))
>>> utc_millis(moment), offset_of(moment)
('2026-11-24T08:15:30.123Z', '+08:00')
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

__all__ = ["offset_of", "require_aware", "utc_millis"]


def require_aware(moment: datetime, what: str = "time") -> datetime:
    """``moment`` if it carries a UTC offset: a naive time cannot be placed on the timeline."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        msg = f"{what} {moment.isoformat()} has no UTC offset"
        raise ValueError(msg)
    return moment


def utc_millis(moment: datetime) -> str:
    """``2026-11-24T08:15:30.123Z``: truncated (never rounded up into the next second).

    ``isoformat`` rather than ``strftime``, whose ``%Y`` does not pad years before 1000 on
    every platform.

    >>> utc_millis(datetime(999, 1, 2, 3, 4, 5, 999999, tzinfo=UTC))
    '0999-01-02T03:04:05.999Z'
    """
    utc = require_aware(moment).astimezone(UTC)
    return utc.replace(tzinfo=None).isoformat(timespec="milliseconds") + "Z"


def offset_of(moment: datetime) -> str:
    """``+08:00``: whole minutes, as the EPCIS ``eventTimeZoneOffset`` pattern demands."""
    offset = require_aware(moment).utcoffset() or timedelta(0)
    minutes = round(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    hours, mins = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{mins:02d}"
