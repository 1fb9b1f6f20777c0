"""Verify a complete copy of a record (P11-B1) anywhere: no database, no station.

This module imports only the standard library, ``cryptography`` and the RFC 8785 canonical
JSON (``station.ledger.canonical``, itself pure Python), so it can be handed to an auditor on
its own. The hash tags of the ledger are restated here for that reason; a test keeps them equal
to the station's.

:func:`verify_record_copy` checks, and names in each problem line what failed:

* **the record**: its fields hash to the record hash (an event: the ledger's hash of the
  stored row, chained to its predecessor; a label template: the SHA-256 of its body);
* **each signature**: its row hashes to its signature-chain hash; its public key is in the copy,
  matches its key id and belongs to the signer; the Ed25519 signature verifies over the payload;
  it was made for this record and this record's hash; the row's query columns and the shown
  manifestation (printed name, meaning, time) say exactly what was signed; a
  ``signature.signed`` audit entry in the copy records its hash;
* **each key**: a ``signature.key_enrolled`` audit entry in the copy vouches for it;
* **each audit entry**: its content hashes to its audit-chain hash, and an entry that follows
  another in the chain links to it.

A changed byte anywhere in those is reported. What the copy cannot prove on its own: that an
audit entry whose hash was recomputed together with its content is the station's (compare the
hashes with the station's chain, which its signed checkpoints cover: ``station verify``), and
that the keys are the signers' (compare each key id with the one audited at enrolment or held
by the ERP).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from station.ledger.canonical import canonical_json

__all__ = [
    "AUDIT_TAG",
    "EVENT_TAG",
    "FORMAT",
    "MESSAGE_TAG",
    "SIGNATURE_TAG",
    "chain_hash",
    "load_record_copy",
    "verify_record_copy",
]

FORMAT = "udi-station-record-copy/1"
# Restated from station.ledger.chain, station.signatures.chain and station.signatures.content.
EVENT_TAG = b"station-event-v1\0"
AUDIT_TAG = b"station-audit-v1\0"
SIGNATURE_TAG = b"station-signature-chain-v1\0"
MESSAGE_TAG = b"station-signature-v1\0"

_SIGNED = "signature.signed"
_ENROLLED = "signature.key_enrolled"
#: The manifestation a copy shows, each equal to the signed payload's field of the same name.
_SHOWN = ("printed_name", "signer_id", "meaning", "signed_at", "tz_name")
#: The signature row's query columns, each a copy of the payload field named beside it.
_COPIES = (
    ("signer", "signer_id"),
    ("meaning", "meaning"),
    ("signed_at", "signed_at"),
    ("key_id", "key_id"),
    ("record_kind", "record_kind"),
    ("record_id", "record_id"),
)
_UNREADABLE = (ValueError, TypeError, KeyError, AttributeError)


def chain_hash(tag: bytes, row: Mapping[str, Any]) -> str:
    """A chained row's hash: SHA-256(tag ‖ canonical_json(row without its hashes) ‖ prev_hash).

    Bytes were exported as lowercase hex, which hashes exactly as the ledger hashes bytes.
    """
    fields = {k: v for k, v in row.items() if k not in ("hash", "prev_hash")}
    digest = hashlib.sha256(tag)
    digest.update(canonical_json(fields).encode("utf-8"))
    digest.update(str(row["prev_hash"]).encode("ascii"))
    return digest.hexdigest()


def load_record_copy(document: Mapping[str, Any] | str | bytes) -> Mapping[str, Any]:
    """The copy as a mapping; ``ValueError`` if it is not JSON or not a record copy at all."""
    data = json.loads(document) if isinstance(document, str | bytes) else document
    if not isinstance(data, Mapping) or data.get("format") != FORMAT:
        raise ValueError(f"not a {FORMAT} document")
    shapes = {"record": Mapping, "signatures": list, "keys": Mapping, "audit": list}
    for name, shape in shapes.items():
        if not isinstance(data.get(name), shape):
            raise ValueError(f"the copy has no {name} section")
    return data


def verify_record_copy(document: Mapping[str, Any] | str | bytes) -> list[str]:
    """Every problem found in a record copy, one line each; empty means everything verifies."""
    try:
        data = load_record_copy(document)
    except _UNREADABLE as exc:
        return [f"unreadable document: {exc}"]
    record, audit = data["record"], list(data["audit"])
    problems: list[str] = []
    _guarded(problems, f"record {record.get('id', '?')}", _record, record)
    for number, entry in enumerate(audit):
        previous = audit[number - 1] if number else None
        label = f"audit entry seq {_get(entry, 'seq')} ({_get(entry, 'action')})"
        _guarded(problems, label, _audit_entry, entry, previous)
    for key_id, key in data["keys"].items():
        _guarded(problems, f"key {str(key_id)[:16]}…", _key, key_id, key, audit)
    for signature in data["signatures"]:
        label = f"signature seq {_get(_get(signature, 'row'), 'seq')}"
        _guarded(problems, label, _signature, signature, record, data["keys"], audit)
    return problems


def _get(value: object, name: str) -> object:
    return value.get(name, "?") if isinstance(value, Mapping) else "?"


def _guarded(
    problems: list[str], label: str, check: Callable[..., str | None], *parts: Any
) -> None:
    """Run one check on ``parts`` (it returns what is wrong, or None); a problem, or an
    unreadable part, becomes a line naming ``label``."""
    try:
        problem = check(*parts)
    except _UNREADABLE as exc:
        problem = f"unreadable: {exc}"
    if problem is not None:
        problems.append(f"{label}: {problem}")


def _record(record: Mapping[str, Any]) -> str | None:
    """Why the record's fields do not give its hash, or None."""
    fields = record["fields"]
    if record["kind"] == "event":
        computed = chain_hash(EVENT_TAG, {**fields, "prev_hash": record["prev_hash"]})
        if fields["event_id"] != record["id"] or fields["seq"] != record["version"]:
            return "its fields name another event or version"
    elif record["kind"] == "label_template":
        computed = hashlib.sha256(str(fields["body"]).encode("utf-8")).hexdigest()
        if (fields["name"], fields["version"]) != (record["id"], record["version"]):
            return "its fields name another template or version"
        if fields["sha256"] != computed:
            return "its body does not hash to its stored sha256: the body was changed"
    else:
        return f"a record of kind {record['kind']!r} cannot be checked offline"
    if computed != record["hash"]:
        return "its fields do not hash to the record hash: a field was changed"
    return None


