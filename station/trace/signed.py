"""The e-signatures on the events of a trace, as lines a screen or report can show (P11-S1).

``station.signatures`` (issue 7) owns signing and verification and offers
``signatures_for(conn, record_id)``. This module only adapts its answer to one plain shape,
:class:`SignatureLine`: printed name, date and time with the zone, meaning, and whether the
signature verifies. While that API is not installed, signatures stored in the ``signature``
table are still shown, marked :data:`UNVERIFIED`, never as valid.
"""

from __future__ import annotations

import importlib
import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

__all__ = [
    "INVALID",
    "UNVERIFIED",
    "VALID",
    "SignatureLine",
    "adapt",
    "signatures_by_record",
]

_log = logging.getLogger(__name__)

VALID = "valid"
INVALID = "invalid"
UNVERIFIED = "unverified"


@dataclass(frozen=True, slots=True)
class SignatureLine:
    """One signature as shown: who (printed name as signed), when (ISO 8601 with offset),
    what it means, and :data:`VALID`, :data:`INVALID` (with ``detail``) or :data:`UNVERIFIED`."""

    printed_name: str
    signed_at: str
    meaning: str
    status: str
    detail: str = ""


_API_MODULES = ("station.signatures", "station.signatures.verify")


def _api() -> Callable[[sa.Connection, str], Iterable[Any]] | None:
    for name in _API_MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        found = getattr(module, "signatures_for", None)
        if callable(found):
            return found  # type: ignore[no-any-return]
    return None


def _first(obj: Any, *names: str) -> Any:
    for name in names:
        value = obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)
        if value is not None:
            return value
    return None


def _status_of(obj: Any) -> tuple[str, str]:
    status = _first(obj, "status", "verification")
    if status is not None:
        text = str(getattr(status, "value", status)).lower()
        if text in ("valid", "ok", "verified", "intact"):
            return VALID, ""
        if text in ("unverified", "unknown", "not_verified"):
            return UNVERIFIED, ""
        return INVALID, text
    flag = _first(obj, "valid", "verified", "ok")
    if isinstance(flag, bool):
        problem = _first(obj, "problem", "reason", "detail")
        return (VALID, "") if flag else (INVALID, str(problem or ""))
    return UNVERIFIED, ""


def _adapt(obj: Any) -> SignatureLine:
    status, detail = _status_of(obj)
    manifestation = _first(obj, "manifestation")
    # A SignatureNote's manifestation is its text; the fields are on the note itself.
    source = obj if manifestation is None or isinstance(manifestation, str) else manifestation
    meaning = _first(source, "meaning")
    return SignatureLine(
        printed_name=str(_first(source, "printed_name", "signer_name", "signer") or ""),
        signed_at=str(_first(source, "signed_at", "at") or ""),
        meaning=str(getattr(meaning, "value", meaning) or ""),
        status=status,
        detail=detail,
    )


def _stored(conn: sa.Connection, record_ids: list[str]) -> dict[str, tuple[SignatureLine, ...]]:
    """Signatures read from the table as stored; their manifestation is in the signed payload."""
    found: dict[str, list[SignatureLine]] = {}
    query = sa.text(
        "SELECT record_id, signer, meaning, signed_at, payload FROM signature "
        "WHERE record_id IN (SELECT value FROM json_each(:ids)) ORDER BY seq"
    )
    try:
        rows = conn.execute(query, {"ids": json.dumps(record_ids)}).all()
    except sa.exc.OperationalError:  # a database from before migration 0011
        return {}
    for record_id, signer, meaning, signed_at, payload in rows:
        try:
            signed = json.loads(payload)
        except ValueError:
            signed = {}
        name = signed.get("printed_name") if isinstance(signed, dict) else None
        line = SignatureLine(str(name or signer), str(signed_at), str(meaning), UNVERIFIED)
        found.setdefault(str(record_id), []).append(line)
    return {key: tuple(lines) for key, lines in found.items()}


def adapt(notes: Iterable[Any]) -> tuple[SignatureLine, ...]:
    """Signatures already carried by a trace result (``TimelineEntry.signatures``) as lines."""
    return tuple(_adapt(note) for note in notes)


def signatures_by_record(
    conn: sa.Connection, record_ids: Iterable[str]
) -> dict[str, tuple[SignatureLine, ...]]:
    """Every signature on each of ``record_ids`` (event ids), oldest first; records without
    signatures are left out."""
    ids = sorted(set(record_ids))
    api = _api()
    if api is None:
        return _stored(conn, ids)
    found: dict[str, tuple[SignatureLine, ...]] = {}
    for record_id in ids:
        lines = tuple(_adapt(item) for item in api(conn, record_id))
        if lines:
            found[record_id] = lines
    return found
