"""Signatures in ``station export-epcis`` (P11-B1, P11-S1): each signed event carries
``st:signatures``, the document still validates against the official EPCIS 2.0 schema, and
neither the stored event nor anything else in the ledger changes."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from station.epcis.schema import validate_document
from station.epcis.signatures import SIGNATURES_KEY
from station.events.correction import record_error_declaration
from station.persistence.store import Store
from station.signatures import Meaning, event_record, sign_record
from station.signatures.content import signed_message
from tests.integration.signature_setup import (
    LISI,
    LISI_SECRET,
    NOW,
    STATION,
    Proof,
    read,
    record,
    run,
    signer_role,
    store,
)
from ui.cli import main

__all__ = ["signer_role", "store"]


def _release(store: Store, event_id: str) -> str:
    def work(conn: sa.Connection) -> str:
        signable = event_record(conn, event_id)
        sign_record(
            conn, LISI, proof=Proof("lisi"), secret=LISI_SECRET, meaning=Meaning.RELEASED,
            record=signable,
        )  # fmt: skip
        return signable.hash

    return run(store, work)


def _export(db: Path, out: Path, *extra: str) -> dict[str, Any]:
    assert main(["export-epcis", "--db", str(db), "--user", "qa1", *extra, "--out", str(out)]) == 0
    document: dict[str, Any] = json.loads(out.read_text("utf-8"))
    assert validate_document(document) == []
    return document


def _stored_payloads(db: Path) -> list[str]:
    with sqlite3.connect(db) as raw:
        return [row[0] for row in raw.execute("SELECT payload FROM event ORDER BY seq")]


@pytest.mark.req("P11-B1")
def test_a_signed_event_carries_its_signature_and_the_document_validates(
    store: Store, tmp_path: Path
) -> None:
    signed_id, unsigned_id = record(store, "L1"), record(store, "L2")
    record_hash = _release(store, signed_id)
    public_key = read(
        store,
        lambda c: c.execute(
            sa.text("SELECT public_key FROM signing_key WHERE username = 'lisi'")
        ).scalar_one(),
    )
    before = _stored_payloads(store.path)
    store.close()

    document = _export(store.path, tmp_path / "epcis.json")
    signed, unsigned = document["epcisBody"]["eventList"]
    assert (signed["eventID"], unsigned["eventID"]) == (signed_id, unsigned_id)
    assert SIGNATURES_KEY not in unsigned
    [entry] = signed[SIGNATURES_KEY]
    assert {k: entry[k] for k in ("st:signer", "st:printedName", "st:meaning", "st:signedAt")} == {
        "st:signer": "lisi",
        "st:printedName": "Li Si",
        "st:meaning": "released",
        "st:signedAt": "2026-12-07T14:03:12.345+08:00",
    }
    assert entry["st:recordHash"] == record_hash
    assert entry["st:status"] == "valid"
    assert entry["st:publicKey"] == public_key
    key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(entry["st:publicKey"]))
    key.verify(bytes.fromhex(entry["st:signature"]), signed_message(entry["st:payload"]))
    assert json.loads(entry["st:payload"])["record_hash"] == record_hash

    assert _stored_payloads(store.path) == before  # the ledger's events are untouched
    assert all(SIGNATURES_KEY not in payload for payload in before)
    with sqlite3.connect(store.path) as raw:
        [details] = raw.execute("SELECT new_value FROM audit WHERE action = 'export.epcis'")
    assert json.loads(details[0])["signatures"] == 1


def test_an_error_declaration_does_not_take_the_signatures_of_the_event_it_voids(
    store: Store, tmp_path: Path
) -> None:
    event_id = record(store, "L1")
    _release(store, event_id)
    run(
        store,
        lambda c: record_error_declaration(
            c, event_id, reason="incorrect_data", actor="wang", station=STATION,
            now=lambda: NOW, app_version="test", schema_version="0011",
        ),
    )  # fmt: skip
    store.close()

    original, declaration = _export(store.path, tmp_path / "epcis.json")["epcisBody"]["eventList"]
    assert original["eventID"] == declaration["eventID"] == event_id  # EPCIS repeats it
    assert "errorDeclaration" in declaration
    assert SIGNATURES_KEY not in declaration
    assert [entry["st:status"] for entry in original[SIGNATURES_KEY]] == ["record_voided"]

    later = _export(store.path, tmp_path / "since.json", "--since", "2099-01-01T00:00:00Z")
    assert later["epcisBody"]["eventList"] == []
