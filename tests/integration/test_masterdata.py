"""Master data on a real SQLite file: CSV import/export, validation, audited changes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, func, select, text

from station.context import WriteContext
from station.masterdata.csvio import export_csv, import_csv
from station.masterdata.editing import MasterDataError, upsert
from station.masterdata.specs import SPECS
from station.persistence import tables

AUDIT = tables.Audit.__table__  # type: ignore[attr-defined]
PRODUCT = tables.Product.__table__  # type: ignore[attr-defined]
CTX = WriteContext(
    station="ST-01",
    actor="u-admin",
    actor_name="Ada Admin",
    clock=lambda: datetime(2026, 11, 24, 8, 0, tzinfo=UTC),
    roles=frozenset({"admin"}),  # masterdata.edit
)

PRODUCTS_CSV = (
    "di,di_scheme,name_zh,name_en,model,registration_no,device_class,shelf_life_days,"
    "trace_level,is_material,active\r\n"
    "04012345123456,gs1,一次性注射器,Disposable syringe,DS-5,国械注准20263140001,II,1095,"
    "lot,no,yes\r\n"
    "A123BJC5D6E71,hibc,导管,Catheter,C-7,,III,730,serial,no,yes\r\n"
)


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = create_engine(f"sqlite:///{tmp_path / 'station.db'}")
    tables.metadata.create_all(engine)
    yield engine
    engine.dispose()


def audit_rows(engine: Engine) -> list[dict[str, object]]:
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(select(AUDIT).order_by(AUDIT.c.seq)).mappings()]


def test_import_creates_rows_and_audits_each(engine: Engine) -> None:
    with engine.begin() as conn:
        result = import_csv(conn, SPECS["products"], PRODUCTS_CSV, CTX, "initial load")
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    audits = audit_rows(engine)
    assert [a["action"] for a in audits] == ["masterdata.create"] * 2
    assert audits[0]["entity"] == "product"
    assert audits[0]["entity_id"] == "04012345123456"
    assert audits[0]["actor"] == "u-admin"
    assert audits[0]["actor_name"] == "Ada Admin"
    assert audits[0]["reason"] == "initial load"
    assert json.loads(str(audits[0]["new_value"]))["name_zh"] == "一次性注射器"


@pytest.mark.req("P11-E1")
def test_reimport_is_idempotent_and_changes_audit_old_and_new(engine: Engine) -> None:
    with engine.begin() as conn:
        import_csv(conn, SPECS["products"], PRODUCTS_CSV, CTX, "initial load")
    with engine.begin() as conn:
        again = import_csv(conn, SPECS["products"], PRODUCTS_CSV, CTX, "re-sync")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    changed = PRODUCTS_CSV.replace("Disposable syringe", "Single-use syringe")
    with engine.begin() as conn:
        result = import_csv(conn, SPECS["products"], changed, CTX, "name corrected")
    assert result.updated == 1
    last = audit_rows(engine)[-1]
    assert last["action"] == "masterdata.update"
    assert json.loads(str(last["old_value"])) == {"name_en": "Disposable syringe"}
    assert json.loads(str(last["new_value"])) == {"name_en": "Single-use syringe"}
    assert last["reason"] == "name corrected"
    assert len(audit_rows(engine)) == 3


def test_every_problem_is_reported_and_nothing_is_stored(engine: Engine) -> None:
    bad = (
        "di,di_scheme,name_zh,name_en,trace_level,shelf_life_days,colour\r\n"
        "04012345123457,gs1,甲,A,lot,10,red\r\n"
        "04012345123456,gs1,,B,box,-1,blue\r\n"
    )
    with pytest.raises(MasterDataError) as info, engine.begin() as conn:
        import_csv(conn, SPECS["products"], bad, CTX, "load")
    assert (1, "colour", "unknown column") in info.value.problems
    good_header = bad.replace(",colour", "").replace(",red", "").replace(",blue", "")
    with pytest.raises(MasterDataError) as info, engine.begin() as conn:
        import_csv(conn, SPECS["products"], good_header, CTX, "load")
    problems = info.value.problems
    assert (2, "di", "invalid device identifier: check digit should be 6") in problems
    assert (3, "name_zh", "required") in problems
    assert (3, "trace_level", "must be one of lot, serial") in problems
    assert (3, "shelf_life_days", "must not be negative") in problems
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(PRODUCT)).scalar() == 0
        assert conn.execute(select(func.count()).select_from(AUDIT)).scalar() == 0


@pytest.mark.parametrize(
    ("scheme", "di", "ok"),
    [
        ("gs1", "04012345123456", True),
        ("gs1", "4012345123456", False),
        ("hibc", "A123BJC5D6E71", True),
        ("hibc", "1123BJC5D6E71", False),  # a LIC starts with a letter
        ("isbt128", "A9999XYZ100T0944", True),
        ("ppn", "111234568408", True),
        ("ppn", "111234568409", False),
        ("ma", "MA.156.M0.100761.21234561", True),
    ],
)
def test_device_identifiers_are_checked_by_the_code_reader(
    engine: Engine, scheme: str, di: str, ok: bool
) -> None:
    values = {
        "di": di,
        "di_scheme": scheme,
        "name_zh": "器械",
        "name_en": "Device",
        "trace_level": "lot",
    }
    with engine.begin() as conn:
        if ok:
            assert upsert(conn, SPECS["products"], values, CTX, "new").action == "created"
        else:
            with pytest.raises(MasterDataError, match="invalid device identifier"):
                upsert(conn, SPECS["products"], values, CTX, "new")


@pytest.mark.req("A11-9")
def test_a_change_without_reason_is_refused(engine: Engine) -> None:
    with pytest.raises(MasterDataError, match="reason"), engine.begin() as conn:
        import_csv(conn, SPECS["products"], PRODUCTS_CSV, CTX, "  ")


def test_references_use_natural_keys_and_must_exist(engine: Engine) -> None:
    suppliers = (
        "code,name,qualification,qualified_until\r\nSUP-1,Acme 医疗,qualified,2027-06-30\r\n"
    )
    orders = "number,supplier_code,status\r\nPO-1,SUP-1,open\r\nPO-2,SUP-9,open\r\n"
    with engine.begin() as conn:
        import_csv(conn, SPECS["suppliers"], suppliers, CTX, "load")
    with pytest.raises(MasterDataError) as info, engine.begin() as conn:
        import_csv(conn, SPECS["purchase_orders"], orders, CTX, "load")
    assert info.value.problems == ((3, None, "no supplier with supplier_code=SUP-9"),)
    with engine.begin() as conn:
        first_order_only = orders.split("PO-2", maxsplit=1)[0].rstrip()
        import_csv(conn, SPECS["purchase_orders"], first_order_only, CTX, "load")
        exported = export_csv(conn, SPECS["purchase_orders"])
    assert exported == "number,supplier_code,status,ordered_at\r\nPO-1,SUP-1,open,\r\n"


def test_composite_references_for_inspection_checkpoints(engine: Engine) -> None:
    plans = "code,version,name\r\nIQC-1,1,来料检验\r\nIQC-1,2,来料检验 v2\r\n"
    points = (
        "plan_code,plan_version,position,name,kind,lower_limit,upper_limit,unit\r\n"
        "IQC-1,2,1,Length,numeric,9.5,10.5,MMT\r\n"
        "IQC-1,2,2,Seal intact,pass_fail,,,\r\n"
    )
    with engine.begin() as conn:
        import_csv(conn, SPECS["inspection_plans"], plans, CTX, "load")
        import_csv(conn, SPECS["inspection_checkpoints"], points, CTX, "load")
        out = export_csv(conn, SPECS["inspection_checkpoints"])
    assert out.splitlines()[1] == "IQC-1,2,1,Length,numeric,9.5,10.5,MMT"


@pytest.mark.req("SEC-9")
def test_export_guards_formulas_and_imports_back_unchanged(engine: Engine) -> None:
    hostile = PRODUCTS_CSV.replace("Catheter", '=HYPERLINK("http://x")').replace(
        "C-7", "+cmd|' /C calc'!A0"
    )
    with engine.begin() as conn:
        import_csv(conn, SPECS["products"], hostile, CTX, "load")
        exported = export_csv(conn, SPECS["products"])
    assert "'=HYPERLINK" in exported
    assert "'+cmd" in exported
    with engine.begin() as conn:
        again = import_csv(conn, SPECS["products"], exported, CTX, "round trip")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_malformed_csv_is_refused_with_its_line(engine: Engine) -> None:
    broken = "code,name,qualification\r\nS1,A,qualified,extra\r\n"
    with (
        pytest.raises(MasterDataError, match="line 2: more cells than columns"),
        engine.begin() as conn,
    ):
        import_csv(conn, SPECS["suppliers"], broken, CTX, "load")
    dup = "code,name,qualification\r\nS1,A,qualified\r\nS1,B,qualified\r\n"
    with pytest.raises(MasterDataError, match="line 3: same key as line 2"), engine.begin() as conn:
        import_csv(conn, SPECS["suppliers"], dup, CTX, "load")


def test_sql_metacharacters_are_stored_verbatim(engine: Engine) -> None:
    name = "'); DROP TABLE product;--"
    with engine.begin() as conn:
        upsert(
            conn,
            SPECS["suppliers"],
            {"code": "X", "name": name, "qualification": "qualified"},
            CTX,
            "new",
        )
    with engine.connect() as conn:
        assert conn.execute(text("SELECT name FROM supplier")).scalar() == name
        assert conn.execute(select(func.count()).select_from(PRODUCT)).scalar() == 0
