"""Sign a record (21 CFR 11.50, 11.70, 11.200): who, what it means, when, bound to its hash.

One call, inside the writer's transaction, does everything or nothing:

1. the permission for this meaning and record kind (``station.access.require``, which also
   checks the login session);
2. the credential proof: re-entered for this signature by the signer of this context, seconds
   ago, with a secret component (the session decides which components, P11-U2);
3. the record as stored now: the version shown is still current and not voided (P11-F1);
4. four eyes (AUTH-7): nobody approves or releases what they recorded themselves;
5. the secret opens the signer's sealed key (:class:`WrongSecretError` otherwise);
6. the manifestation is signed, appended to the signature chain and audited
   (``signature.signed``).

A refusal raises before anything is written.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from datetime import datetime, timedelta
from typing import Protocol

import sqlalchemy as sa
from sqlalchemy import Connection

from station import access
from station.context import WriteContext
from station.ledger.audit import record_audit
from station.ledger.chain import append
from station.persistence import tables
from station.signatures.chain import SIGNATURE_CHAIN, RecordedSignature
from station.signatures.content import SignedContent, signed_message
from station.signatures.errors import (
    FourEyesRefused,
    ProofError,
    RecordNotSignable,
    SignatureError,
)
from station.signatures.keys import open_signing_key
from station.signatures.meaning import Meaning
from station.signatures.records import (
    EVENT,
    LABEL_TEMPLATE,
    RECALL_REPORT,
    SignableRecord,
    current_state,
)

__all__ = [
    "FOUR_EYES",
    "MAX_PROOF_AGE",
    "PERMISSIONS",
    "SECRET_COMPONENTS",
    "SIGNED",
    "SignatureProof",
    "permission_for",
    "sign_record",
]

#: The audit action written for each signature.
SIGNED = "signature.signed"
#: How old a credential proof may be when the signature is made.
MAX_PROOF_AGE = timedelta(seconds=60)
_CLOCK_SLACK = timedelta(seconds=5)
#: Credential components that are a secret; a proof must name at least one.
SECRET_COMPONENTS = frozenset({"pin", "password", "secret"})
#: Meanings that the record's own author may not give (AUTH-7).
FOUR_EYES = frozenset({Meaning.APPROVED, Meaning.RELEASED})
_INSPECTION = dict.fromkeys(Meaning, access.INSPECTION_SIGN)
_INSPECTION[Meaning.RELEASED] = access.LOT_RELEASE  # releasing is QA's, not the inspector's
#: record kind → meaning → the permission it takes.
PERMISSIONS: dict[str, dict[Meaning, str]] = {
    EVENT: _INSPECTION,
    LABEL_TEMPLATE: dict.fromkeys(Meaning, access.LABEL_APPROVE),
    RECALL_REPORT: dict.fromkeys(Meaning, access.RECALL_RUN),
}
_USERS = tables.metadata.tables["station_user"]


class SignatureProof(Protocol):
    """What the login session confirms for one signature (``session.authorize_signature``)."""

    @property
    def username(self) -> str: ...

    @property
    def at(self) -> datetime: ...  # timezone-aware, when the components were checked

    @property
    def components(self) -> AbstractSet[str]: ...  # e.g. {"badge", "pin"} or {"pin"}


def permission_for(kind: str, meaning: Meaning) -> str:
    """The permission needed to give ``meaning`` to a record of ``kind``.

    >>> permission_for("event", Meaning.RELEASED), permission_for("event", Meaning.REVIEWED)
    ('lot.release', 'inspection.sign')
    """
    try:
        return PERMISSIONS[kind][meaning]
    except KeyError:
        raise SignatureError(f"records of kind {kind!r} cannot be signed") from None


def _check_proof(proof: SignatureProof, signer: str, now: datetime) -> tuple[str, ...]:
    if proof.username != signer:
        raise ProofError(f"the credentials were entered by {proof.username}, not by {signer}")
    if proof.at.tzinfo is None:
        raise ProofError("the credential proof has no time zone")
    if not now - MAX_PROOF_AGE <= proof.at <= now + _CLOCK_SLACK:
        raise ProofError("the credentials were not entered just now: enter them again to sign")
    components = tuple(sorted(proof.components))
    if not SECRET_COMPONENTS & set(components):
        raise ProofError("signing needs the PIN or password, entered for this signature")
    return components


def _printed_name(conn: Connection, ctx: WriteContext, signer: str) -> str:
    if ctx.actor_name:
        return ctx.actor_name
    name = conn.execute(
        sa.select(_USERS.c.name).where(_USERS.c.username == signer)
    ).scalar_one_or_none()
    if not name:
        raise SignatureError(f"{signer} has no printed name to sign with")
    return str(name)


def _check_record(conn: Connection, record: SignableRecord) -> str | None:
    """Refuse a stale, missing or voided record; return who recorded it (stored, if known)."""
    state = current_state(conn, record.kind, record.id, record.version)
    if state is None:  # a document the station cannot re-read: the caller's hash stands
        return record.actor
    if state.hash is None:
        raise RecordNotSignable("missing", f"{record.id} is not stored here", subject=record.id)
    if state.voided_by is not None:
        msg = f"{record.id} was declared in error ({state.voided_by}): it cannot be signed"
        raise RecordNotSignable("voided", msg, subject=record.id)
    if state.hash != record.hash or state.version != record.version:
        msg = f"{record.id} changed since it was shown: look at it again before signing"
        raise RecordNotSignable("changed", msg, subject=record.id)
    return state.actor or record.actor


def sign_record(
    conn: Connection,
    ctx: WriteContext,
    *,
    proof: SignatureProof,
    secret: str,
    meaning: Meaning,
    record: SignableRecord,
) -> RecordedSignature:
    """Sign ``record`` with ``meaning`` as ``ctx.actor``; see the module for every check.

    Raises ``NotAuthenticatedError``/``NotPermittedError`` (``station.access``),
    :class:`ProofError`, :class:`RecordNotSignable`, :class:`FourEyesRefused`,
    :class:`NoSigningKeyError` or :class:`WrongSecretError`; nothing is written then.
    """
    meaning = Meaning(meaning)
    access.require(ctx, permission_for(record.kind, meaning))
    signer = ctx.actor
    if not signer:
        raise ProofError("nobody is signed in")
    now = ctx.now()
    credentials = _check_proof(proof, signer, now)
    author = _check_record(conn, record)
    if meaning in FOUR_EYES and author == signer:
        msg = (
            f"{signer} recorded {record.id} and may not also give it '{meaning}': "
            "another person must sign (four eyes)"
        )
        raise FourEyesRefused("four_eyes", msg, subject=record.id)
    key, private = open_signing_key(conn, signer, secret)
    content = SignedContent(
        signer_id=signer,
        printed_name=_printed_name(conn, ctx, signer),
        meaning=meaning.value,
        signed_at=now.isoformat(timespec="milliseconds"),
        tz_name=getattr(now.tzinfo, "key", None),  # ZoneInfo knows its IANA name
        record_kind=record.kind,
        record_id=record.id,
        record_version=record.version,
        record_hash=record.hash,
        key_id=key.key_id,
        station=ctx.station,
        credentials=credentials,
    )
    payload = content.to_json()
    columns = {
        "record_kind": record.kind,
        "record_id": record.id,
        "signer": signer,
        "meaning": content.meaning,
        "signed_at": content.signed_at,
        "key_id": key.key_id,
        "payload": payload,
        "signature": private.sign(signed_message(payload)).hex(),
    }
    link = append(conn, SIGNATURE_CHAIN, columns)
    record_audit(
        conn,
        ctx,
        action=SIGNED,
        entity=record.kind,
        entity_id=record.id,
        new={
            "seq": link.seq,
            "hash": link.hash,
            "meaning": content.meaning,
            "record_version": record.version,
            "record_hash": record.hash,
            "key_id": key.key_id,
            "credentials": list(credentials),
        },
    )
    stored = conn.execute(
        sa.select(SIGNATURE_CHAIN.table).where(SIGNATURE_CHAIN.table.c.seq == link.seq)
    ).mappings()
    return RecordedSignature.from_row(stored.one())
