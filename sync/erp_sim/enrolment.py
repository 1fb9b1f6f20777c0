"""The stations' enrolled Ed25519 public keys at the reference ERP (P11-H1).

An ERP administrator enrols a station's public key out of band (``station erp-sim enrol``,
from the PEM ``station key export-public`` writes); checkpoints are then verified against that
key rather than the one a request carries. The ``station_key`` table is append-only: enrolling
a new key for a station (key rotation) adds a row and the newest row is the station's key; the
older rows stay as the record of which key was trusted when.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from station.ledger.keys import key_id
from sync.erp_sim.capture import now
from sync.erp_sim.storage import Storage

__all__ = ["EnrolledKey", "EnrolmentError", "enrol", "enrolled_key", "enrolled_keys", "parse_pem"]

_MAX_TEXT = 1024
_MAX_PEM = 4096

_SCHEMA = """
CREATE TABLE IF NOT EXISTS station_key (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    station TEXT NOT NULL,
    key_id TEXT NOT NULL,
    public_key_pem TEXT NOT NULL,
    enrolled_by TEXT NOT NULL,
    enrolled_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS station_key_by_station ON station_key (station, seq);
"""


class EnrolmentError(ValueError):
    """The station code, the PEM or the enroller's name is not acceptable."""


@dataclass(frozen=True)
class EnrolledKey:
    """One ``station_key`` row: ``current`` when it is the newest row of its station."""

    seq: int
    station: str
    key_id: str
    public_key_pem: str
    enrolled_by: str
    enrolled_at: str
    current: bool = True

    @property
    def public_key(self) -> Ed25519PublicKey:
        key = parse_pem(self.public_key_pem)
        if isinstance(key, str):  # validated when enrolled: only a hand-edited file gets here
            raise EnrolmentError(f"the enrolled key of {self.station} is unreadable: {key}")
        return key

    def to_json(self) -> dict[str, Any]:
        return {
            "station": self.station,
            "key_id": self.key_id,
            "public_key_pem": self.public_key_pem,
            "enrolled_by": self.enrolled_by,
            "enrolled_at": self.enrolled_at,
            "current": self.current,
        }


def ensure_schema(storage: Storage) -> None:
    storage.ensure(_SCHEMA)


def parse_pem(pem: object) -> Ed25519PublicKey | str:
    """The Ed25519 public key in ``pem`` (SubjectPublicKeyInfo PEM), or why it is not one."""
    if not isinstance(pem, str) or len(pem) > _MAX_PEM:
        return "public_key_pem must be a PEM string"
    try:
        key = serialization.load_pem_public_key(pem.encode("ascii"))
    except (ValueError, UnicodeEncodeError, TypeError):
        return "public_key_pem is not a PEM public key"
    if not isinstance(key, Ed25519PublicKey):
        return "public_key_pem is not an Ed25519 key"
    return key


def _text(value: str, what: str) -> str:
    value = value.strip()
    if not 0 < len(value) <= _MAX_TEXT:
        raise EnrolmentError(f"{what} must be 1..{_MAX_TEXT} characters")
    return value


def enrol(storage: Storage, station: str, public_key_pem: str, enrolled_by: str) -> EnrolledKey:
    """Make ``public_key_pem`` the station's key; returns its row.

    Enrolling the key that is already the station's adds no row (the existing one is returned);
    any other key is appended and becomes the station's key. Raises :class:`EnrolmentError`.
    """
    station = _text(station, "the station code")
    enrolled_by = _text(enrolled_by, "the enroller's name")
    key = parse_pem(public_key_pem)
    if isinstance(key, str):
        raise EnrolmentError(key)
    ident = key_id(key)
    canonical = key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")
    with storage.transaction() as db:
        held = enrolled_key(db, station)
        if held is not None and held.key_id == ident:
            return held
        at = now()
        cursor = db.execute(
            "INSERT INTO station_key (station, key_id, public_key_pem, enrolled_by, enrolled_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (station, ident, canonical, enrolled_by, at),
        )
        seq = cursor.lastrowid
    assert seq is not None
    return EnrolledKey(seq, station, ident, canonical, enrolled_by, at)


_COLUMNS = "seq, station, key_id, public_key_pem, enrolled_by, enrolled_at"


def enrolled_key(db: sqlite3.Connection, station: str) -> EnrolledKey | None:
    """The station's key: its newest ``station_key`` row, or None when it has none."""
    row = db.execute(
        f"SELECT {_COLUMNS} FROM station_key WHERE station = ? ORDER BY seq DESC LIMIT 1",  # noqa: S608 - constant
        (station,),
    ).fetchone()
    return None if row is None else _enrolled(row, current=True)


def enrolled_keys(storage: Storage) -> list[EnrolledKey]:
    """Every enrolment, by station then in enrolment order, each marked current or not."""
    with storage.transaction() as db:
        rows = db.execute(f"SELECT {_COLUMNS} FROM station_key ORDER BY station, seq").fetchall()  # noqa: S608 - constant
    newest: dict[str, int] = {}
    for row in rows:
        newest[row[1]] = row[0]
    return [_enrolled(row, current=newest[row[1]] == row[0]) for row in rows]


def _enrolled(row: tuple[Any, ...], *, current: bool) -> EnrolledKey:
    seq, station, ident, pem, enrolled_by, enrolled_at = row
    return EnrolledKey(int(seq), station, ident, pem, enrolled_by, enrolled_at, current)
