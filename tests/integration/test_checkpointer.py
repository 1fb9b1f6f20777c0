"""Checkpoints are written as the station works (TAM-3), and they make truncation detectable."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

import pytest
from sqlalchemy import Connection, func, select

from station.ledger import append_audit, verify_ledger
from station.ledger.checkpoint import CheckpointPolicy
from station.ledger.checkpointer import Checkpointer
from station.ledger.keys import KeyStore
from station.ledger.report import ProblemKind
from station.persistence import tables
from station.persistence.db import close_engine, open_engine
from station.persistence.store import Store, open_store

CHECKPOINTS = tables.Checkpoint.__table__  # type: ignore[attr-defined]


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    store = open_store(tmp_path / "station.db")
    yield store
    store.close()


def audit_entry(conn: Connection, n: int) -> None:
    append_audit(
        conn,
        {
            "at": f"2026-11-24T08:00:{n % 60:02d}.000Z",
            "at_offset": "+08:00",
            "actor": "u1",
            "actor_name": "Li Wei",
            "action": "test.write",
            "station": "ST-01",
            "app_version": "test",
        },
    )


def count_checkpoints(store: Store) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(CHECKPOINTS)).scalar_one())


@pytest.mark.req("TAM-3")
def test_every_n_records_and_at_shutdown(store: Store, tmp_path: Path) -> None:
    keys = KeyStore("ST-01", tmp_path / "keys")
    clock = Clock()
    checkpointer = Checkpointer(
        store.writer, keys, "ST-01", CheckpointPolicy(every_records=3), clock
    )
    signed = []
    for n in range(7):
        store.writer.submit(partial(audit_entry, n=n)).result()
        signed.append(checkpointer.maybe().result())
    # The first record is signed at once, then every third record.
    assert signed == [True, False, False, True, False, False, True]
    assert checkpointer.final() is False  # nothing changed since the last one
    store.writer.submit(lambda conn: audit_entry(conn, 8)).result()
    assert checkpointer.final() is True  # shutdown signs whatever is new
    assert count_checkpoints(store) == 4
    with store.engine.connect() as conn:
        report = verify_ledger(conn, [keys.public_key()])
    assert report.ok, report.lines()
    assert report.signatures_checked
    assert report.checkpoints == 4


@pytest.mark.req("TAM-3")
def test_time_alone_triggers_a_checkpoint(store: Store, tmp_path: Path) -> None:
    clock = Clock()
    policy = CheckpointPolicy(every_records=1000, every=timedelta(minutes=15))
    checkpointer = Checkpointer(
        store.writer, KeyStore("ST-01", tmp_path / "k"), "ST-01", policy, clock
    )
    store.writer.submit(lambda conn: audit_entry(conn, 1)).result()
    assert checkpointer.maybe().result() is True  # the first record gets a first checkpoint
    store.writer.submit(lambda conn: audit_entry(conn, 2)).result()
    assert checkpointer.maybe().result() is False
    clock.now += timedelta(minutes=16)
    assert checkpointer.maybe().result() is True


@pytest.mark.req("TAM-2", "TAM-3")
def test_a_truncated_tail_is_caught_against_the_shutdown_checkpoint(tmp_path: Path) -> None:
    path = tmp_path / "station.db"
    keys = KeyStore("ST-01", tmp_path / "keys")
    store = open_store(path)
    checkpointer = Checkpointer(store.writer, keys, "ST-01", CheckpointPolicy(every_records=100))
    for n in range(5):
        store.writer.submit(partial(audit_entry, n=n)).result()
    checkpointer.final()
    store.close()
    with sqlite3.connect(path) as attacker:  # an attacker with file access drops the triggers
        triggers = attacker.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit'"
        ).fetchall()
        for (name,) in triggers:
            attacker.execute(f'DROP TRIGGER "{name}"')
        attacker.execute("DELETE FROM audit WHERE seq = 5")
    engine = open_engine(path, readonly=True)
    try:
        with engine.connect() as conn:
            report = verify_ledger(conn, [keys.public_key()])
    finally:
        close_engine(engine)
    assert not report.ok
    assert report.first is not None
    assert report.first.kind is ProblemKind.TRUNCATED
    assert "audit chain ends at seq 4 but seq 5 was signed" in str(report.first)
