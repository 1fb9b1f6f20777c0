"""Copies of signatures that verify anywhere (P11-B1): export, and a standalone verifier.

The exported document holds each signature's payload text and Ed25519 signature, every public
key they name, and, for events, the stored event row, so a reader needs neither this database
nor the station: :func:`verify_exported_signatures` uses only the standard library,
``cryptography`` and the RFC 8785 canonical JSON (``station.ledger.canonical``, itself pure
Python). Change one byte of a payload, a key or an event and it reports the signature.

A key in the document is only as trusted as the document: compare its fingerprint with the
one audited at enrolment (``signature.key_enrolled``) or held by the ERP.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

import sqlalchemy as sa
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import Connection

from station.ledger.canonical import canonical_json
from station.persistence import tables
from station.signatures.chain import SIGNATURE_CHAIN, RecordedSignature
from station.signatures.content import MESSAGE_TAG
from station.signatures.keys import key_by_id
from station.signatures.manifest import manifestation
from station.signatures.records import EVENT
from station.signatures.verify import signatures_for, verify_signature

__all__ = ["FORMAT", "export_signatures", "verify_exported_signatures"]

FORMAT = "udi-station-signatures/1"
_EVENT_TAG = b"station-event-v1\0"  # station.ledger.chain.EVENT_TAG, restated: standalone
_EVENT = tables.metadata.tables["event"]
_TABLE = SIGNATURE_CHAIN.table


def export_signatures(conn: Connection, record_ids: Iterable[str] | None = None) -> dict[str, Any]:
    """A JSON-ready document with the signatures of ``record_ids`` (all when None)."""
    if record_ids is None:
        rows = conn.execute(sa.select(_TABLE).order_by(_TABLE.c.seq)).mappings()
        checks = [verify_signature(conn, RecordedSignature.from_row(row)) for row in rows]
    else:
        checks = [check for rid in dict.fromkeys(record_ids) for check in signatures_for(conn, rid)]
    keys: dict[str, dict[str, str]] = {}
    records: dict[str, dict[str, Any]] = {}
    signatures = []
    for check in checks:
        sig = check.signature
        signatures.append(
            {
                "seq": sig.seq,
                "record_kind": sig.record_kind,
                "record_id": sig.record_id,
                "payload": sig.payload,
                "signature": sig.signature,
                "manifestation": manifestation(check),
                "manifestation_zh_CN": manifestation(check, "zh_CN"),
                "status_at_export": check.status.value,
            }
        )
        key_id = check.content.key_id if check.content else sig.key_id
        stored = key_by_id(conn, key_id)
        if stored is not None:
            keys[key_id] = {"username": stored.username, "public_key": stored.public_key}
        if sig.record_kind == EVENT and sig.record_id not in records:
            event = _event(conn, sig.record_id)
            if event is not None:
                records[sig.record_id] = event
    return {"format": FORMAT, "signatures": signatures, "keys": keys, "records": records}


def _event(conn: Connection, event_id: str) -> dict[str, Any] | None:
    row = conn.execute(sa.select(_EVENT).where(_EVENT.c.event_id == event_id)).mappings()
    found = row.one_or_none()
    if found is None:
        return None
    fields = {k: v.hex() if isinstance(v, bytes) else v for k, v in found.items()}
    prev_hash = fields.pop("prev_hash")
    fields.pop("hash")
    return {"kind": EVENT, "fields": fields, "prev_hash": prev_hash}


def _event_hash(record: Mapping[str, Any]) -> str:
    # The ledger's event hash (docs/event-store.md): bytes were exported as hex, which hashes
    # exactly as the ledger hashes bytes.
    digest = hashlib.sha256(_EVENT_TAG)
    digest.update(canonical_json(dict(record["fields"])).encode("utf-8"))
    digest.update(str(record["prev_hash"]).encode("ascii"))
    return digest.hexdigest()


def verify_exported_signatures(document: Mapping[str, Any] | str | bytes) -> list[str]:
    """Every problem found in an exported document, one line each; empty means all verify."""
    try:
        data = json.loads(document) if isinstance(document, str | bytes) else document
        if data.get("format") != FORMAT:
            return [f"not a {FORMAT} document"]
        keys, records = data["keys"], data["records"]
        entries = list(data["signatures"])
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        return [f"unreadable document: {exc}"]
    problems = []
    for number, entry in enumerate(entries, start=1):
        try:
            problem = _entry_problem(entry, keys, records)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            problem = f"unreadable: {exc}"
        if problem:
            problems.append(f"signature {number} ({entry.get('record_id', '?')}): {problem}")
    return problems


def _entry_problem(
    entry: Mapping[str, Any], keys: Mapping[str, Any], records: Mapping[str, Any]
) -> str | None:
    payload = str(entry["payload"])
    content = json.loads(payload)
    key = keys.get(content["key_id"])
    if key is None:
        return "its public key is not in the document"
    raw = bytes.fromhex(key["public_key"])
    if hashlib.sha256(raw).hexdigest() != content["key_id"]:
        return "the public key does not match its key id"
    if key["username"] != content["signer_id"]:
        return "the key belongs to another user"
    try:
        Ed25519PublicKey.from_public_bytes(raw).verify(
            bytes.fromhex(entry["signature"]), MESSAGE_TAG + payload.encode("utf-8")
        )
    except InvalidSignature:
        return "the signature does not verify: the payload was altered"
    if (entry["record_kind"], entry["record_id"]) != (content["record_kind"], content["record_id"]):
        return f"signed for {content['record_kind']} {content['record_id']}, not this record"
    record = records.get(content["record_id"])
    if record is not None and _event_hash(record) != content["record_hash"]:
        return "the record does not hash to the signed hash: it was changed"
    return None
