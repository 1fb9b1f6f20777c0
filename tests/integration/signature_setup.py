"""Shared set-up for the signature tests: a migrated station file, two users with keys, events.

Wang Wu records events; Li Si signs them. The roles come from a test role that grants the
signing permissions, so these tests do not depend on how the policy table assigns them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TypeVar
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from station import access
from station.context import WriteContext
from station.events.capture import record_event
from station.events.ids import lgtin_uri
from station.events.model import Action, ObjectEventDraft
from station.events.parts import Quantity
from station.persistence.store import Store, open_store
from station.signatures import enroll_signing_key

T = TypeVar("T")

ZONE = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 7, 14, 3, 12, 345000, tzinfo=ZONE)
STATION = "ST-01"
SIGNER_ROLE = "signature_test_signer"
LISI_SECRET = "Li-Si-Geheimnis-7391"  # letters outside hex: can never appear in a hex column
WANG_SECRET = "Wang-Wu-Kennwort-5523"
MATERIAL = "04012345000016"


@dataclass(frozen=True)
class Proof:
    """A credential proof as the login session gives one (``SignatureProof``)."""

    username: str
    at: datetime = NOW
    components: frozenset[str] = field(default_factory=lambda: frozenset({"badge", "pin"}))


def context(actor: str, name: str, *, roles: frozenset[str] | None = None) -> WriteContext:
    return WriteContext(
        station=STATION,
        actor=actor,
        actor_name=name,
        clock=lambda: NOW,
        roles=frozenset({SIGNER_ROLE}) if roles is None else roles,
    )


LISI = context("lisi", "Li Si")
WANG = context("wang", "Wang Wu")
ADMIN = context("admin", "Ada Admin", roles=frozenset())


@pytest.fixture(autouse=True)
def signer_role(monkeypatch: pytest.MonkeyPatch) -> None:
    granted = {
        access.INSPECTION_SIGN,
        access.LOT_RELEASE,
        access.LABEL_APPROVE,
        access.RECALL_RUN,
        access.TRACE_VIEW,
    }
    monkeypatch.setitem(access.POLICY, SIGNER_ROLE, frozenset(granted))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    store = open_store(tmp_path / "station.sqlite")
    try:

        def users(conn: sa.Connection) -> None:
            conn.execute(
                sa.text(
                    "INSERT INTO station_user (username, name, roles, badge, active) VALUES "
                    "('lisi', 'Li Si', 'qa', 'B-1', 1), ('wang', 'Wang Wu', 'operator', 'B-2', 1)"
                )
            )
            enroll_signing_key(conn, ADMIN, username="lisi", secret=LISI_SECRET)
            enroll_signing_key(conn, ADMIN, username="wang", secret=WANG_SECRET)

        run(store, users)
        yield store
    finally:
        store.close()


def run(store: Store, work: Callable[[sa.Connection], T]) -> T:
    """One write transaction through the station's single writer."""
    return store.writer.submit(work).result()


def read(store: Store, work: Callable[[sa.Connection], T]) -> T:
    with store.engine.connect() as conn:
        return work(conn)


def record(
    store: Store, lot: str = "L1", *, actor: str = "wang", corrects: str | None = None
) -> str:
    """Record an inspection event for ``lot`` as ``actor``; returns its eventID."""
    draft = ObjectEventDraft(
        action=Action.OBSERVE,
        biz_step="inspecting",
        disposition="conformant",
        quantities=(Quantity(lgtin_uri(MATERIAL, lot), 10.0, "EA"),),
        corrects=corrects,
    )
    recorded = run(
        store,
        lambda c: record_event(
            c, draft, actor=actor, station=STATION, raw_scan=b"\x1d01" + lot.encode(),
            now=lambda: NOW, app_version="test", schema_version="0011",
        ),
    )  # fmt: skip
    return recorded.event_id


def count(store: Store, table: str) -> int:
    return int(
        read(store, lambda c: c.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one())
    )


def tamper(store: Store, *statements: str, params: tuple[object, ...] = ()) -> None:
    """What anyone holding the file can do: drop the guards, then change rows with sqlite3."""
    with sqlite3.connect(store.path) as raw:
        for name in ("signature_no_update", "signature_no_delete", "event_no_update"):
            raw.execute(f"DROP TRIGGER IF EXISTS {name}")
        for statement in statements:
            raw.execute(statement, params if "?" in statement else ())


def later(seconds: float) -> datetime:
    return NOW + timedelta(seconds=seconds)
