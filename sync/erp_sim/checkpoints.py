"""``POST /station/checkpoints`` and ``GET /station/checkpoints?station=ID``: the ERP's copy of
each station's signed chain heads (TAM-3), verified with the station's Ed25519 public key: the
one enrolled at the ERP (:mod:`sync.erp_sim.enrolment`, P11-H1) when there is one, else the one
the request carries.

A checkpoint is the station's ``checkpoint`` row (``station/persistence/tables.py``): ``id``,
``created_at``, ``station``, ``event_seq``, ``event_head``, ``audit_seq``, ``audit_head``,
``key_id``, ``signature`` (hex Ed25519 over ``station.ledger.checkpoint.signed_message``). It is
stored once per ``(station, id)``; ``verified`` is 1 when there is a key to verify with, its
``key_id`` matches the checkpoint's and the signature verifies; ``trust`` says which key did.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from station.ledger.checkpoint import signed_message
from station.ledger.keys import key_id
from sync.erp_sim.capture import Outcome, now, problem
from sync.erp_sim.enrolment import enrolled_key, parse_pem
from sync.erp_sim.storage import Storage

__all__ = ["ENROLLED", "FIELDS", "SELF_ASSERTED", "list_checkpoints", "store_checkpoints"]

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
    trust TEXT,
    PRIMARY KEY (station, id)
);
"""
ENROLLED = "enrolled"
SELF_ASSERTED = "self-asserted"


def ensure_schema(storage: Storage) -> None:
    storage.ensure(_SCHEMA)
    with storage.transaction() as db:  # a file from before enrolment has no trust column
        columns = {row[1] for row in db.execute("PRAGMA table_info(station_checkpoint)")}
        if "trust" not in columns:
            db.execute("ALTER TABLE station_checkpoint ADD COLUMN trust TEXT")


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


@dataclass(frozen=True)
class _Verifier:
    """The key a request's checkpoints are verified with, and where that key came from."""

    key: Ed25519PublicKey | None
    trust: str


def _forbidden(station: str, title: str, reason: str) -> Outcome:
    """A 403 whose detail repeats the title: a client may show only the detail."""
    detail = f"{title.rstrip('.')}: {reason}"
    log.warning("checkpoints of %s refused: %s", station, detail)
    return problem(403, "SecurityException", title, detail)


def _verifier(
    db: sqlite3.Connection,
    station: str,
    given: Ed25519PublicKey | None,
    rows: Sequence[Mapping[str, Any]],
    require_enrolment: bool,
) -> _Verifier | Outcome:
    """The enrolled key when the station has one, else the request's own key; or a 403.

    With ``require_enrolment`` a station without an enrolled key, a request key that is not
    the enrolled one, or a checkpoint naming another key is refused (the whole request)."""
    enrolled = enrolled_key(db, station)
    if enrolled is None:
        if require_enrolment:
            return _forbidden(
                station,
                "Station key not enrolled.",
                f"station {station!r} has no enrolled public key: an ERP administrator enrols "
                "it first (station erp-sim enrol)",
            )
        return _Verifier(given, SELF_ASSERTED)
    if given is not None and key_id(given) != enrolled.key_id:
        detail = (
            f"public_key_pem of station {station!r} is key {key_id(given)}; the enrolled key "
            f"is {enrolled.key_id}"
        )
        if require_enrolment:
            return _forbidden(station, "Station key differs from the enrolled key.", detail)
        log.warning("checkpoints of %s: %s (verified with the enrolled key)", station, detail)
    stranger = next((row for row in rows if row["key_id"] != enrolled.key_id), None)
    if require_enrolment and stranger is not None:
        return _forbidden(
            station,
            "Checkpoint signed by a key that is not enrolled.",
            f"checkpoint {stranger['id']} names key {stranger['key_id']}; the enrolled key of "
            f"station {station!r} is {enrolled.key_id}",
        )
    return _Verifier(enrolled.public_key, ENROLLED)


def _public_key(pem: object) -> Ed25519PublicKey | str | None:
    return None if pem is None else parse_pem(pem)


