"""Shared pieces for the authentication tests: a fake clock, a fixed pepper, a station."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection

from station.auth.hashing import cheap_parameters_for_tests
from station.auth.login import Authenticator
from station.auth.pepper import PepperSource
from station.auth.policy import AuthPolicy
from station.auth.users import create_first_admin, create_user
from station.context import WriteContext
from station.persistence.store import Store, open_store

T = TypeVar("T")

STATION = "ST-1"
ADMIN_PASSWORD = "admin-passphrase-1"
LI_PIN = "204613"
LI_BADGE = "B-7"


class FakeClock:
    """A settable, timezone-aware clock."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 3, 2, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> None:
        self.now += timedelta(**kw)


class FixedPepper(PepperSource):
    """A pepper that exists (``value``) or is missing (None: another machine)."""

    def __init__(self, value: bytes | None = b"p" * 32) -> None:
        self.value = value

    def existing(self) -> bytes | None:
        return self.value

    def get_or_create(self) -> bytes:
        if self.value is None:
            self.value = b"n" * 32
        return self.value


@dataclass
class Station:
    store: Store
    auth: Authenticator
    clock: FakeClock
    pepper: FixedPepper

    def run(self, fn: Callable[[Connection], T]) -> T:
        return self.store.writer.submit(fn).result()

    def admin(self) -> WriteContext:
        return WriteContext(
            station=STATION,
            actor="root",
            actor_name="Root Admin",
            clock=self.clock,
            roles=frozenset({"admin"}),
        )

    def query(self, sql: str, **params: Any) -> list[tuple[Any, ...]]:
        import sqlalchemy as sa  # noqa: PLC0415

        with self.store.engine.connect() as conn:
            rows = [tuple(r) for r in conn.execute(sa.text(sql), params)]
            conn.rollback()
        return rows

    def add_li(self, *, must_change: bool = False, roles: tuple[str, ...] = ("qa",)) -> None:
        self.run(
            lambda conn: create_user(
                conn,
                self.admin(),
                username="li",
                name="Li Na",
                roles=roles,
                secret=LI_PIN,
                badge=LI_BADGE,
                must_change=must_change,
                pepper=self.pepper,
                policy=self.auth.policy,
            )
        )


@contextmanager
def station(tmp_path: Path, policy: AuthPolicy | None = None) -> Iterator[Station]:
    """A migrated station database with a first admin ``root`` (cheap hashing)."""
    with cheap_parameters_for_tests():
        store = open_store(tmp_path / "station.sqlite")
        clock = FakeClock()
        pepper = FixedPepper()
        auth = Authenticator(
            store.engine, station=STATION, pepper=pepper, policy=policy, clock=clock
        )
        here = Station(store, auth, clock, pepper)
        try:
            first = WriteContext(station=STATION, actor="os:setup", actor_name="setup", clock=clock)
            here.run(
                lambda conn: create_first_admin(
                    conn,
                    first,
                    username="root",
                    name="Root Admin",
                    secret=ADMIN_PASSWORD,
                    pepper=pepper,
                    policy=auth.policy,
                )
            )
            yield here
        finally:
            store.close()
