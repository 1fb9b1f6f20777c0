"""P11-H1: the reference ERP trusts a station's checkpoints only under the key it enrolled.

The real ERP simulator on 127.0.0.1 and a real station store: enrolled key → checkpoints stored
and verified against it; ``require_enrolment`` refuses (403, nothing stored) an unenrolled
station, another key claiming an enrolled station, and an old key after rotation, while the
station's events are still delivered; ``station erp-sim enrol`` / ``keys`` on the command line.
"""

from __future__ import annotations

import json
import queue
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from keyring.backends import fail

from station.context import WriteContext
from station.demo.traffic import record_traffic
from station.ledger.checkpoint import make_checkpoint, signed_message
from station.ledger.keys import KeyStore, key_id, public_pem
from station.persistence.store import Store, open_store
from station.sync.outbox import outbox_status
from sync.connectors.epcis import EpcisCaptureConnector
from sync.engine import SyncEngine, SyncSettings
from sync.erp_sim import ErpSim
from sync.http import make_client
from ui.cli import main

pytestmark = pytest.mark.req("P11-H1")

CTX = WriteContext(station="ST-01", actor="tester", roles=frozenset({"qa"}))
FAST = SyncSettings(period_s=0.1, backoff_base_s=0.01, backoff_cap_s=0.05)
TIMEOUT = 10.0


@pytest.fixture(autouse=True)
def no_real_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    # Never the developer's real keyring: the station key goes to an owner-only file.
    monkeypatch.setattr("keyring.get_keyring", fail.Keyring)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(tmp_path / "station.sqlite")
    yield opened
    opened.close()


@pytest.fixture
def keys(tmp_path: Path) -> KeyStore:
    return KeyStore("ST-01", tmp_path)


def pem_of(key: Ed25519PrivateKey) -> str:
    return public_pem(key.public_key()).decode()


def station_with_checkpoint(store: Store, keys: KeyStore, events: int = 3) -> None:
    record_traffic(store.writer, CTX, events, lots=1)
    store.writer.submit(lambda conn: make_checkpoint(conn, keys, "ST-01")).result()


def drain(store: Store, erp: ErpSim, keys: KeyStore) -> Any:
    client = make_client(erp.url)
    engine = SyncEngine(
        store.writer,
        EpcisCaptureConnector(client),
        CTX,
        FAST,
        public_key_pem=public_pem(keys.public_key()).decode(),
    )
    try:
        return engine.drain()
    finally:
        engine.close()


def held(erp: ErpSim, station: str = "ST-01") -> list[dict[str, Any]]:
    response = httpx.get(f"{erp.url}/station/checkpoints", params={"station": station})
    assert response.status_code == 200
    found: list[dict[str, Any]] = response.json()["checkpoints"]
    return found


def centre_events(erp_db: Path) -> int:
    with sqlite3.connect(f"file:{erp_db}?mode=ro", uri=True) as db:
        (count,) = db.execute("SELECT count(*) FROM event").fetchone()
    return int(count)


def audit_actions(store: Store) -> list[str]:
    with store.engine.connect() as conn:
        return [r[0] for r in conn.execute(sa.text("SELECT action FROM audit ORDER BY seq"))]


def signed(key: Ed25519PrivateKey, ident: int, station: str = "ST-01") -> dict[str, Any]:
    statement: dict[str, Any] = {
        "station": station,
        "event_seq": 10 * ident,
        "event_head": f"{ident:064x}",
        "audit_seq": ident,
        "audit_head": f"{ident + 100:064x}",
        "created_at": f"2026-12-07T04:{ident:02d}:00.000Z",
    }
    signature = key.sign(signed_message(statement)).hex()
    return statement | {"id": ident, "key_id": key_id(key.public_key()), "signature": signature}


def post(erp: ErpSim, key_pem: str | None, *rows: dict[str, Any]) -> httpx.Response:
    body: dict[str, Any] = {"station": "ST-01", "checkpoints": list(rows)}
    if key_pem is not None:
        body["public_key_pem"] = key_pem
    return httpx.post(f"{erp.url}/station/checkpoints", json=body, timeout=TIMEOUT)


