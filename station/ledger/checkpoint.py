"""Signed checkpoints: the station's Ed25519 signature over both chain heads (TAM-3).

A hash chain proves only that rows agree with each other; whoever can write the file can
rewrite all of it. A checkpoint, once copied to the ERP, pins the prefix of each chain up to
its ``seq``: a truncated or re-chained ledger no longer has the signed head there.

The signed message is the canonical JSON of
``{station, event_seq, event_head, audit_seq, audit_head, created_at}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Connection, insert, select

from station.ledger.canonical import canonical_json
from station.ledger.chain import AUDIT_CHAIN, EVENT_CHAIN, head
from station.ledger.keys import key_id
from station.persistence import tables

CHECKPOINT_TABLE = tables.Checkpoint.__table__  # type: ignore[attr-defined]
#: The checkpoint columns the signature covers, in no particular order (JCS sorts them).
SIGNED_FIELDS = ("station", "event_seq", "event_head", "audit_seq", "audit_head", "created_at")


class SigningKey(Protocol):
    """Anything that hands out the station's private key, e.g. a ``KeyStore``."""

    def private_key(self) -> Ed25519PrivateKey: ...


@dataclass(frozen=True)
class CheckpointPolicy:
    """When to sign: after ``every_records`` new records or ``every`` time, whichever first."""

    every_records: int = 500
    every: timedelta = timedelta(minutes=15)


@dataclass(frozen=True)
class Heads:
    """Both chains' heads: the last ``seq`` and its hash (0 and 64 zeros while empty)."""

    event_seq: int
    event_head: str
    audit_seq: int
    audit_head: str


def chain_heads(conn: Connection) -> Heads:
    event, audit = head(conn, EVENT_CHAIN), head(conn, AUDIT_CHAIN)
    return Heads(event.seq, event.hash, audit.seq, audit.hash)


def signed_message(row: Mapping[str, object]) -> bytes:
    """The bytes a checkpoint's signature covers, from a row or a statement dict."""
    return canonical_json({name: row[name] for name in SIGNED_FIELDS}).encode("utf-8")


def utc_timestamp(moment: datetime) -> str:
    """ISO 8601 UTC with milliseconds, as every time in the ledger is written.

    >>> utc_timestamp(datetime(2026, 11, 24, 8, 15, 30, 123456, tzinfo=UTC))
    '2026-11-24T08:15:30.123Z'
    """
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def make_checkpoint(
    conn: Connection, keystore: SigningKey, station: str, now: datetime | None = None
) -> dict[str, object]:
    """Sign both current heads and append a ``checkpoint`` row; returns the row as stored.

    Runs inside the caller's write transaction, so the heads cannot move while signing.
    """
    heads = chain_heads(conn)
    created = now if now is not None else datetime.now(UTC)
    statement: dict[str, object] = {
        "station": station,
        "event_seq": heads.event_seq,
        "event_head": heads.event_head,
        "audit_seq": heads.audit_seq,
        "audit_head": heads.audit_head,
        "created_at": utc_timestamp(created),
    }
    private = keystore.private_key()
    signature = private.sign(signed_message(statement))
    row = statement | {"key_id": key_id(private.public_key()), "signature": signature.hex()}
    result = conn.execute(insert(CHECKPOINT_TABLE).values(**row))
    (checkpoint_id,) = result.inserted_primary_key or (None,)
    return row | {"id": checkpoint_id}


def latest_checkpoint(conn: Connection) -> dict[str, object] | None:
    """The most recent checkpoint row (as stored, unverified), or ``None``."""
    query = select(CHECKPOINT_TABLE).order_by(CHECKPOINT_TABLE.c.id.desc()).limit(1)
    row = conn.execute(query).mappings().one_or_none()
    return None if row is None else dict(row)


def should_checkpoint(
    policy: CheckpointPolicy, heads: Heads, last: Mapping[str, object] | None, now: datetime
) -> bool:
    """Whether it is time to sign: something changed and enough records or time have passed.

    ``last`` is :func:`latest_checkpoint` (``None`` before the first). At shutdown the station
    signs whenever anything changed, without asking this.

    >>> heads = Heads(10, "a" * 64, 2, "b" * 64)
    >>> t0 = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
    >>> last = {"event_seq": 10, "audit_seq": 2, "created_at": "2026-11-24T07:00:00.000Z"}
    >>> should_checkpoint(CheckpointPolicy(), heads, last, t0)  # nothing new: never
    False
    >>> should_checkpoint(CheckpointPolicy(), Heads(11, "c" * 64, 2, "b" * 64), last, t0)
    True
    """
    new_records = heads.event_seq + heads.audit_seq
    if last is None:
        return new_records > 0
    signed_records = _as_int(last["event_seq"]) + _as_int(last["audit_seq"])
    if new_records == signed_records:
        return False
    if new_records - signed_records >= policy.every_records:
        return True
    signed_at = datetime.fromisoformat(str(last["created_at"]).replace("Z", "+00:00"))
    return now - signed_at >= policy.every


def _as_int(value: object) -> int:
    if not isinstance(value, int):
        raise TypeError(f"expected an integer seq, got {value!r}")
    return value
