"""The two hash chains, ``event`` and ``audit``: how a row is hashed and how it is appended.

::

    hash = SHA-256( tag ‖ canonical_json(fields) ‖ prev_hash )

``fields`` is every column of the row, ``seq`` included, except ``hash`` and ``prev_hash``;
bytes are written as lowercase hex and ``None`` as ``null`` (docs/event-store.md, TAM-1).

Bytes-as-hex means a BLOB ``x'41'`` and the TEXT ``'41'`` hash alike, so the hash alone cannot
tell them apart. :func:`type_errors` closes that gap: every value must have its column's
storage type, and the verifier checks it on every row.

>>> record_hash(EVENT_TAG, {"seq": 1, "raw_scan": b"\\x1d"}, GENESIS)[:16]
'709fc69c9bbdda4b'
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from sqlalchemy import Connection, Float, Integer, LargeBinary, String, Table, select
from sqlalchemy.types import TypeDecorator, TypeEngine

from station.errors import StationError
from station.ledger.canonical import canonical_json
from station.persistence import tables
from station.persistence.rawsql import (
    insert_sql,
    last_row_sql,
    select_by_sql,
    sqlite_connection,
)

GENESIS = "0" * 64
EVENT_TAG = b"station-event-v1\0"
AUDIT_TAG = b"station-audit-v1\0"

#: Columns the ledger itself assigns; callers never supply them.
LEDGER_COLUMNS = frozenset({"seq", "prev_hash", "hash"})
_HEX64 = re.compile("[0-9a-f]{64}")


class LedgerError(StationError):
    """The ledger could not append a record faithfully; the transaction must roll back."""


class ChainLink(NamedTuple):
    """Where a record landed: its ``seq`` and its ``hash`` (the new head of its chain)."""

    seq: int
    hash: str


@dataclass(frozen=True)
class Chain:
    """One chained table: its name, its hash tag and the storage type of each column."""

    name: str
    table: Table
    tag: bytes
    #: Columns that identify a record to a person, shown in verification messages.
    label_columns: tuple[str, ...]
    column_types: dict[str, tuple[type, bool]] = field(init=False)
    #: Prepared SQL for :func:`append`: insert every column, read a row back by ``seq``, head.
    insert_sql: str = field(init=False)
    select_sql: str = field(init=False)
    head_sql: str = field(init=False)

    def __post_init__(self) -> None:
        types = {
            c.name: (_storage_type(c.type), bool(c.nullable) and not c.primary_key)
            for c in self.table.columns
        }
        object.__setattr__(self, "column_types", types)
        object.__setattr__(self, "insert_sql", insert_sql(self.table))
        object.__setattr__(self, "select_sql", select_by_sql(self.table, "seq"))
        object.__setattr__(self, "head_sql", last_row_sql(self.table, "seq", ["seq", "hash"]))

    def label(self, row: Mapping[str, object]) -> str:
        """A short human identification of a stored row, e.g. its event id."""
        return " ".join(str(row[c]) for c in self.label_columns if row.get(c) is not None)


def _storage_type(column_type: TypeEngine[object]) -> type:
    # SQLModel's AutoString decorates String and reports ``object``: look at what it wraps.
    if isinstance(column_type, TypeDecorator):
        column_type = column_type.impl_instance
    for generic, python in ((String, str), (Integer, int), (LargeBinary, bytes), (Float, float)):
        if isinstance(column_type, generic):
            return python
    raise TypeError(f"the ledger cannot chain a column of type {column_type!r}")


EVENT_CHAIN = Chain("event", tables.Event.__table__, EVENT_TAG, ("event_id",))  # type: ignore[attr-defined]
AUDIT_CHAIN = Chain(
    "audit",
    tables.Audit.__table__,  # type: ignore[attr-defined]
    AUDIT_TAG,
    ("action", "entity", "entity_id"),
)
CHAINS = (EVENT_CHAIN, AUDIT_CHAIN)


def record_hash(tag: bytes, fields: Mapping[str, object], prev_hash: str) -> str:
    """SHA-256 of ``tag ‖ canonical_json(fields) ‖ prev_hash`` as 64 lowercase hex characters.

    ``fields`` are the row's columns without ``hash`` and ``prev_hash``; bytes values become
    lowercase hex.
    """
    if "hash" in fields or "prev_hash" in fields:
        raise ValueError("fields must not contain 'hash' or 'prev_hash'")
    if not _HEX64.fullmatch(prev_hash):
        raise ValueError(f"prev_hash must be 64 lowercase hex characters, not {prev_hash!r}")
    shaped = {k: v.hex() if isinstance(v, bytes) else v for k, v in fields.items()}
    digest = hashlib.sha256(tag)
    digest.update(canonical_json(shaped).encode("utf-8"))
    digest.update(prev_hash.encode("ascii"))
    return digest.hexdigest()


def hashed_fields(row: Mapping[str, object]) -> dict[str, object]:
    """The part of a stored row the hash covers: every column but ``hash`` and ``prev_hash``."""
    return {k: v for k, v in row.items() if k not in ("hash", "prev_hash")}


def type_errors(chain: Chain, row: Mapping[str, object]) -> list[str]:
    """Columns whose stored value does not have the column's type (e.g. TEXT in a BLOB)."""
    errors = []
    for name, (expected, nullable) in chain.column_types.items():
        value = row.get(name)
        if value is None and nullable:
            continue
        if type(value) is not expected:  # bool is an int subclass: compare exactly
            errors.append(f"{name} is {type(value).__name__}, expected {expected.__name__}")
    return errors


