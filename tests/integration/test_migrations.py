"""Migrations: the migrated schema is exactly tables.py, and upgrades keep the data."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import alembic.command
import alembic.op
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Column, Engine, MetaData, String, Table, text

from station.errors import StorageError
from station.events.capture import record_event
from station.events.ids import lgtin_uri
from station.events.model import Action, ObjectEventDraft
from station.events.parts import Quantity
from station.persistence import migrate, tables
from station.persistence.db import close_engine, open_engine
from station.services.lifecycle import LotState, folded_lot_state, lot_state
from station.services.projection import differences


def _schema_diffs(engine: Engine, metadata: MetaData) -> list[object]:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diffs: list[object] = compare_metadata(context, metadata)
        connection.rollback()
    return diffs


def test_the_migrated_schema_equals_the_models(engine: Engine) -> None:
    assert migrate.current_revision(engine) == migrate.head_revision()
    assert _schema_diffs(engine, tables.metadata) == []


def test_the_comparison_would_notice_a_drift(engine: Engine) -> None:
    drifted = MetaData()
    for table in tables.metadata.sorted_tables:
        table.to_metadata(drifted)
    Table("product", drifted, Column("colour", String), extend_existing=True)
    assert any("colour" in repr(diff) for diff in _schema_diffs(engine, drifted))


def test_a_new_database_has_no_revision(db_path: Path) -> None:
    engine = open_engine(db_path)
    try:
        assert migrate.current_revision(engine) is None
    finally:
        close_engine(engine)


MASTER_ROWS = {
    "location": {
        "id": 1,
        "code": "DOCK-1",
        "name": "收货口 1",
        "gln": None,
        "kind": "dock",
        "active": 1,
    },
    "supplier": {
        "id": 1,
        "code": "S-001",
        "name": "Acme Medical",
        "gln": "4012345000009",
        "qualification": "qualified",
        "qualified_until": "2027-12-31",
        "active": 1,
    },
    "product": {
        "id": 1,
        "di": "04012345678901",
        "di_scheme": "gs1",
        "name_zh": "输液器",
        "name_en": "Infusion set",
        "model": "IV-20",
        "registration_no": "国械注准X",
        "device_class": "III",
        "shelf_life_days": 730,
        "trace_level": "serial",
        "is_material": 0,
        "active": 1,
    },
    "purchase_order": {
        "id": 1,
        "number": "PO-1",
        "supplier_id": 1,
        "status": "open",
        "ordered_at": "2026-11-01",
    },
    "po_line": {"id": 1, "po_id": 1, "line_no": 1, "product_id": 1, "quantity": 120.0, "uom": "EA"},
}


def test_upgrading_from_0001_keeps_the_master_data(db_path: Path) -> None:
    engine = open_engine(db_path)
    try:
        migrate.upgrade(engine, "0001")
        assert migrate.current_revision(engine) == "0001"
        with engine.begin() as connection:
            assert not connection.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE name = 'event'"
            ).first()
            for table, row in MASTER_ROWS.items():
                columns = ", ".join(row)
                values = ", ".join(f":{c}" for c in row)
                connection.execute(text(f"INSERT INTO {table} ({columns}) VALUES ({values})"), row)

        migrate.upgrade(engine)

        assert migrate.current_revision(engine) == migrate.head_revision()
        with engine.connect() as connection:
            for table, row in MASTER_ROWS.items():
                stored = connection.execute(text(f"SELECT * FROM {table}")).mappings().all()
                assert [dict(r) for r in stored] == [row]
            connection.rollback()
        assert _schema_diffs(engine, tables.metadata) == []
    finally:
        close_engine(engine)


def test_a_failing_revision_leaves_the_database_as_it_was(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = open_engine(db_path)
    try:
        migrate.upgrade(engine, "0001")

        def power_cut(*_args: object, **_kwargs: object) -> None:
            raise RuntimeError("power cut in the middle of 0002")

        # 0002 creates its tables, then fails at its first trigger: all must roll back.
        with monkeypatch.context() as patch:
            patch.setattr(alembic.op, "execute", power_cut)
            with pytest.raises(RuntimeError, match="power cut"):
                migrate.upgrade(engine)

        assert migrate.current_revision(engine) == "0001"
        with engine.connect() as connection:
            names = {r[0] for r in connection.exec_driver_sql("SELECT name FROM sqlite_master")}
            connection.rollback()
        assert "event" not in names
        assert "product" in names
    finally:
        close_engine(engine)


def test_a_database_from_a_newer_station_is_refused(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0999'"))
    with pytest.raises(StorageError, match="cannot be brought to head"):
        migrate.upgrade(engine)
    assert migrate.current_revision(engine) == "0999"  # left exactly as found


def test_upgrading_from_0002_fills_lot_state_from_the_events(db_path: Path) -> None:
    engine = open_engine(db_path)
    lot = lgtin_uri("06901234000016", "L1")
    try:
        migrate.upgrade(engine, "0002")
        receipt = ObjectEventDraft(
            action=Action.OBSERVE,
            biz_step="receiving",
            disposition="in_progress",
            quantities=(Quantity(lot, 10.0, "EA"),),
        )
        with engine.begin() as connection:
            record_event(
                connection,
                receipt,
                actor="u-1",
                station="ST-01",
                raw_scan=None,
                now=lambda: datetime(2026, 11, 25, 9, 0, tzinfo=UTC),
                app_version="test",
                schema_version="0002",
            )

        migrate.upgrade(engine)

        with engine.begin() as connection:
            assert lot_state(connection, lot) is LotState.RECEIVED
            assert folded_lot_state(connection, lot) is LotState.RECEIVED
            assert differences(connection) == []
        assert _schema_diffs(engine, tables.metadata) == []
    finally:
        close_engine(engine)


def test_upgrading_from_0007_moves_the_status_rows_into_item_state(db_path: Path) -> None:
    engine = open_engine(db_path)
    unit = "https://id.gs1.org/01/04012345123456/21/SN1"
    try:
        migrate.upgrade(engine, "0007")
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO item_state (uri, kind, gtin, serial, parent_uri, on_hold,"
                    " last_event_seq) VALUES (:u, 'sgtin', '04012345123456', 'SN1', NULL, 0, 7)"
                ),
                {"u": unit},
            )
            connection.execute(
                text(
                    "INSERT INTO item_status (uri, status, holder, location, holds, shipped_to,"
                    " last_event_seq, commissioned_in) VALUES (:u, 'shipped', 'urn:p', 'urn:l',"
                    " '[\"recalled\"]', '[\"urn:p\"]', 7, 'urn:lot')"
                ),
                {"u": unit},
            )

        migrate.upgrade(engine)

        with engine.connect() as connection:
            row = connection.execute(
                text(
                    "SELECT status, status_holder, status_location, holds, shipped_to,"
                    " status_event_seq, commissioned_in FROM item_state WHERE uri = :u"
                ),
                {"u": unit},
            ).one()
            assert tuple(row) == (
                "shipped",
                "urn:p",
                "urn:l",
                '["recalled"]',
                '["urn:p"]',
                7,
                "urn:lot",
            )
            tables_now = connection.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE name = 'item_status'"
            ).all()
            assert tables_now == []
            connection.rollback()
        assert _schema_diffs(engine, tables.metadata) == []
    finally:
        close_engine(engine)


def test_0008_downgrades_to_the_separate_status_table(db_path: Path) -> None:
    engine = open_engine(db_path)
    unit = "https://id.gs1.org/01/04012345123456/21/SN1"
    try:
        migrate.upgrade(engine)
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO item_state (uri, kind, on_hold, last_event_seq, status,"
                    " status_event_seq) VALUES (:u, 'sgtin', 0, 3, 'returned', 3)"
                ),
                {"u": unit},
            )
        config = migrate._config()
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            alembic.command.downgrade(config, "0007")
        with engine.connect() as connection:
            status = connection.execute(
                text("SELECT status, last_event_seq FROM item_status WHERE uri = :u"), {"u": unit}
            ).one()
            assert tuple(status) == ("returned", 3)
            columns = {
                row[1] for row in connection.exec_driver_sql("PRAGMA table_info(item_state)")
            }
            assert "status" not in columns
            connection.rollback()
        migrate.upgrade(engine)  # and back up again
        assert _schema_diffs(engine, tables.metadata) == []
    finally:
        close_engine(engine)