def _audit_entry(entry: Mapping[str, Any], previous: Mapping[str, Any] | None) -> str | None:
    if chain_hash(AUDIT_TAG, entry) != entry["hash"]:
        return "its content does not hash to its audit-chain hash: the entry was changed"
    if previous is None or previous["seq"] + 1 != entry["seq"]:
        return None  # not neighbours in the chain: nothing links them
    if entry["prev_hash"] != previous["hash"]:
        return f"it does not link to audit entry seq {previous['seq']} before it"
    return None


def _new_value(entry: Mapping[str, Any]) -> Mapping[str, Any]:
    value = json.loads(entry["new_value"]) if entry.get("new_value") else {}
    return value if isinstance(value, Mapping) else {}


def _key(key_id: str, key: Mapping[str, Any], audit: Sequence[Mapping[str, Any]]) -> str | None:
    if hashlib.sha256(bytes.fromhex(key["public_key"])).hexdigest() != key_id:
        return "the public key does not match its key id"
    for entry in audit:
        if entry.get("action") == _ENROLLED and entry.get("entity_id") == key_id:
            new = _new_value(entry)
            if (new.get("username"), new.get("public_key")) == (
                key["username"],
                key["public_key"],
            ):
                return None
            return f"audit entry seq {entry['seq']} enrolled another key or user under its id"
    return "no signature.key_enrolled audit entry in the copy vouches for it"


def _signature(
    signature: Mapping[str, Any],
    record: Mapping[str, Any],
    keys: Mapping[str, Any],
    audit: Sequence[Mapping[str, Any]],
) -> str | None:
    row = signature["row"]
    if chain_hash(SIGNATURE_TAG, row) != row["hash"]:
        return "its row does not hash to its signature-chain hash: the row was changed"
    content = json.loads(row["payload"])
    if not isinstance(content, Mapping):
        return "its payload is not a JSON object"
    return (
        _signed_by_key(row, content, keys)
        or _says_what_was_signed(signature, row, content)
        or _signed_this_record(content, record)
        or _audited(row, audit)
    )


def _signed_by_key(
    row: Mapping[str, Any], content: Mapping[str, Any], keys: Mapping[str, Any]
) -> str | None:
    key = keys.get(content["key_id"])
    if key is None:
        return "its public key is not in the copy"
    raw = bytes.fromhex(key["public_key"])
    if hashlib.sha256(raw).hexdigest() != content["key_id"]:
        return "its public key does not match the key id"
    if key["username"] != content["signer_id"]:
        return f"the key belongs to {key['username']}, not to the signer {content['signer_id']}"
    try:
        Ed25519PublicKey.from_public_bytes(raw).verify(
            bytes.fromhex(row["signature"]), MESSAGE_TAG + str(row["payload"]).encode("utf-8")
        )
    except InvalidSignature:
        return "the signature does not verify: what was signed has been altered"
    return None


def _says_what_was_signed(
    signature: Mapping[str, Any], row: Mapping[str, Any], content: Mapping[str, Any]
) -> str | None:
    for column, name in _COPIES:
        if row[column] != content[name]:
            return f"its {column} column ({row[column]!r}) is not the signed {content[name]!r}"
    shown = signature["manifestation"]
    for name in _SHOWN:
        if shown[name] != content[name]:
            return f"the shown {name} ({shown[name]!r}) is not the signed {content[name]!r}"
    return None


def _signed_this_record(content: Mapping[str, Any], record: Mapping[str, Any]) -> str | None:
    if (content["record_kind"], content["record_id"]) != (record["kind"], record["id"]):
        return f"it was made for {content['record_kind']} {content['record_id']}"
    if content["record_version"] != record["version"]:
        return f"it signs version {content['record_version']}, the copy holds {record['version']}"
    if content["record_hash"] != record["hash"]:
        return "the record hash it signs is not the record's: the record was changed"
    return None


def _audited(row: Mapping[str, Any], audit: Sequence[Mapping[str, Any]]) -> str | None:
    for entry in audit:
        if entry.get("action") == _SIGNED:
            new = _new_value(entry)
            if new.get("seq") == row["seq"]:
                if new.get("hash") != row["hash"]:
                    return f"audit entry seq {entry['seq']} recorded another hash for it"
                return None
    return "no signature.signed audit entry in the copy records it"