def assert_forbidden(response: httpx.Response, title: str) -> None:
    assert response.status_code == 403, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"] == "epcisException:SecurityException"
    assert problem["title"] == title
    assert "ST-01" in problem["detail"]


# ----------------------------------------------------------------------------- the station's sync


def test_an_enrolled_station_has_its_checkpoints_stored_and_verified(
    store: Store, keys: KeyStore, tmp_path: Path
) -> None:
    station_with_checkpoint(store, keys)
    with ErpSim(tmp_path / "erp.sqlite", require_enrolment=True) as erp:
        erp.enrol("ST-01", public_pem(keys.public_key()).decode(), "erp-admin")
        result = drain(store, erp, keys)
        rows = held(erp)
    assert (result.accepted, result.error) == (3, None)
    assert [(r["verified"], r["trust"]) for r in rows] == [(True, "enrolled")]
    assert rows[0]["key_id"] == key_id(keys.public_key())
    assert "sync.checkpoints_refused" not in audit_actions(store)


def test_an_unenrolled_station_is_refused_but_its_events_are_delivered(
    store: Store, keys: KeyStore, tmp_path: Path
) -> None:
    station_with_checkpoint(store, keys)
    erp_db = tmp_path / "erp.sqlite"
    with ErpSim(erp_db, require_enrolment=True) as erp:
        first = drain(store, erp, keys)
        assert (first.accepted, first.error, first.auth_failed) == (3, None, False)
        assert held(erp) == []  # nothing stored
        record_traffic(store.writer, CTX, 2, lots=1)
        second = drain(store, erp, keys)  # refused again: events still flow
        assert (second.accepted, second.error) == (2, None)
        assert held(erp) == []
        status = store.writer.submit(outbox_status).result()
        assert status.queued == 0
        assert status.online is True
        assert status.last_error is not None
        assert status.last_error.startswith("checkpoints refused: 403")
        assert "not enrolled" in status.last_error
        assert audit_actions(store).count("sync.checkpoints_refused") == 1  # once, not per round
        # the administrator enrols the key: the unsent checkpoints go with the next round
        erp.enrol("ST-01", public_pem(keys.public_key()).decode(), "erp-admin")
        third = drain(store, erp, keys)
        assert third.error is None
        assert [(r["verified"], r["trust"]) for r in held(erp)] == [(True, "enrolled")]
    assert centre_events(erp_db) == 5
    actions = audit_actions(store)
    assert actions.count("sync.checkpoints_accepted") == 1
    assert actions.index("sync.checkpoints_refused") < actions.index("sync.checkpoints_accepted")


def test_a_station_signing_with_another_key_than_the_enrolled_one_is_refused(
    store: Store, keys: KeyStore, tmp_path: Path
) -> None:
    station_with_checkpoint(store, keys)
    with ErpSim(tmp_path / "erp.sqlite", require_enrolment=True) as erp:
        erp.enrol("ST-01", pem_of(Ed25519PrivateKey.generate()), "erp-admin")
        result = drain(store, erp, keys)
        assert (result.accepted, result.error) == (3, None)
        assert held(erp) == []
    last_error = store.writer.submit(outbox_status).result().last_error
    assert last_error is not None
    assert "differs from the enrolled key" in last_error


# ----------------------------------------------------------------------------- the ERP's rules


def test_another_key_claiming_an_enrolled_station_is_refused(tmp_path: Path) -> None:
    station, mallory = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    with ErpSim(tmp_path / "erp.sqlite", require_enrolment=True) as erp:
        erp.enrol("ST-01", pem_of(station), "erp-admin")
        claimed = post(erp, pem_of(mallory), signed(mallory, 1))
        assert_forbidden(claimed, "Station key differs from the enrolled key.")
        assert key_id(mallory.public_key()) in claimed.json()["detail"]
        # without a key in the request, the checkpoint still names mallory's key
        unnamed = post(erp, None, signed(mallory, 1))
        assert_forbidden(unnamed, "Checkpoint signed by a key that is not enrolled.")
        # one stranger in the request refuses the whole request
        mixed = post(erp, pem_of(station), signed(station, 1), signed(mallory, 2))
        assert_forbidden(mixed, "Checkpoint signed by a key that is not enrolled.")
        assert held(erp) == []
        good = post(erp, pem_of(station), signed(station, 1))
        assert good.json() == {"stored": 1, "verified": 1, "trust": "enrolled"}


