"""Verify signatures (P11-A1, P11-S2, P11-S3): is each still what its signer signed, on the record
as it is now?

One signature, in order (the first failure names the status):

* ``unknown_key``: the key is not stored here, belongs to someone else, or no
  ``signature.key_enrolled`` audit entry vouches for it (a key slipped in by raw SQL);
* ``bad_signature``: the Ed25519 signature does not verify over the payload (meaning, name,
  time or record edited), or a query column disagrees with the signed payload;
* ``wrong_record``: the signature row was moved onto another record;
* ``record_voided``: the record was declared in error after signing;
* ``record_changed``: the record is gone, another version, or its content no longer hashes to
  the signed hash (a corrective event superseding it counts too);
* ``valid``.

:func:`verify_all_signatures` checks every row and also matches the rows with their
``signature.signed`` audit entries: the audit chain is covered by the station's signed
checkpoints, so a signature truncated away or re-chained is still found. The ``signature``
hash chain itself (seq, links, hashes) is walked by ``station.ledger.verify`` with the others.
"""

from __future__ import annotations

import binascii
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum

import sqlalchemy as sa
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import Connection

from station.ledger.report import Problem, ProblemKind
from station.persistence import tables
from station.signatures.chain import SIGNATURE_CHAIN, RecordedSignature
from station.signatures.content import SignedContent, signed_message
from station.signatures.keys import ENROLLED, key_by_id
from station.signatures.records import current_state
from station.signatures.sign import SIGNED

__all__ = [
    "TAMPERED",
    "SignatureCheck",
    "SignatureStatus",
    "signatures_for",
    "signatures_for_many",
    "verify_all_signatures",
    "verify_signature",
]

_AUDIT = tables.metadata.tables["audit"]
_TABLE = SIGNATURE_CHAIN.table


class SignatureStatus(StrEnum):
    VALID = "valid"
    RECORD_CHANGED = "record_changed"
    RECORD_VOIDED = "record_voided"
    BAD_SIGNATURE = "bad_signature"
    WRONG_RECORD = "wrong_record"
    UNKNOWN_KEY = "unknown_key"


#: Statuses that mean the evidence was tampered with (a voided record is a legitimate story).
TAMPERED = frozenset(
    {
        SignatureStatus.RECORD_CHANGED,
        SignatureStatus.BAD_SIGNATURE,
        SignatureStatus.WRONG_RECORD,
        SignatureStatus.UNKNOWN_KEY,
    }
)
_PROBLEM_KINDS = {
    SignatureStatus.RECORD_CHANGED: ProblemKind.RECORD_CHANGED,
    SignatureStatus.BAD_SIGNATURE: ProblemKind.BAD_SIGNATURE,
    SignatureStatus.WRONG_RECORD: ProblemKind.WRONG_RECORD,
    SignatureStatus.UNKNOWN_KEY: ProblemKind.UNTRUSTED_KEY,
}


@dataclass(frozen=True, slots=True)
class SignatureCheck:
    """The verdict on one stored signature. ``content`` is None when the payload is unreadable;
    ``record_checked``: the record was compared (False for documents the station cannot re-read
    and for signatures that failed before the record was looked at)."""

    signature: RecordedSignature
    status: SignatureStatus
    detail: str
    content: SignedContent | None
    record_checked: bool = False

    @property
    def ok(self) -> bool:
        return self.status is SignatureStatus.VALID

    # What to show, from the signed payload (P11-S2); the query columns only when it is
    # unreadable, and then the status says so.
    @property
    def printed_name(self) -> str:
        return self.content.printed_name if self.content else "?"

    @property
    def signer_id(self) -> str:
        return self.content.signer_id if self.content else self.signature.signer

    @property
    def meaning(self) -> str:
        return self.content.meaning if self.content else self.signature.meaning

    @property
    def signed_at(self) -> str:
        return self.content.signed_at if self.content else self.signature.signed_at


