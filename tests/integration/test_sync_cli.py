"""``station sync`` as a real process against the reference ERP on loopback (the CLI contract)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from station.context import WriteContext
from station.demo.traffic import record_traffic
from station.persistence.store import open_store
from station.sync.outbox import Rejection, record_rejections
from sync.erp_sim import ErpSim, FaultPlan
from tests.integration.station_cli import station

CTX = WriteContext(station="standalone", actor="tester")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "station.sqlite"
    store = open_store(path)
    try:
        record_traffic(store.writer, CTX, 45, lots=3)
    finally:
        store.close()
    return path


@pytest.fixture
def erp(tmp_path: Path) -> Iterator[ErpSim]:
    with ErpSim(tmp_path / "erp.sqlite") as server:
        yield server


def sync(*args: str, settings: Path) -> tuple[int, str, str]:
    done = station("sync", *args, "--settings", str(settings))
    return done.returncode, done.stdout, done.stderr


def status(db: Path) -> dict[str, object]:
    done = station("sync", "status", "--db", str(db), "--json")
    assert done.returncode == 0, done.stderr
    facts: dict[str, object] = json.loads(done.stdout)
    return facts


def test_once_exits_3_while_events_stay_queued_and_0_when_drained(
    db: Path, erp: ErpSim, tmp_path: Path
) -> None:
    settings = tmp_path / "none.toml"
    assert status(db)["queued"] == 45
    assert status(db)["online"] is None  # never tried
    erp.faults = FaultPlan.parse("500@every=1")
    code, _, err = sync("--once", "--db", str(db), "--endpoint", erp.url, settings=settings)
    assert code == 3, err
    assert "500" in err
    facts = status(db)
    assert facts["queued"] == 45
    assert facts["online"] is False
    erp.faults = FaultPlan()
    code, out, err = sync("--once", "--db", str(db), "--endpoint", erp.url, settings=settings)
    assert code == 0, err
    assert "delivered 45" in out
    facts = status(db)
    assert {k: facts[k] for k in ("queued", "errors", "online")} == {
        "queued": 0,
        "errors": 0,
        "online": True,
    }
    assert isinstance(facts["last_success"], str)
    assert erp.storage.event_count() == 45


def test_the_endpoint_can_come_from_the_settings_file(
    db: Path, erp: ErpSim, tmp_path: Path
) -> None:
    settings = tmp_path / "settings.toml"
    settings.write_text(
        f'version = 1\n[sync]\nconnector = "epcis"\nendpoint = "{erp.url}"\n', encoding="utf-8"
    )
    code, _, err = sync("--once", "--db", str(db), settings=settings)
    assert code == 0, err


def test_refusals_insecure_endpoints_and_missing_files_are_clear_errors(
    db: Path, tmp_path: Path
) -> None:
    settings = tmp_path / "none.toml"
    code, _, err = sync(
        "--once", "--db", str(db), "--endpoint", "http://erp.example.com", settings=settings
    )
    assert code == 2
    assert "https://" in err
    code, _, err = sync(
        "--once",
        "--db",
        str(tmp_path / "nope.sqlite"),
        "--endpoint",
        "https://x",
        settings=settings,
    )
    assert code == 2
    assert "does not exist" in err
    code, _, err = sync("--once", "--db", str(db), settings=settings)
    assert code == 2
    assert "endpoint" in err


def test_errors_are_listed_and_retry_needs_the_permission(db: Path, tmp_path: Path) -> None:
    store = open_store(db)
    try:
        with store.engine.connect() as conn:
            seq, event_id = conn.execute(sa.text("SELECT seq, event_id FROM event LIMIT 1")).one()
        rejection = Rejection(seq, event_id, "PO 4711 is closed")
        now = datetime.now(UTC)
        store.writer.submit(lambda c: record_rejections(c, [rejection], "test", now)).result()
    finally:
        store.close()
    done = station("sync", "errors", "--db", str(db), "--json")
    assert done.returncode == 0, done.stderr
    (row,) = json.loads(done.stdout)
    assert row["reason"] == "PO 4711 is closed"
    assert status(db)["errors"] == 1
    settings = str(tmp_path / "none.toml")
    denied = station(
        "sync", "retry", "--db", str(db), "--all", "--role", "operator", "--settings", settings
    )
    assert denied.returncode == 2
    assert "sync.retry" in denied.stderr
    allowed = station(
        "sync",
        "retry",
        "--db",
        str(db),
        str(row["id"]),
        "--role",
        "qa",
        "--user",
        "wang",
        "--settings",
        settings,
    )
    assert allowed.returncode == 0, allowed.stderr
    assert status(db)["errors"] == 0
    store = open_store(db)
    try:
        with store.engine.connect() as conn:
            actions = [r[0] for r in conn.execute(sa.text("SELECT action FROM audit"))]
    finally:
        store.close()
    assert "access.denied" in actions  # the refused retry left a trace
    assert "sync.retry" in actions


def test_login_refuses_a_keyring_that_would_keep_the_token_in_a_file(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    import subprocess  # noqa: PLC0415
    import sys  # noqa: PLC0415

    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "ui.cli",
            "sync",
            "login",
            "--endpoint",
            "https://erp.example.com",
            "--token-stdin",
            "--settings",
            str(tmp_path / "none.toml"),
        ],
        input="tok3n\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "UDI_STATION_SYNC_TOKEN" in done.stderr
    assert "tok3n" not in done.stderr + done.stdout


def test_once_also_pulls_master_data_unless_told_not_to(
    db: Path, erp: ErpSim, tmp_path: Path
) -> None:
    erp.master.put(
        "products",
        {
            "di": "06901234000115",
            "di_scheme": "gs1",
            "name_zh": "一次性使用无菌注射器",
            "name_en": "Sterile syringe",
            "trace_level": "lot",
        },
    )
    settings = tmp_path / "none.toml"
    code, _, err = sync(
        "--once", "--no-master", "--db", str(db), "--endpoint", erp.url, settings=settings
    )
    assert code == 0, err

    def products() -> list[str]:
        store = open_store(db)
        try:
            with store.engine.connect() as conn:
                return [r[0] for r in conn.execute(sa.text("SELECT name_en FROM product"))]
        finally:
            store.close()

    assert products() == []
    code, _, err = sync("--once", "--db", str(db), "--endpoint", erp.url, settings=settings)
    assert code == 0, err
    assert products() == ["Sterile syringe"]