def test_an_unenrolled_station_is_refused_with_a_reason(tmp_path: Path) -> None:
    key = Ed25519PrivateKey.generate()
    with ErpSim(tmp_path / "erp.sqlite", require_enrolment=True) as erp:
        erp.enrol("ST-02", pem_of(key), "erp-admin")  # another station's enrolment is no help
        assert_forbidden(post(erp, pem_of(key), signed(key, 1)), "Station key not enrolled.")
        assert held(erp) == []


def test_after_rotation_the_old_key_is_refused(tmp_path: Path) -> None:
    old, new = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    with ErpSim(tmp_path / "erp.sqlite", require_enrolment=True) as erp:
        erp.enrol("ST-01", pem_of(old), "erp-admin")
        assert post(erp, pem_of(old), signed(old, 1)).status_code == 200
        erp.enrol("ST-01", pem_of(new), "erp-admin")
        assert_forbidden(
            post(erp, pem_of(old), signed(old, 2)), "Station key differs from the enrolled key."
        )
        rotated = post(erp, pem_of(new), signed(new, 2))
        assert rotated.json() == {"stored": 1, "verified": 1, "trust": "enrolled"}
        assert [c["id"] for c in held(erp)] == [1, 2]  # checkpoint 1 stays as it was verified
        enrolments = erp.enrolled_keys()
    assert [(k.key_id, k.current) for k in enrolments] == [
        (key_id(old.public_key()), False),
        (key_id(new.public_key()), True),
    ]


def test_enrolling_the_current_key_again_adds_no_row(tmp_path: Path) -> None:
    key = Ed25519PrivateKey.generate()
    with ErpSim(tmp_path / "erp.sqlite") as erp:
        first = erp.enrol("ST-01", pem_of(key), "erp-admin")
        again = erp.enrol("ST-01", pem_of(key), "someone-else")
        assert again == first
        assert len(erp.enrolled_keys()) == 1


def test_without_the_flag_the_enrolled_key_wins_and_the_answer_says_so(tmp_path: Path) -> None:
    enrolled, other = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    with ErpSim(tmp_path / "erp.sqlite") as erp:
        # no enrolment: today's behaviour, verified with the request's own key
        assert post(erp, pem_of(other), signed(other, 1)).json() == {
            "stored": 1,
            "verified": 1,
            "trust": "self-asserted",
        }
        erp.enrol("ST-01", pem_of(enrolled), "erp-admin")
        # stored, but another key's signature no longer verifies
        assert post(erp, pem_of(other), signed(other, 2)).json() == {
            "stored": 1,
            "verified": 0,
            "trust": "enrolled",
        }
        # a self-asserted verification is upgraded when the enrolled key verifies it
        erp.enrol("ST-01", pem_of(other), "erp-admin")
        assert post(erp, None, signed(other, 1)).json() == {
            "stored": 1,
            "verified": 1,
            "trust": "enrolled",
        }
        rows = held(erp)
    assert [(r["id"], r["verified"], r["trust"]) for r in rows] == [
        (1, True, "enrolled"),
        (2, False, None),
    ]


def test_an_erp_file_from_before_enrolment_is_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "erp.sqlite"
    with sqlite3.connect(path) as db:
        db.execute(
            "CREATE TABLE station_checkpoint (station TEXT NOT NULL, id INTEGER NOT NULL,"
            " row_json TEXT NOT NULL, verified INTEGER NOT NULL, received_at TEXT NOT NULL,"
            " PRIMARY KEY (station, id))"
        )
        db.execute("INSERT INTO station_checkpoint VALUES ('ST-01', 1, '{\"id\": 1}', 0, 'then')")
    db.close()
    key = Ed25519PrivateKey.generate()
    with ErpSim(path) as erp:
        assert post(erp, pem_of(key), signed(key, 2)).status_code == 200
        rows = held(erp)
    assert [(r["id"], r["trust"]) for r in rows] == [(1, None), (2, "self-asserted")]


# ----------------------------------------------------------------------------- the command line


