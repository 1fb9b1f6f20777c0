"""`station demo-data` through real processes: a ledger that verifies, exports as valid EPCIS,
traces a recall to several customers, keeps its projection equal to a rebuild, and is the same
for the same seed (only the random UUIDv7 event ids differ)."""

from __future__ import annotations

import importlib
import json
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from station.epcis.schema import validate_document
from station.persistence.db import close_engine, open_engine
from station.services.item_status import fold_rows, read_rows
from station.services.lifecycle import LotState, folded_lot_state, lot_state
from station.services.projection import differences
from station.trace.api import recall, recall_by_fold
from tests.integration.station_cli import station
from tests.roles import READER

# The revision module's name starts with a digit: import it by name.
backfill_0006 = importlib.import_module(
    "station.persistence.migrations.versions.0006_recall_columns"
)._BACKFILL
UNITS = 200


def demo(db: Path, seed: int) -> subprocess.CompletedProcess[str]:
    made = station(
        "demo-data", "--db", str(db), "--units", str(UNITS), "--seed", str(seed), timeout=300
    )
    assert made.returncode == 0, made.stdout + made.stderr
    return made


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    return db, demo(db, seed=7).stdout


def query(db: Path, sql: str) -> list[Any]:
    engine = open_engine(db, readonly=True)
    try:
        with engine.connect() as conn:
            return list(conn.execute(sa.text(sql)).all())
    finally:
        close_engine(engine)


def payloads_without_ids(db: Path) -> list[dict[str, Any]]:
    events = [json.loads(row[0]) for row in query(db, "SELECT payload FROM event ORDER BY seq")]
    for event in events:
        event.pop("eventID")
    return events


def test_the_summary_counts_what_the_ledger_holds(demo_db: tuple[Path, str]) -> None:
    db, output = demo_db
    assert f"Demo factory: {UNITS} units in 4 finished lots" in output
    units = query(db, "SELECT count(*) FROM item_state WHERE kind = 'sgtin'")[0][0]
    assert units == UNITS
    total = query(db, "SELECT count(*) FROM event")[0][0]
    assert f"total {total:>8}".replace(" ", "") in output.replace(" ", "")
    steps = {row[0] for row in query(db, "SELECT DISTINCT biz_step FROM event")}
    assert steps == {"receiving", "inspecting", "commissioning", "packing", "shipping", "holding"}
    rejected = query(db, "SELECT count(*) FROM event WHERE disposition = 'non_conformant'")[0][0]
    assert rejected >= 1
    returned = query(db, "SELECT count(*) FROM event WHERE disposition = 'returned'")[0][0]
    assert returned >= 1
    refusals = query(
        db,
        "SELECT count(*) FROM audit WHERE action = 'service.refused'"
        " AND new_value LIKE '%supplier_unqualified%'",
    )
    assert refusals[0][0] == 1


def test_the_ledger_verifies_and_exports_as_valid_epcis(
    demo_db: tuple[Path, str], tmp_path: Path
) -> None:
    db, _ = demo_db
    verified = station("verify", "--db", str(db))
    assert verified.returncode == 0, verified.stdout + verified.stderr
    out = tmp_path / "demo.jsonld"
    exported = station("export-epcis", "--db", str(db), "--out", str(out))
    assert exported.returncode == 0, exported.stdout + exported.stderr
    document = json.loads(out.read_text(encoding="utf-8"))
    assert validate_document(document) == []
    assert len(document["epcisBody"]["eventList"]) == query(db, "SELECT count(*) FROM event")[0][0]


def test_the_recalled_supplier_lot_reaches_several_customers(demo_db: tuple[Path, str]) -> None:
    db, output = demo_db
    lot = next(line.split()[-1] for line in output.splitlines() if "recalled supplier lot" in line)
    found = station("recall", "--db", str(db), "--json", lot)
    assert found.returncode == 0, found.stdout + found.stderr
    result = json.loads(found.stdout)
    assert len(result["by_customer"]) > 1
    assert len(result["units"]) >= 2 * 50  # two finished lots of 50 were made from it


