"""Electronic signatures in an exported EPCIS document: the extension ``st:signatures``.

A signature is made after its event is recorded, so it is not part of the event's immutable
payload (the ledger row and the sync payload never change). Only the export document
(``station export-epcis``) gains it: each event that has signatures carries a list, one entry per
signature, oldest first, with everything needed to check it without the station: the signed
payload text, the Ed25519 signature over ``b"station-signature-v1\\0" ‖ payload``, the public
key, and the manifestation (signer, printed name, meaning, time with offset) copied from the
payload. ``st:status`` is the verdict here at export (``valid``, ``record_voided`` …).

Keys are namespaced like the event's own extensions (``st:actor``): under JSON-LD an
unprefixed key inside an extension would be resolved against the EPCIS vocabulary.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from station.persistence import tables
from station.signatures.chain import SIGNATURE_CHAIN
from station.signatures.keys import key_by_id
from station.signatures.records import EVENT
from station.signatures.verify import SignatureCheck, signatures_for_many

__all__ = ["SIGNATURES_KEY", "event_signatures", "signature_entry", "with_signatures"]

SIGNATURES_KEY = "st:signatures"
_EVENT = tables.metadata.tables["event"]
_SIGNATURE = SIGNATURE_CHAIN.table


def signature_entry(check: SignatureCheck, public_key: str | None) -> dict[str, Any]:
    """One signature as the extension writes it (``public_key``: hex, None if not stored)."""
    sig, content = check.signature, check.content
    entry: dict[str, Any] = {
        "st:signer": check.signer_id,
        "st:printedName": check.printed_name,
        "st:meaning": check.meaning,
        "st:signedAt": check.signed_at,
        "st:recordVersion": content.record_version if content else None,
        "st:recordHash": content.record_hash if content else None,
        "st:keyId": content.key_id if content else sig.key_id,
        "st:publicKey": public_key,
        "st:signature": sig.signature,
        "st:payload": sig.payload,
        "st:status": check.status.value,
    }
    return {name: value for name, value in entry.items() if value is not None}


def event_signatures(conn: Connection, since: str | None = None) -> dict[str, list[dict[str, Any]]]:
    """Event id (the ledger's ``event_id``) → its signatures as extension entries.

    ``since`` (UTC text, as ``event.record_time``) limits it to events recorded from then on.
    Only signed events are read, so this is small beside the events themselves.
    """
    query = sa.select(_SIGNATURE.c.record_id).where(_SIGNATURE.c.record_kind == EVENT).distinct()
    if since is not None:
        recent = sa.select(_EVENT.c.event_id).where(_EVENT.c.record_time >= since)
        query = query.where(_SIGNATURE.c.record_id.in_(recent))
    record_ids = sorted(conn.execute(query).scalars())
    public_keys: dict[str, str | None] = {}
    found: dict[str, list[dict[str, Any]]] = {}
    for record_id, checks in signatures_for_many(conn, record_ids).items():
        for check in checks:
            if check.signature.record_kind != EVENT:
                continue  # another kind of record that shares the id
            key_id = check.content.key_id if check.content else check.signature.key_id
            if key_id not in public_keys:
                stored = key_by_id(conn, key_id)
                public_keys[key_id] = stored.public_key if stored else None
            found.setdefault(record_id, []).append(signature_entry(check, public_keys[key_id]))
    return found


def with_signatures(event: Mapping[str, Any], signatures: list[dict[str, Any]]) -> dict[str, Any]:
    """The event as exported: its payload, plus ``st:signatures`` when it has any."""
    return {**event, SIGNATURES_KEY: signatures} if signatures else dict(event)