@dataclass
class _Keys:
    """Signing keys vouched for by ``signature.key_enrolled`` audit entries, read once."""

    vouched: dict[str, tuple[str, str]] | None = None  # key_id → (username, public key hex)
    found: dict[str, Ed25519PublicKey | str] = field(default_factory=dict)

    def public_key(self, conn: Connection, key_id: str, signer: str) -> Ed25519PublicKey | str:
        """The key to verify with, or why it is not trusted."""
        cached = self.found.get(f"{key_id} {signer}")
        if cached is None:
            cached = self.found[f"{key_id} {signer}"] = self._look_up(conn, key_id, signer)
        return cached

    def _look_up(self, conn: Connection, key_id: str, signer: str) -> Ed25519PublicKey | str:
        stored = key_by_id(conn, key_id)
        if stored is None:
            return f"signed with key {key_id[:16]}…, which is not enrolled here"
        if stored.username != signer:
            return f"signed with a key of {stored.username}, not of the signer {signer}"
        if self.vouched is None:
            self.vouched = _vouched_keys(conn)
        if self.vouched.get(key_id) != (stored.username, stored.public_key):
            return f"key {key_id[:16]}… has no matching enrolment in the audit trail"
        try:
            raw = bytes.fromhex(stored.public_key)
            key = Ed25519PublicKey.from_public_bytes(raw)
        except ValueError:
            return f"key {key_id[:16]}… is not an Ed25519 public key"
        if hashlib.sha256(raw).hexdigest() != key_id:
            return f"key {key_id[:16]}… does not match its id"
        return key


def _vouched_keys(conn: Connection) -> dict[str, tuple[str, str]]:
    query = sa.select(_AUDIT.c.entity_id, _AUDIT.c.new_value).where(_AUDIT.c.action == ENROLLED)
    vouched = {}
    for key_id, new in conn.execute(query):
        try:
            data = json.loads(new)
            vouched[str(key_id)] = (str(data["username"]), str(data["public_key"]))
        except (TypeError, ValueError, KeyError):
            continue  # an unreadable entry vouches for nothing; the audit walk reports it
    return vouched


def verify_signature(conn: Connection, signature: RecordedSignature) -> SignatureCheck:
    """Check one stored signature against its key, its payload and its record as stored now."""
    return _check(conn, signature, _Keys())


def _check(conn: Connection, sig: RecordedSignature, keys: _Keys) -> SignatureCheck:
    try:
        content = sig.content()
    except (TypeError, ValueError) as exc:
        detail = f"the signed payload is unreadable: {exc}"
        return SignatureCheck(sig, SignatureStatus.BAD_SIGNATURE, detail, None)
    status, detail, checked = _signature_verdict(conn, sig, content, keys) or _record_verdict(
        conn, content
    )
    return SignatureCheck(sig, status, detail, content, checked)


_Verdict = tuple[SignatureStatus, str, bool]


def _signature_verdict(
    conn: Connection, sig: RecordedSignature, content: SignedContent, keys: _Keys
) -> _Verdict | None:
    """What is wrong with the signature itself, or None."""
    key = keys.public_key(conn, content.key_id, content.signer_id)
    if isinstance(key, str):
        return SignatureStatus.UNKNOWN_KEY, key, False
    try:
        key.verify(bytes.fromhex(sig.signature), signed_message(sig.payload))
    except (InvalidSignature, ValueError, binascii.Error):
        detail = "the signature does not verify: what was signed has been altered"
        return SignatureStatus.BAD_SIGNATURE, detail, False
    if (sig.record_kind, sig.record_id) != (content.record_kind, content.record_id):
        detail = f"the signature was made for {content.record_kind} {content.record_id}"
        return SignatureStatus.WRONG_RECORD, detail, False
    copies = (sig.signer, sig.meaning, sig.signed_at, sig.key_id)
    if copies != (content.signer_id, content.meaning, content.signed_at, content.key_id):
        detail = "the stored signer, meaning, time or key differs from what was signed"
        return SignatureStatus.BAD_SIGNATURE, detail, False
    return None


