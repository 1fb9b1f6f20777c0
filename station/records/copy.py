"""A complete copy of one record (21 CFR 11.10(b), P11-B1): one structure for the JSON and PDF.

:func:`record_copy` gathers, from one read of the database:

* ``record``: every stored field of the record (an event: its ledger row, the canonical EPCIS
  payload among the fields, bytes as hex; a label template version: its row), its version and
  the hash signatures bind to, recomputed from the content; for an event also whether a later
  event declared it in error or corrected it;
* ``signatures``: each stored signature row whole (the signed payload, the Ed25519 signature,
  its signature-chain links), its manifestation as signed (printed name, user, meaning, ISO 8601
  time with offset) and its verification status here, at export;
* ``keys``: every public key the signatures name;
* ``audit``: every audit entry about the record (its id, e.g. ``scan.manual``, refusals,
  ``signature.signed``) and the enrolment entry of each key, each row whole with its
  audit-chain links, so each entry's hash can be recomputed;
* who exported it, where, when (with the offset) and with which station version.

The copy is JSON-ready; ``drivers.reports.record_pdf`` renders the PDF from this same value, and
:mod:`station.records.verify` checks it with no database.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from station.access import AUDIT_VIEW, REPORT_EXPORT, require
from station.context import WriteContext
from station.errors import StationError
from station.ledger.chain import AUDIT_CHAIN, hashed_fields
from station.persistence import tables
from station.records.verify import FORMAT
from station.signatures.chain import SIGNATURE_CHAIN
from station.signatures.keys import ENROLLED, key_by_id
from station.signatures.records import EVENT, LABEL_TEMPLATE, current_state, event_record
from station.signatures.sign import SIGNED
from station.signatures.verify import SignatureCheck, signatures_for

__all__ = ["FORMAT", "KINDS", "RecordNotFoundError", "record_copy"]

#: The record kinds a copy can be made of: those the station stores and can re-read.
KINDS = (EVENT, LABEL_TEMPLATE)
_EVENT = tables.metadata.tables["event"]
_TEMPLATE = tables.metadata.tables["label_template"]
_AUDIT = AUDIT_CHAIN.table


class RecordNotFoundError(StationError):
    """No such record is stored here, or it is of a kind the station cannot copy."""


def record_copy(
    conn: Connection,
    ctx: WriteContext,
    kind: str,
    record_id: str,
    *,
    version: int | None = None,
) -> dict[str, Any]:
    """The complete copy of a record (see the module); ``version`` names a template's version.

    Needs ``report.export`` and, since the copy holds audit entries, ``audit.view``; both are
    checked before anything is read.
    """
    require(ctx, REPORT_EXPORT)
    require(ctx, AUDIT_VIEW)
    record, audit_ids = _record(conn, kind, record_id, version)
    checks = [
        check
        for check in signatures_for(conn, record_id, kind=kind)
        if check.content is None or check.content.record_version == record["version"]
    ]
    key_ids = {
        check.content.key_id if check.content else check.signature.key_id for check in checks
    }
    keys = {key_id: _key(conn, key_id) for key_id in sorted(key_ids)}
    signed_seqs = {check.signature.seq for check in checks}
    return {
        "format": FORMAT,
        "exported_at": ctx.now().isoformat(timespec="milliseconds"),
        "exported_by": {"actor": ctx.actor, "name": ctx.actor_name},
        "station": ctx.station,
        "app_version": ctx.app_version,
        "record": record,
        "signatures": [_signature(check) for check in checks],
        "keys": {key_id: key for key_id, key in keys.items() if key is not None},
        "audit": _audit(conn, record_id, audit_ids, keys, signed_seqs),
    }


def _record(
    conn: Connection, kind: str, record_id: str, version: int | None
) -> tuple[dict[str, Any], set[str]]:
    """The record part, and the audit ``entity_id`` values that name the record."""
    if kind == EVENT:
        return _event(conn, record_id), {record_id}
    if kind == LABEL_TEMPLATE:
        if version is None:
            raise RecordNotFoundError("a label template copy needs its version")
        return _template(conn, record_id, version), {f"{record_id}@{version}"}
    known = ", ".join(KINDS)
    raise RecordNotFoundError(f"records of kind {kind!r} cannot be copied (only {known})")


def _plain(row: Iterable[tuple[str, object]]) -> dict[str, Any]:
    """A stored row as JSON values: bytes become lowercase hex, as the ledger hashes them."""
    return {name: value.hex() if isinstance(value, bytes) else value for name, value in row}


def _event(conn: Connection, event_id: str) -> dict[str, Any]:
    found = conn.execute(sa.select(_EVENT).where(_EVENT.c.event_id == event_id)).mappings()
    row = found.one_or_none()
    if row is None:
        raise RecordNotFoundError(f"no event {event_id} is stored here")
    signable = event_record(conn, event_id)
    state = current_state(conn, EVENT, event_id, signable.version)
    return {
        "kind": EVENT,
        "id": event_id,
        "version": signable.version,
        "hash": signable.hash,
        "prev_hash": row["prev_hash"],
        "fields": _plain(hashed_fields(dict(row)).items()),
        "declared_in_error_by": state.voided_by if state else None,
        "corrected_by": list(state.corrected_by) if state else [],
    }


def _template(conn: Connection, name: str, version: int) -> dict[str, Any]:
    query = sa.select(_TEMPLATE).where(_TEMPLATE.c.name == name, _TEMPLATE.c.version == version)
    row = conn.execute(query).mappings().one_or_none()
    if row is None:
        raise RecordNotFoundError(f"no label template {name} version {version} is stored here")
    state = current_state(conn, LABEL_TEMPLATE, name, version)
    return {
        "kind": LABEL_TEMPLATE,
        "id": name,
        "version": version,
        "hash": state.hash if state else None,
        "fields": _plain(dict(row).items()),
    }


def _signature(check: SignatureCheck) -> dict[str, Any]:
    sig = check.signature
    return {
        "row": {name: getattr(sig, name) for name in SIGNATURE_CHAIN.column_types},
        "manifestation": {
            "printed_name": check.printed_name,
            "signer_id": check.signer_id,
            "meaning": check.meaning,
            "signed_at": check.signed_at,
            "tz_name": check.content.tz_name if check.content else None,
        },
        "status": check.status.value,
        "status_detail": check.detail,
    }


def _key(conn: Connection, key_id: str) -> dict[str, str] | None:
    stored = key_by_id(conn, key_id)
    if stored is None:  # the signature's status says ``unknown_key``
        return None
    # No enrolment time: nothing in the copy could prove it (its audit entry carries one).
    return {"username": stored.username, "public_key": stored.public_key}


def _audit(
    conn: Connection,
    record_id: str,
    ids: set[str],
    key_ids: Collection[str],
    signed_seqs: Collection[int],
) -> list[dict[str, Any]]:
    """Entries naming the record, the enrolments of its keys and the ``signature.signed``
    entries of its signatures (a template's name its template, not the version: ``record_id``)."""
    named = sorted(ids | set(key_ids) | {record_id})
    query = sa.select(_AUDIT).where(_AUDIT.c.entity_id.in_(named)).order_by(_AUDIT.c.seq)
    entries = []
    for row in conn.execute(query).mappings():
        entity_id, action = row["entity_id"], row["action"]
        about = entity_id in ids
        enrolment = action == ENROLLED and entity_id in key_ids
        if (
            about
            or enrolment
            or (action == SIGNED and _signed_seq(row["new_value"]) in signed_seqs)
        ):
            entries.append(_plain(dict(row).items()))
    return entries


def _signed_seq(new_value: str | None) -> int | None:
    try:
        seq = json.loads(new_value or "{}").get("seq")
    except (ValueError, AttributeError):
        return None  # an unreadable entry: the ledger's own verification reports it
    return seq if isinstance(seq, int) else None
