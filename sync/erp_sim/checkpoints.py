"""``POST /station/checkpoints`` and ``GET /station/checkpoints?station=ID``: the ERP's copy of
each station's signed chain heads (TAM-3), verified with the station's Ed25519 public key.

A checkpoint is the station's ``checkpoint`` row (``station/persistence/tables.py``): ``id``,
``created_at``, ``station``, ``event_seq``, ``event_head``, ``audit_seq``, ``audit_head``,
``key_id``, ``signature`` (hex Ed25519 over ``station.ledger.checkpoint.signed_message``). It is
stored once per ``(station, id)``; ``verified`` is 1 when a public key was given, its
``key_id`` matches the checkpoint's and the signature verifies.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Mapping
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from station.ledger.checkpoint import signed_message
from station.ledger.keys import key_id
from sync.erp_sim.capture import Outcome, now, problem
from sync.erp_sim.storage import Storage

__all__ = ["FIELDS", "list_checkpoints", "store_checkpoints"]

log = logging.getLogger("sync.erp_sim")

#: The checkpoint fields and their JSON types.
FIELDS: dict[str, type] = {
    "id": int,
    "created_at": str,
    "station": str,
    "event_seq": int,
    "event_head": str,
    "audit_seq": int,
    "audit_head": str,
    "key_id": str,
    "signature": str,
}
_MAX_TEXT = 1024
_MAX_CHECKPOINTS = 10_000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS station_checkpoint (
    station TEXT NOT NULL,
    id INTEGER NOT NULL,
    row_json TEXT NOT NULL,
    verified INTEGER NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (station, id)
);
"""


def ensure_schema(storage: Storage) -> None:
    storage.ensure(_SCHEMA)


def _bad(detail: str) -> Outcome:
    return problem(400, "ValidationException", "Malformed checkpoint body.", detail)


def _checkpoint(value: object, station: str, where: str) -> dict[str, Any] | str:
    if not isinstance(value, dict):
        return f"{where}: not an object"
    row: dict[str, Any] = {}
    for name, kind in FIELDS.items():
        field = value.get(name)
        if not isinstance(field, kind) or isinstance(field, bool):
            return f"{where}/{name}: must be {'an integer' if kind is int else 'a string'}"
        if isinstance(field, str) and len(field) > _MAX_TEXT:
            return f"{where}/{name}: too long"
        if isinstance(field, int) and not 0 <= field < 2**53:
            return f"{where}/{name}: out of range"
        row[name] = field
    if row["station"] != station:
        return f"{where}/station: differs from the body's station"
    return row


def _verifies(row: Mapping[str, Any], key: Ed25519PublicKey | None) -> bool:
    if key is None or row["key_id"] != key_id(key):
        return False
    try:
        key.verify(bytes.fromhex(row["signature"]), signed_message(row))
    except (ValueError, InvalidSignature):
        return False
    return True


def _public_key(pem: object) -> Ed25519PublicKey | str | None:
    if pem is None:
        return None
    if not isinstance(pem, str) or len(pem) > 4096:
        return "public_key_pem must be a PEM string"
    try:
        key = serialization.load_pem_public_key(pem.encode("ascii"))
    except (ValueError, UnicodeEncodeError, TypeError):
        return "public_key_pem is not a PEM public key"
    if not isinstance(key, Ed25519PublicKey):
        return "public_key_pem is not an Ed25519 key"
    return key


def store_checkpoints(storage: Storage, body: bytes) -> Outcome:
    """``POST /station/checkpoints``: ``200 {"stored": n, "verified": n}`` or a 400 problem.

    ``stored`` counts the request's checkpoints the ERP now holds as sent (new, or the same row
    already held); ``verified`` how many of those are verified. A checkpoint whose ``(station,
    id)`` is already held with different content is kept as first received, not counted, and
    logged as a warning.
    """
    try:
        document = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        return _bad(f"not JSON: {error}")
    if not isinstance(document, dict):
        return _bad("the body must be a JSON object")
    station = document.get("station")
    if not isinstance(station, str) or not 0 < len(station) <= _MAX_TEXT:
        return _bad("station must be a non-empty string")
    key = _public_key(document.get("public_key_pem"))
    if isinstance(key, str):
        return _bad(key)
    entries = document.get("checkpoints")
    if not isinstance(entries, list) or len(entries) > _MAX_CHECKPOINTS:
        return _bad(f"checkpoints must be a list of at most {_MAX_CHECKPOINTS}")
    rows: list[dict[str, Any]] = []
    for index, entry in enumerate(entries):
        row = _checkpoint(entry, station, f"/checkpoints/{index}")
        if isinstance(row, str):
            return _bad(row)
        rows.append(row)
    stored = verified = 0
    received = now()
    with storage.transaction() as db:
        for row in rows:
            held = _held(db, station, row["id"])
            ok = _verifies(row, key)
            if held is None:
                db.execute(
                    "INSERT INTO station_checkpoint VALUES (?, ?, ?, ?, ?)",
                    (station, row["id"], json.dumps(row), int(ok), received),
                )
                held = (row, ok)
            elif held[0] != row:
                log.warning("checkpoint %s/%s resent with different content", station, row["id"])
                continue
            elif ok and not held[1]:
                db.execute(
                    "UPDATE station_checkpoint SET verified = 1 WHERE station = ? AND id = ?",
                    (station, row["id"]),
                )
                held = (row, True)
            stored += 1
            verified += int(held[1])
    return Outcome(200, {"stored": stored, "verified": verified})


def _held(db: sqlite3.Connection, station: str, ident: int) -> tuple[dict[str, Any], bool] | None:
    found = db.execute(
        "SELECT row_json, verified FROM station_checkpoint WHERE station = ? AND id = ?",
        (station, ident),
    ).fetchone()
    return None if found is None else (json.loads(found[0]), bool(found[1]))


def list_checkpoints(storage: Storage, query: Mapping[str, list[str]]) -> Outcome:
    """``GET /station/checkpoints?station=ID``: that station's checkpoints in ``id`` order."""
    station = query.get("station", [""])[0]
    if not station:
        return problem(400, "QueryParameterException", "The station parameter is required.")
    with storage.transaction() as db:
        found = db.execute(
            "SELECT row_json, verified, received_at FROM station_checkpoint WHERE station = ? "
            "ORDER BY id",
            (station,),
        ).fetchall()
    checkpoints = [
        {**json.loads(row_json), "verified": bool(ok), "received_at": received}
        for row_json, ok, received in found
    ]
    return Outcome(200, {"station": station, "checkpoints": checkpoints})