def test_the_projection_equals_a_rebuild(demo_db: tuple[Path, str]) -> None:
    db, _ = demo_db
    engine = open_engine(db)
    try:
        with engine.begin() as conn:
            assert differences(conn) == []
    finally:
        close_engine(engine)


@contextmanager
def _connected(db: Path) -> Iterator[sa.Connection]:
    engine = open_engine(db)
    try:
        with engine.connect() as conn:
            yield conn
    finally:
        close_engine(engine)


def test_every_projected_lot_state_equals_the_fold_of_its_history(
    demo_db: tuple[Path, str],
) -> None:
    db, _ = demo_db
    with _connected(db) as conn:
        lots = conn.exec_driver_sql(
            "SELECT DISTINCT uri FROM event_ident WHERE kind = 'lgtin'"
        ).scalars()
        states = {lot: (lot_state(conn, lot), folded_lot_state(conn, lot)) for lot in lots}
    assert len(states) > 5
    assert {lot: pair for lot, pair in states.items() if pair[0] != pair[1]} == {}
    assert {projected for projected, _ in states.values()} >= {
        LotState.ACCEPTED,
        LotState.REJECTED,
        LotState.SHIPPED,
    }


def test_every_item_status_equals_the_fold_of_its_history(demo_db: tuple[Path, str]) -> None:
    db, _ = demo_db
    with _connected(db) as conn:
        items = list(
            conn.exec_driver_sql(
                "SELECT DISTINCT uri FROM event_ident WHERE kind IN ('sgtin', 'lgtin', 'sscc')"
            ).scalars()
        )
        kept, folded = read_rows(conn, items), fold_rows(conn, items)
    assert len(items) > 200
    assert {s.status for s in kept.values()} >= {"in_stock", "shipped", "returned"}
    assert kept == folded


def test_the_0006_backfill_of_commissioned_in_equals_the_projection(
    demo_db: tuple[Path, str], tmp_path: Path
) -> None:
    copy = tmp_path / "copy.db"
    with sqlite3.connect(demo_db[0]) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    with sqlite3.connect(copy) as conn:
        query = "SELECT uri, commissioned_in FROM item_state ORDER BY uri"
        kept = conn.execute(query).fetchall()
        # 0006 filled item_status; since 0008 the column lives in item_state.
        conn.execute("UPDATE item_state SET commissioned_in = NULL")
        conn.execute(backfill_0006.replace("item_status", "item_state"))
        assert conn.execute(query).fetchall() == kept
    assert sum(1 for _, lot in kept if lot) >= UNITS


def test_the_big_recall_from_projections_equals_the_fold(demo_db: tuple[Path, str]) -> None:
    db, _ = demo_db
    with _connected(db) as conn:
        lot = conn.exec_driver_sql(
            "SELECT uri FROM event_ident WHERE uri LIKE '%/10/KCN%' LIMIT 1"
        ).scalar_one()
        fast, folded = recall(conn, READER, lot), recall_by_fold(conn, READER, lot)
    assert len(fast.units) == UNITS
    assert replace(fast, elapsed_seconds=0) == replace(folded, elapsed_seconds=0)


def test_the_same_seed_gives_the_same_events(demo_db: tuple[Path, str], tmp_path: Path) -> None:
    db, _ = demo_db
    again = tmp_path / "again.db"
    demo(again, seed=7)
    assert payloads_without_ids(again) == payloads_without_ids(db)
    other = tmp_path / "other.db"
    demo(other, seed=8)
    assert payloads_without_ids(other) != payloads_without_ids(db)


def test_an_existing_file_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "taken.db"
    db.write_bytes(b"")
    refused = station("demo-data", "--db", str(db), "--units", "50")
    assert refused.returncode == 2
    assert "exists" in refused.stderr
    assert db.read_bytes() == b""
