"""Who is writing, where, and with which clock: passed into every service that records."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

from station import __version__


def utc_now() -> datetime:
    return datetime.now(UTC).astimezone()


class SessionCheck(Protocol):
    """A live login session (``station.auth``): ``check`` raises
    ``station.access.NotAuthenticatedError`` once the session has ended (logout, idle timeout,
    lock, another badge, restart), so a context kept by a screen cannot outlive its session."""

    def check(self) -> None: ...


@dataclass(frozen=True, slots=True)
class WriteContext:
    """The actor and station behind a write. ``clock`` returns an aware local datetime."""

    station: str
    actor: str | None = None
    actor_name: str | None = None
    app_version: str = __version__
    clock: Callable[[], datetime] = field(default=utc_now)
    #: The actor's roles (``station.access.POLICY``); services check permissions against them.
    roles: frozenset[str] = frozenset()
    #: The login session behind this context (GUI); ``None`` for the command line and tools,
    #: where the operating-system account is the authenticated actor.
    session: SessionCheck | None = field(default=None, compare=False)
    #: How the codes behind the event being recorded reached the station (compliance P11-H1):
    #: ``"scanned"`` (a scanner's AIM identifier) or ``"manual"`` (typed, then confirmed —
    #: also when only one of several codes was typed). Screens set it per event with
    #: ``dataclasses.replace``; the recorder writes it as ``st:entryMethod``. ``None`` where
    #: no code was entered at all (command line, ERP sync, tools, a station-made SSCC).
    entry_method: str | None = None

    def now(self) -> datetime:
        moment = self.clock()
        if moment.tzinfo is None:
            msg = "the station clock must return timezone-aware times"
            raise ValueError(msg)
        return moment


def utc_text(moment: datetime) -> str:
    """ISO 8601 UTC with milliseconds: ``2026-11-24T08:15:30.123Z``.

    >>> from datetime import timedelta, timezone
    >>> utc_text(datetime(2026, 11, 24, 16, 15, 30, 123456, tzinfo=timezone(timedelta(hours=8))))
    '2026-11-24T08:15:30.123Z'
    """
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def offset_text(moment: datetime) -> str:
    """The UTC offset as EPCIS writes it: ``+08:00``.

    >>> from datetime import timedelta, timezone
    >>> offset_text(datetime(2026, 1, 1, tzinfo=timezone(timedelta(hours=-5, minutes=-30))))
    '-05:30'
    """
    delta = moment.utcoffset()
    if delta is None:
        msg = "a naive datetime has no offset"
        raise ValueError(msg)
    minutes = int(delta.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{rest:02d}"
