"""The station the window works on: its database, its code, the signed-in user, the feedback.

``station`` opens the database named by ``station.database`` (default: ``station.sqlite`` in
the user's data folder); ``station --demo`` opens a demo database made for the session
(:mod:`ui.demo_station`). The scheduled backup (DUR-8) runs while the database is open. Screens
get a :class:`~ui.screens.base.ScreenEnv` from :meth:`Workstation.env`; every write they make
uses :meth:`Workstation.context`, which refuses when nobody is signed in (P11-D1).
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import platformdirs
from sqlalchemy import Connection, Engine

from station.access import NotAuthenticatedError, allowed
from station.config import FEEDBACK_SOUND, STATION_DATABASE, STATION_ID, Settings
from station.context import WriteContext
from station.persistence.backup_schedule import BackupScheduler
from station.persistence.db import close_engine, open_engine
from station.persistence.store import Store, open_store
from ui.feedback import Feedback, SoundPlayer
from ui.screens.base import ScreenEnv

_log = logging.getLogger(__name__)

__all__ = ["LoginSession", "Workstation", "default_database", "open_workstation", "station_code"]

_APP_DIR = "udi-station"


class LoginSession(Protocol):
    """What the window needs of a login session (``station.auth.session.Session``)."""

    def check(self) -> None: ...

    def context(self, station: str) -> WriteContext: ...


def default_database() -> Path:
    """``station.sqlite`` in the user's data folder (created on first use)."""
    return platformdirs.user_data_path(_APP_DIR, appauthor=False) / "station.sqlite"


def station_code(settings: Settings) -> str:
    """``station.id``, else the computer's name in capitals (``WS-GOODS-IN``)."""
    return settings.get(STATION_ID) or socket.gethostname().split(".")[0].upper()


@dataclass
class Workstation:
    """An open station database with who is working on it."""

    store: Store
    station: str
    feedback: Feedback
    backup: BackupScheduler | None = None
    #: A read-only engine: lookups from the GUI thread and the sessions' user checks, which
    #: run inside the writer's transaction and must not wait for its lock.
    reader: Engine | None = None
    session: LoginSession | None = None
    #: Called with the new session (or None) whenever someone signs in or the session ends.
    session_listeners: list[Callable[[LoginSession | None], None]] = field(default_factory=list)
    extras: dict[str, object] = field(default_factory=dict)
    #: Cleanups run by :meth:`close` before the store closes (demo folders, engines).
    on_close: list[Callable[[], None]] = field(default_factory=list)

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A short read (never takes the write lock)."""
        engine = self.reader if self.reader is not None else self.store.engine
        with engine.connect() as conn:
            yield conn

    def context(self) -> WriteContext:
        """The signed-in user's context; ``NotAuthenticatedError`` when nobody is signed in or
        the session has ended (the context's own session check then guards every service)."""
        if self.session is None:
            msg = "Nobody is signed in: sign in with your badge and PIN."
            raise NotAuthenticatedError(msg)
        self.session.check()
        return self.session.context(self.station)

    def may(self, permission: str | tuple[str, ...] | None) -> bool:
        """Whether the signed-in user holds ``permission`` (a tuple: any of them; ``None``:
        anyone signed in). The UI mirrors the services' checks with this; the services check
        again on every write."""
        try:
            ctx = self.context()
        except NotAuthenticatedError:
            return False
        if permission is None:
            return True
        wanted = (permission,) if isinstance(permission, str) else permission
        return any(allowed(ctx, one) for one in wanted)

    def set_session(self, session: LoginSession | None) -> None:
        self.session = session
        for listener in list(self.session_listeners):
            listener(session)

    def env(self) -> ScreenEnv:
        return ScreenEnv(
            self.store, self.context, self.feedback, self.extras, self.session_listeners
        )

    def close(self) -> None:
        """Stop the backup, run the cleanups, close the database (writer drained first)."""
        if self.backup is not None:
            self.backup.stop(timeout=10.0)
        self.session = None
        try:
            if self.reader is not None:
                close_engine(self.reader)
            self.store.close()
        finally:
            for cleanup in reversed(self.on_close):
                try:
                    cleanup()
                except Exception:  # every cleanup runs
                    _log.exception("a workstation cleanup failed")


def open_workstation(
    settings: Settings,
    path: Path | None,
    player: SoundPlayer | None,
    *,
    station: str | None = None,
) -> Workstation:
    """Open the database at ``path`` (default: the setting, else :func:`default_database`) and
    start its scheduled backup if one is configured. ``station`` overrides ``station.id``."""
    chosen = path or (Path(p) if (p := settings.get(STATION_DATABASE)) else default_database())
    chosen.parent.mkdir(parents=True, exist_ok=True)
    store = open_store(chosen)
    code = station or station_code(settings)
    try:
        reader = open_engine(chosen, readonly=True)
        backup = BackupScheduler.from_settings(store, settings, station=code)
        if backup is not None:
            backup.start()
    except BaseException:
        store.close()
        raise
    if not settings.get(FEEDBACK_SOUND):
        player = None
    return Workstation(store, code, Feedback(player), backup, reader)