def _parse(body: bytes) -> tuple[str, Ed25519PublicKey | None, list[dict[str, Any]]] | Outcome:
    """The request's station, public key (if any) and checkpoints, or a 400."""
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
    return station, key, rows


def store_checkpoints(storage: Storage, body: bytes, *, require_enrolment: bool = False) -> Outcome:
    """``POST /station/checkpoints``: ``200 {"stored": n, "verified": n, "trust": …}``, a 400
    problem, or (``require_enrolment``) a 403 problem with nothing stored.

    ``stored`` counts the request's checkpoints the ERP now holds as sent (new, or the same row
    already held); ``verified`` how many of those are verified; ``trust`` which key verified
    them: ``enrolled`` (the station's enrolled key) or ``self-asserted`` (the request's own
    key, the station having none enrolled). A checkpoint whose ``(station, id)`` is already
    held with different content is kept as first received, not counted, and logged as a
    warning.
    """
    parsed = _parse(body)
    if isinstance(parsed, Outcome):
        return parsed
    station, given, rows = parsed
    with storage.transaction() as db:
        verifier = _verifier(db, station, given, rows, require_enrolment)
        if isinstance(verifier, Outcome):
            return verifier
        stored, verified = _store(db, station, rows, verifier)
    return Outcome(200, {"stored": stored, "verified": verified, "trust": verifier.trust})


def _store(
    db: sqlite3.Connection, station: str, rows: Sequence[Mapping[str, Any]], verifier: _Verifier
) -> tuple[int, int]:
    stored = verified = 0
    received = now()
    for row in rows:
        held = _held(db, station, row["id"])
        ok = _verifies(row, verifier.key)
        if held is None:
            db.execute(
                "INSERT INTO station_checkpoint (station, id, row_json, verified, received_at,"
                " trust) VALUES (?, ?, ?, ?, ?, ?)",
                (station, row["id"], json.dumps(row), int(ok), received, _trust_if(ok, verifier)),
            )
            held = _Held(dict(row), ok, _trust_if(ok, verifier))
        elif held.row != row:
            log.warning("checkpoint %s/%s resent with different content", station, row["id"])
            continue
        elif ok and (not held.verified or _stronger(verifier.trust, held.trust)):
            # unverified → verified, or verified by the request's key → by the enrolled key
            db.execute(
                "UPDATE station_checkpoint SET verified = 1, trust = ?"
                " WHERE station = ? AND id = ?",
                (verifier.trust, station, row["id"]),
            )
            held = _Held(held.row, verified=True, trust=verifier.trust)
        stored += 1
        verified += int(held.verified)
    return stored, verified


def _trust_if(ok: bool, verifier: _Verifier) -> str | None:
    return verifier.trust if ok else None


def _stronger(trust: str, held: str | None) -> bool:
    return trust == ENROLLED and held != ENROLLED


@dataclass(frozen=True)
class _Held:
    row: dict[str, Any]
    verified: bool
    trust: str | None


def _held(db: sqlite3.Connection, station: str, ident: int) -> _Held | None:
    found = db.execute(
        "SELECT row_json, verified, trust FROM station_checkpoint WHERE station = ? AND id = ?",
        (station, ident),
    ).fetchone()
    return None if found is None else _Held(json.loads(found[0]), bool(found[1]), found[2])


def list_checkpoints(storage: Storage, query: Mapping[str, list[str]]) -> Outcome:
    """``GET /station/checkpoints?station=ID``: that station's checkpoints in ``id`` order."""
    station = query.get("station", [""])[0]
    if not station:
        return problem(400, "QueryParameterException", "The station parameter is required.")
    with storage.transaction() as db:
        found = db.execute(
            "SELECT row_json, verified, trust, received_at FROM station_checkpoint"
            " WHERE station = ? ORDER BY id",
            (station,),
        ).fetchall()
    checkpoints = [
        {**json.loads(row_json), "verified": bool(ok), "trust": trust, "received_at": received}
        for row_json, ok, trust, received in found
    ]
    return Outcome(200, {"station": station, "checkpoints": checkpoints})