def _record_verdict(conn: Connection, content: SignedContent) -> _Verdict:
    """A sound signature: does the record as stored now still match what was signed?"""
    state = current_state(conn, content.record_kind, content.record_id, content.record_version)
    if state is None:
        return SignatureStatus.VALID, "signature valid (the record is not stored here)", False
    if state.hash is None:
        return SignatureStatus.RECORD_CHANGED, "the signed record is no longer stored", True
    if state.voided_by is not None:
        detail = f"the record was declared in error after signing ({state.voided_by})"
        return SignatureStatus.RECORD_VOIDED, detail, True
    if state.version != content.record_version or state.hash != content.record_hash:
        return SignatureStatus.RECORD_CHANGED, "the record changed after signing", True
    if state.corrected_by:
        detail = f"the record was corrected after signing ({', '.join(state.corrected_by)})"
        return SignatureStatus.RECORD_CHANGED, detail, True
    return SignatureStatus.VALID, "signature valid", True


def _rows(conn: Connection, *where: sa.ColumnElement[bool]) -> Iterator[RecordedSignature]:
    query = sa.select(_TABLE).where(*where).order_by(_TABLE.c.seq)
    for row in conn.execute(query).mappings():
        yield RecordedSignature.from_row(row)


def signatures_for(
    conn: Connection, record_id: str, *, kind: str | None = None
) -> list[SignatureCheck]:
    """Every signature stored for ``record_id`` (oldest first), each with its verdict."""
    where = [_TABLE.c.record_id == record_id]
    if kind is not None:
        where.append(_TABLE.c.record_kind == kind)
    keys = _Keys()
    return [_check(conn, sig, keys) for sig in _rows(conn, *where)]


def signatures_for_many(conn: Connection, record_ids: list[str]) -> dict[str, list[SignatureCheck]]:
    """:func:`signatures_for` for many records at once (a trace timeline)."""
    found: dict[str, list[SignatureCheck]] = {}
    keys = _Keys()
    for start in range(0, len(record_ids), 500):  # SQLite's bound-parameter limit
        chunk = record_ids[start : start + 500]
        for sig in _rows(conn, _TABLE.c.record_id.in_(chunk)):
            found.setdefault(sig.record_id, []).append(_check(conn, sig, keys))
    return found


def verify_all_signatures(conn: Connection) -> Iterator[Problem]:
    """Every signature that is not valid (a voided record is not a problem), then every
    mismatch between the rows and their ``signature.signed`` audit entries."""
    audited = _audited(conn)
    keys = _Keys()
    for sig in _rows(conn):
        check = _check(conn, sig, keys)
        if check.status in TAMPERED:
            yield Problem("signature", sig.seq, _PROBLEM_KINDS[check.status], check.detail,
                          sig.record_id)  # fmt: skip
        entry = audited.pop(sig.seq, None)
        if entry is None:
            detail = "no signature.signed audit entry records it (inserted outside the station)"
            yield Problem("signature", sig.seq, ProblemKind.NOT_AUDITED, detail, sig.record_id)
        elif entry[1] != sig.hash:
            detail = f"audit seq {entry[0]} recorded a different hash for it"
            yield Problem("signature", sig.seq, ProblemKind.NOT_AUDITED, detail, sig.record_id)
    for seq, (audit_seq, _) in sorted(audited.items()):
        detail = f"missing: audit seq {audit_seq} records that it was signed"
        yield Problem("signature", seq, ProblemKind.NOT_AUDITED, detail)


def _audited(conn: Connection) -> dict[int, tuple[int, str]]:
    """signature seq → (audit seq, signature hash) from the ``signature.signed`` entries."""
    query = sa.select(_AUDIT.c.seq, _AUDIT.c.new_value).where(_AUDIT.c.action == SIGNED)
    found: dict[int, tuple[int, str]] = {}
    for audit_seq, new in conn.execute(query):
        try:
            data = json.loads(new)
            found[int(data["seq"])] = (int(audit_seq), str(data["hash"]))
        except (TypeError, ValueError, KeyError):
            continue  # the audit chain walk reports an unreadable entry
    return found