def test_enrol_and_list_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    station_db, erp_db, pem = (
        tmp_path / "station.sqlite",
        tmp_path / "erp.sqlite",
        tmp_path / "k.pem",
    )
    export = ["key", "export-public", "--db", str(station_db), "--station", "ST-01"]
    assert main([*export, "--out", str(pem)]) == 0
    station_key_id = key_id(KeyStore("ST-01", tmp_path).public_key())
    enrol = ["erp-sim", "enrol", "--db", str(erp_db), "--station", "ST-01", "--key-pem", str(pem)]
    capsys.readouterr()
    assert main([*enrol, "--by", "erp-admin"]) == 0
    assert f"station ST-01: key {station_key_id} enrolled by erp-admin" in capsys.readouterr().out
    assert main([*enrol, "--by", "erp-admin"]) == 0
    assert "already its enrolled key" in capsys.readouterr().out
    rotated = tmp_path / "rotated.pem"
    rotated.write_text(pem_of(Ed25519PrivateKey.generate()), encoding="ascii")
    rotate = [*enrol[:-1], str(rotated)]
    assert main(rotate) == 0  # --by defaults to the operating-system user
    assert f"(replaces {station_key_id})" in capsys.readouterr().out
    assert main(["erp-sim", "keys", "--db", str(erp_db), "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(k["station"], k["key_id"] == station_key_id, k["current"]) for k in listed] == [
        ("ST-01", True, False),
        ("ST-01", False, True),
    ]
    assert listed[0]["enrolled_by"] == "erp-admin"
    assert listed[1]["enrolled_by"]
    assert listed[0]["public_key_pem"] == pem.read_text(encoding="ascii")
    assert main(["erp-sim", "keys", "--db", str(erp_db)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[-1] for line in lines] == ["superseded", "current"]
    # the running ERP verifies against what the command line enrolled
    with ErpSim(erp_db, require_enrolment=True) as erp:
        assert [k.current for k in erp.enrolled_keys()] == [False, True]


def test_enrol_refuses_what_is_not_an_ed25519_public_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    erp_db, bad = tmp_path / "erp.sqlite", tmp_path / "bad.pem"
    bad.write_text("-----BEGIN PUBLIC KEY-----\nnonsense\n-----END PUBLIC KEY-----\n")
    enrol = ["erp-sim", "enrol", "--db", str(erp_db), "--station", "ST-01", "--key-pem"]
    assert main([*enrol, str(bad)]) == 2
    assert "not a PEM public key" in capsys.readouterr().err
    assert main([*enrol, str(tmp_path / "missing.pem")]) == 2
    assert main(["erp-sim", "keys", "--db", str(erp_db), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["erp-sim", "keys", "--db", str(tmp_path / "none.sqlite")]) == 2
    assert main(["erp-sim", "--db", str(erp_db)]) == 2  # serving still needs --port
    assert "--port and --db are required" in capsys.readouterr().err


def test_the_served_erp_requires_enrolment_with_the_flag(tmp_path: Path) -> None:
    key = Ed25519PrivateKey.generate()
    pem = tmp_path / "k.pem"
    pem.write_text(pem_of(key), encoding="ascii")
    erp_db = tmp_path / "erp.sqlite"
    command = [sys.executable, "-m", "ui.cli", "erp-sim", "--port", "0", "--db", str(erp_db)]
    process = subprocess.Popen(
        [*command, "--require-enrolment"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        lines: queue.Queue[str] = queue.Queue()
        stdout = process.stdout
        assert stdout is not None
        threading.Thread(target=lambda: lines.put(stdout.readline()), daemon=True).start()
        url = lines.get(timeout=20).split()[-1]
        body = {"station": "ST-01", "public_key_pem": pem_of(key), "checkpoints": [signed(key, 1)]}
        refused = httpx.post(f"{url}/station/checkpoints", json=body, timeout=TIMEOUT)
        assert refused.status_code == 403
        # enrolled while it runs (another process, as an administrator would): taken at once
        enrol = ["erp-sim", "enrol", "--db", str(erp_db), "--station", "ST-01"]
        assert main([*enrol, "--key-pem", str(pem), "--by", "erp-admin"]) == 0
        taken = httpx.post(f"{url}/station/checkpoints", json=body, timeout=TIMEOUT)
        assert taken.json() == {"stored": 1, "verified": 1, "trust": "enrolled"}
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert process.returncode == 0
