"""Applying ERP master-data pages on a real (migrated) SQLite file, without HTTP."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, func, select

from station.context import WriteContext
from station.masterdata.specs import SPECS, parse_roles
from station.persistence import migrate, tables
from station.persistence.db import close_engine, open_engine
from station.sync.masterdata import (
    ENTITY_ORDER,
    MAX_VALUE_CHARS,
    SYNC_REASON,
    ApplyResult,
    MasterPageError,
    apply_page,
    check_page,
    load_cursor,
    resnapshot,
    save_cursor,
)

AUDIT = tables.Audit.__table__  # type: ignore[attr-defined]
PRODUCT = tables.Product.__table__  # type: ignore[attr-defined]
PO_LINE = tables.PurchaseOrderLine.__table__  # type: ignore[attr-defined]
USER = tables.StationUser.__table__  # type: ignore[attr-defined]
SYNC_STATE = tables.SyncState.__table__  # type: ignore[attr-defined]
CTX = WriteContext(
    station="ST-01",
    actor="erp-sync",
    actor_name="ERP sync",
    clock=lambda: datetime(2026, 11, 24, 8, 0, tzinfo=UTC),
)

SYRINGE = {
    "di": "04012345123456",
    "di_scheme": "gs1",
    "name_zh": "一次性注射器",
    "name_en": "Disposable syringe",
    "trace_level": "lot",
}
CATHETER = {
    "di": "A123BJC5D6E71",
    "di_scheme": "hibc",
    "name_zh": "导管",
    "name_en": "Catheter",
    "trace_level": "serial",
}
SUPPLIER = {"code": "SUP-1", "name": "Acme Medical", "qualification": "qualified"}
ORDER = {"number": "PO-1", "supplier_code": "SUP-1", "status": "open"}
LINES = [
    {"po_number": "PO-1", "line_no": "1", "product_di": SYRINGE["di"], "quantity": "100"},
    {"po_number": "PO-1", "line_no": "2", "product_di": CATHETER["di"], "quantity": "5"},
]
LI = {"username": "li", "name": "Li Na", "roles": "qa operator", "badge": "B-7", "active": "yes"}


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = open_engine(tmp_path / "station.sqlite")
    migrate.upgrade(engine)
    yield engine
    close_engine(engine)


def apply(engine: Engine, entity: str, rows: Any, tombstones: Any = (), **kw: Any) -> ApplyResult:
    with engine.begin() as conn:
        return apply_page(conn, entity, rows, list(tombstones), CTX, **kw)


def counts(result: ApplyResult) -> tuple[int, int, int, int]:
    return result.created, result.updated, result.unchanged, result.removed


def audits(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(select(AUDIT).order_by(AUDIT.c.seq)).mappings()]


def rows_of(engine: Engine, table: Any) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(select(table).order_by(table.c.id)).mappings()]


def load_all(engine: Engine) -> None:
    apply(engine, "products", [SYRINGE, CATHETER])
    apply(engine, "suppliers", [SUPPLIER])
    apply(engine, "purchase_orders", [ORDER])
    apply(engine, "purchase_order_lines", LINES)
    apply(engine, "users", [LI])


def test_entity_order_puts_references_first() -> None:
    assert set(ENTITY_ORDER) == set(SPECS)
    position = {name: n for n, name in enumerate(ENTITY_ORDER)}
    for name, spec in SPECS.items():
        for reference in spec.references:
            target = next(s for s in SPECS.values() if s.table is reference.table)
            assert position[target.name] < position[name]


def test_a_page_creates_rows_audited_with_the_sync_reason(engine: Engine) -> None:
    result = apply(engine, "products", [SYRINGE, CATHETER])
    assert counts(result) == (2, 0, 0, 0)
    assert result.problems == []
    entries = audits(engine)
    assert [e["action"] for e in entries] == ["masterdata.create"] * 2
    assert {e["reason"] for e in entries} == {SYNC_REASON}
    assert entries[0]["actor"] == "erp-sync"
    assert entries[0]["entity_id"] == SYRINGE["di"]


def test_the_same_page_again_changes_nothing_and_a_change_is_an_audited_update(
    engine: Engine,
) -> None:
    apply(engine, "products", [SYRINGE, CATHETER])
    assert counts(apply(engine, "products", [SYRINGE, CATHETER])) == (0, 0, 2, 0)
    assert len(audits(engine)) == 2
    renamed = SYRINGE | {"name_en": "Single-use syringe"}
    assert counts(apply(engine, "products", [renamed])) == (0, 1, 0, 0)
    last = audits(engine)[-1]
    assert last["action"] == "masterdata.update"
    assert json.loads(last["old_value"]) == {"name_en": "Disposable syringe"}
    assert json.loads(last["new_value"]) == {"name_en": "Single-use syringe"}


def test_references_resolve_by_natural_key(engine: Engine) -> None:
    load_all(engine)
    lines = rows_of(engine, PO_LINE)
    assert [(line["line_no"], line["quantity"]) for line in lines] == [(1, 100.0), (2, 5.0)]
    users = rows_of(engine, USER)
    assert [(u["username"], u["roles"], u["badge"], u["active"]) for u in users] == [
        ("li", "operator qa", "B-7", True)
    ]


def test_a_bad_row_is_reported_and_skipped_while_the_rest_applies(engine: Engine) -> None:
    bad = SYRINGE | {"di": "04012345123457", "name_en": "Bad"}
    result = apply(engine, "products", [bad, CATHETER])
    assert counts(result) == (1, 0, 0, 0)
    assert result.problems == [
        ("04012345123457", "di: invalid device identifier: check digit should be 6")
    ]
    assert [p["di"] for p in rows_of(engine, PRODUCT)] == [CATHETER["di"]]
    refused = [e for e in audits(engine) if e["action"] == "masterdata.sync_refused"]
    assert len(refused) == 1
    assert refused[0]["entity_id"] == "04012345123457"
    assert json.loads(refused[0]["new_value"]) == {
        "problem": "di: invalid device identifier: check digit should be 6"
    }


def test_a_row_naming_something_unknown_is_a_problem(engine: Engine) -> None:
    apply(engine, "products", [SYRINGE])
    apply(engine, "suppliers", [SUPPLIER])
    orphan = {"number": "PO-9", "supplier_code": "NOBODY"}
    result = apply(engine, "purchase_orders", [orphan, ORDER])
    assert counts(result) == (1, 0, 0, 0)
    assert result.problems == [("PO-9", "no supplier with supplier_code=NOBODY")]
    user = apply(engine, "users", [LI | {"username": "root", "roles": "god"}])
    assert user.problems[0][0] == "root"
    assert "unknown role god" in user.problems[0][1]


def test_tombstones_deactivate_or_delete_with_audit(engine: Engine) -> None:
    load_all(engine)
    before = len(audits(engine))
    product = apply(engine, "products", [], [{"di": SYRINGE["di"]}])
    line = apply(engine, "purchase_order_lines", [], [{"po_number": "PO-1", "line_no": "2"}])
    user = apply(engine, "users", [], [{"username": "li"}])
    assert [counts(r) for r in (product, line, user)] == [(0, 0, 0, 1)] * 3
    assert [p["active"] for p in rows_of(engine, PRODUCT)] == [False, True]
    assert [x["line_no"] for x in rows_of(engine, PO_LINE)] == [1]
    assert [u["active"] for u in rows_of(engine, USER)] == [False]
    entries = audits(engine)[before:]
    assert [(e["action"], e["entity"], e["entity_id"]) for e in entries] == [
        ("masterdata.update", "product", SYRINGE["di"]),
        ("masterdata.delete", "po_line", "PO-1/2"),
        ("masterdata.update", "station_user", "li"),
    ]
    assert json.loads(entries[0]["new_value"]) == {"active": False}
    assert json.loads(entries[1]["old_value"])["quantity"] == 5.0
    assert entries[1]["new_value"] is None
    # Again: nothing left to do.
    again = apply(engine, "products", [], [{"di": SYRINGE["di"]}, {"di": "04012345000016"}])
    assert counts(again) == (0, 0, 2, 0)


def test_a_removed_order_takes_its_lines_with_it(engine: Engine) -> None:
    load_all(engine)
    result = apply(engine, "purchase_orders", [], [{"number": "PO-1"}])
    assert result.removed == 1
    assert rows_of(engine, PO_LINE) == []
    deleted = [e["entity_id"] for e in audits(engine) if e["action"] == "masterdata.delete"]
    assert deleted == ["PO-1/1", "PO-1/2", "PO-1"]


def test_a_tombstone_without_its_key_is_a_problem(engine: Engine) -> None:
    load_all(engine)
    result = apply(
        engine,
        "purchase_order_lines",
        [],
        [{"po_number": "PO-1"}, {"po_number": "PO-1", "line_no": "1", "quantity": "3"}],
    )
    assert [p[1] for p in result.problems] == [
        "line_no: required",
        "a tombstone holds only the key (po_number, line_no), not quantity",
    ]
    assert len(rows_of(engine, PO_LINE)) == 2


def test_cursor_is_saved_with_the_page_and_rolls_back_with_it(engine: Engine) -> None:
    with engine.connect() as conn:
        assert load_cursor(conn, "products") is None
    apply(engine, "products", [SYRINGE], cursor="c-1")
    with engine.connect() as conn:
        assert load_cursor(conn, "products") == "c-1"
        assert load_cursor(conn, "suppliers") is None
        state = conn.execute(select(SYNC_STATE)).mappings().one()
    assert state["key"] == "master_cursor:products"
    assert state["updated_at"] == "2026-11-24T08:00:00.000Z"

    def crash_after_apply(conn: Connection) -> None:
        apply_page(conn, "products", [CATHETER], [], CTX, cursor="c-2")
        raise RuntimeError("power cut")

    with pytest.raises(RuntimeError), engine.begin() as conn:
        crash_after_apply(conn)
    with engine.connect() as conn:
        assert load_cursor(conn, "products") == "c-1"
    assert [p["di"] for p in rows_of(engine, PRODUCT)] == [SYRINGE["di"]]
    with engine.begin() as conn:
        save_cursor(conn, "products", "c-3")
        assert load_cursor(conn, "products") == "c-3"


@pytest.mark.parametrize(
    ("rows", "tombstones", "words"),
    [
        ({"di": "x"}, [], "rows is not a list"),
        ("abc", [], "rows is not a list"),
        ([["di", "x"]], [], "row 1 is not an object"),
        ([SYRINGE | {"shelf_life_days": 30}], [], "row 1: shelf_life_days must be text"),
        ([SYRINGE | {"name_en": None}], [], "row 1: name_en must be text"),
        ([SYRINGE | {"name_en": "x" * (MAX_VALUE_CHARS + 1)}], [], "longer than"),
        ([{f"c{n}": "" for n in range(65)}], [], "more than 64 fields"),
        ([SYRINGE], [{"di": 4}], "tombstone 1: di must be text"),
        ([SYRINGE], None, "tombstones is not a list"),
    ],
)
def test_a_malformed_page_is_refused_whole(
    engine: Engine, rows: Any, tombstones: Any, words: str
) -> None:
    with pytest.raises(MasterPageError, match=words), engine.begin() as conn:
        apply_page(conn, "products", rows, tombstones, CTX, cursor="c-9")
    assert rows_of(engine, PRODUCT) == []
    assert audits(engine) == []
    with engine.connect() as conn:
        assert load_cursor(conn, "products") is None


def test_unknown_entities_and_bad_cursors_are_refused(engine: Engine) -> None:
    with pytest.raises(MasterPageError, match="unknown master-data entity"):
        check_page("event", [], [])
    for cursor in ("", "x" * 2000, "a\nb"):
        with pytest.raises(MasterPageError, match="cursor"), engine.begin() as conn:
            apply_page(conn, "products", [SYRINGE], [], CTX, cursor=cursor)
    assert rows_of(engine, PRODUCT) == []


def test_resnapshot_removes_what_the_snapshot_lacks(engine: Engine) -> None:
    load_all(engine)
    ghost = {"username": "ghost", "name": "Gone", "roles": "operator"}
    apply(engine, "users", [ghost])
    with engine.begin() as conn:
        products = resnapshot(conn, "products", [CATHETER], CTX, cursor="s-1")
        lines = resnapshot(conn, "purchase_order_lines", [LINES[0]], CTX)
        users = resnapshot(conn, "users", [LI | {"name": "Li Na (QA)"}], CTX)
    assert counts(products) == (0, 0, 1, 1)
    assert counts(lines) == (0, 0, 1, 1)
    assert counts(users) == (0, 1, 0, 1)
    assert [(p["di"], p["active"]) for p in rows_of(engine, PRODUCT)] == [
        (SYRINGE["di"], False),
        (CATHETER["di"], True),
    ]
    assert [x["line_no"] for x in rows_of(engine, PO_LINE)] == [1]
    assert [(u["username"], u["active"]) for u in rows_of(engine, USER)] == [
        ("li", True),
        ("ghost", False),
    ]
    with engine.connect() as conn:
        assert load_cursor(conn, "products") == "s-1"
    reasons = {e["reason"] for e in audits(engine) if e["action"] == "masterdata.delete"}
    assert reasons == {f"{SYNC_REASON}: not in the ERP's snapshot"}


def test_resnapshot_keeps_a_row_whose_snapshot_version_is_refused(engine: Engine) -> None:
    load_all(engine)
    broken = SYRINGE | {"trace_level": "pallet"}
    with engine.begin() as conn:
        result = resnapshot(conn, "products", [broken, CATHETER], CTX)
    assert counts(result) == (0, 0, 1, 0)
    assert result.problems == [(SYRINGE["di"], "trace_level: must be one of lot, serial")]
    assert [p["active"] for p in rows_of(engine, PRODUCT)] == [True, True]


def test_a_reactivated_row_comes_back(engine: Engine) -> None:
    apply(engine, "products", [SYRINGE])
    apply(engine, "products", [], [{"di": SYRINGE["di"]}])
    assert counts(apply(engine, "products", [SYRINGE])) == (0, 1, 0, 0)
    assert rows_of(engine, PRODUCT)[0]["active"] is True


def test_roles_are_known_and_kept_in_one_order() -> None:
    assert parse_roles("admin operator") == "operator admin"
    for bad in ("operator operator", "root"):
        with pytest.raises(ValueError, match="role"):
            parse_roles(bad)


def test_nothing_but_master_data_and_audit_is_written(engine: Engine) -> None:
    load_all(engine)
    with engine.connect() as conn:
        for name in ("event", "sync_ack", "sync_rejection"):
            table = tables.metadata.tables[name]
            assert conn.execute(select(func.count()).select_from(table)).scalar_one() == 0