def head(conn: Connection, chain: Chain) -> ChainLink:
    """The chain's last record, or ``(0, GENESIS)`` while it is empty."""
    seq = chain.table.c.seq
    row = conn.execute(select(seq, chain.table.c.hash).order_by(seq.desc()).limit(1)).one_or_none()
    return ChainLink(0, GENESIS) if row is None else ChainLink(row.seq, row.hash)


def append_event(conn: Connection, fields: Mapping[str, object]) -> ChainLink:
    """Append one event inside the caller's transaction; returns its ``(seq, hash)``."""
    return append(conn, EVENT_CHAIN, fields)


def append_audit(conn: Connection, fields: Mapping[str, object]) -> ChainLink:
    """Append one audit entry inside the caller's transaction; returns its ``(seq, hash)``."""
    return append(conn, AUDIT_CHAIN, fields)


def append(conn: Connection, chain: Chain, fields: Mapping[str, object]) -> ChainLink:
    """Read the head, assign ``seq``, hash, insert, and confirm the stored row hashes the same.

    Must run inside the writer's ``BEGIN IMMEDIATE`` transaction, so no other writer can move
    the head between the read and the insert. Every column is written explicitly (``None``
    for an omitted nullable one), so no table default can change what was hashed.
    """
    row = _complete(chain, fields)
    db = sqlite_connection(conn)  # the hot path: prepared SQL on the same transaction
    found = db.execute(chain.head_sql).fetchone()
    last = ChainLink(0, GENESIS) if found is None else ChainLink(*found)
    seq = row["seq"] = last.seq + 1
    digest = record_hash(chain.tag, row, last.hash)
    written = {**row, "prev_hash": last.hash, "hash": digest}
    db.execute(chain.insert_sql, written)
    # Read back what SQLite actually stored: a type affinity or a trigger that altered a
    # value would otherwise leave a record whose hash never matched its content. Equal values
    # of identical types hash identically, so comparing them is the same check as re-hashing.
    stored = db.execute(chain.select_sql, (seq,)).fetchone()
    changed = [
        f"{name} stored as {type(value).__name__} {value!r:.40}"
        for name, value in zip(chain.column_types, stored or (), strict=False)
        if type(value) is not type(written[name]) or value != written[name]
    ]
    if stored is None or changed:
        raise LedgerError(
            f"{chain.name} seq {seq}: stored row differs from the hashed one "
            f"({'; '.join(changed) or 'row missing after insert'})"
        )
    return ChainLink(seq, digest)


def _complete(chain: Chain, fields: Mapping[str, object]) -> dict[str, object]:
    reserved = LEDGER_COLUMNS & fields.keys()
    if reserved:
        raise ValueError(f"the ledger assigns {sorted(reserved)}; do not supply them")
    unknown = fields.keys() - chain.column_types.keys()
    if unknown:
        raise ValueError(f"{chain.name} has no columns {sorted(unknown)}")
    row: dict[str, object] = {}
    for name, (expected, nullable) in chain.column_types.items():
        if name in LEDGER_COLUMNS:
            continue
        value = fields.get(name)
        if value is None and not nullable:
            raise ValueError(f"{chain.name}.{name} is required")
        if value is not None and type(value) is not expected:
            raise TypeError(
                f"{chain.name}.{name} must be {expected.__name__}, not {type(value).__name__}"
            )
        row[name] = value
    return row
