"""The ledger tables refuse UPDATE and DELETE, however they are issued (P11-E2)."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import Engine, delete, text, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from station.persistence import tables
from tests.integration.event_rows import append_event

ROWS = {
    "audit": (
        "INSERT INTO audit (seq, at, at_offset, action, station, app_version, prev_hash, hash)"
        " VALUES (1, '2026-11-24T08:15:30.123Z', '+08:00', 'login', 'ST1', 'test', :z, 'a1')"
    ),
    "checkpoint": (
        "INSERT INTO checkpoint (created_at, station, event_seq, event_head, audit_seq,"
        " audit_head, key_id, signature) VALUES ('2026-11-24T08:15:30.123Z', 'ST1', 1, 'h',"
        " 1, 'a1', 'k', 's')"
    ),
    "genealogy": (
        "INSERT INTO genealogy (event_seq, parent_uri, child_uri, relation)"
        " VALUES (1, 'urn:a', 'urn:b', 'contains')"
    ),
}

MODELS: dict[str, type[object]] = {
    "event": tables.Event,
    "event_ident": tables.EventIdent,
    "genealogy": tables.Genealogy,
    "audit": tables.Audit,
    "checkpoint": tables.Checkpoint,
}


@pytest.fixture
def filled(engine: Engine) -> Engine:
    with engine.begin() as connection:
        append_event(connection)
        for sql in ROWS.values():
            connection.execute(text(sql), {"z": "0" * 64})
    return engine


def test_every_append_only_table_is_covered() -> None:
    assert set(MODELS) == set(tables.APPEND_ONLY)


@pytest.mark.req("P11-E2")
@pytest.mark.parametrize("table", tables.APPEND_ONLY)
def test_raw_sql_update_and_delete_are_aborted(filled: Engine, db_path: Path, table: str) -> None:
    raw = sqlite3.connect(db_path, isolation_level=None)  # not through our engine at all
    try:
        column = raw.execute(f"SELECT * FROM {table}").description[1][0]
        with pytest.raises(sqlite3.IntegrityError, match="append-only table"):
            raw.execute(f"UPDATE {table} SET {column} = {column}")
        with pytest.raises(sqlite3.IntegrityError, match="append-only table"):
            raw.execute(f"DELETE FROM {table}")
        assert raw.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 1
    finally:
        raw.close()


@pytest.mark.req("P11-E2")
@pytest.mark.parametrize("table", tables.APPEND_ONLY)
def test_orm_update_and_delete_are_aborted(filled: Engine, table: str) -> None:
    model = MODELS[table]
    mapped = model.__table__  # type: ignore[attr-defined]
    column = next(c for c in mapped.columns if not c.primary_key)
    with Session(filled) as session:
        row = session.exec(select(model)).one()
        setattr(row, column.name, getattr(row, column.name))
        with pytest.raises(IntegrityError, match="append-only table"):
            session.execute(update(mapped).values({column.name: column}))
        session.rollback()
        with pytest.raises(IntegrityError, match="append-only table"):
            session.execute(delete(mapped))
        session.rollback()
        session.delete(session.exec(select(model)).one())
        with pytest.raises(IntegrityError, match="append-only table"):
            session.commit()
    with filled.connect() as connection:
        assert connection.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 1
        connection.rollback()


def test_projections_and_master_data_stay_editable(filled: Engine) -> None:
    with filled.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO item_state (uri, kind, on_hold, last_event_seq)"
                " VALUES ('urn:a', 'sgtin', 0, 1)"
            )
        )
        connection.execute(text("UPDATE item_state SET on_hold = 1"))
        connection.execute(text("DELETE FROM item_state"))


_CHANGE_SQL = re.compile(
    r"\b(?:UPDATE|DELETE\s+FROM|REPLACE\s+INTO|INSERT\s+OR\s+REPLACE\s+INTO)\s+[\"'`]?("
    + "|".join(tables.APPEND_ONLY)
    + r")\b",
    re.IGNORECASE,
)
_CHANGE_ORM = re.compile(
    r"\b(?:update|delete)\(\s*(?:tables\.)?("
    + "|".join(("Event", "EventIdent", "Genealogy", "Audit", "Checkpoint"))
    + r")\b"
)


@pytest.mark.req("P11-E2")
def test_no_station_code_updates_or_deletes_ledger_rows() -> None:
    """Static scan: the triggers are the last line of defence, not the only one."""
    root = Path(__file__).resolve().parents[2]
    offenders = []
    for path in sorted((root / "station").rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        for pattern in (_CHANGE_SQL, _CHANGE_ORM):
            offenders += [
                f"{path.relative_to(root)}: {m.group(0)}" for m in pattern.finditer(source)
            ]
    assert offenders == []


def test_the_static_scan_recognises_what_it_looks_for() -> None:
    assert _CHANGE_SQL.search("conn.execute(text('UPDATE event SET actor = :a'))")
    assert _CHANGE_SQL.search('"DELETE FROM audit WHERE seq > 3"')
    assert _CHANGE_SQL.search("INSERT OR REPLACE INTO checkpoint VALUES (1)")
    assert _CHANGE_ORM.search("session.execute(update(tables.Event).values(actor='x'))")
    assert not _CHANGE_SQL.search("UPDATE item_state SET on_hold = 1")
    assert not _CHANGE_SQL.search("BEFORE UPDATE ON event")
