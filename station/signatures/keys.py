"""Per-user Ed25519 signing keys, the private half sealed by the user's secret.

Why per user (compliance open question 2, CN-3): a signature made with a key only its owner can
open is attributable to that person even to someone who distrusts the station, and it verifies
offline from the public key alone. The station never holds an open private key: it unseals it
with the secret re-entered for each signature and forgets it.

``signing_key`` is append-only. Setting a secret enrols a new key (the auth module calls
:func:`enroll_signing_key` whenever a user's secret is set); the newest row per user is the
current key, older rows are retired by it and stay to verify the signatures they made. Every
enrolment is audited (``signature.key_enrolled``, with the public key, never a secret), and
verification trusts a key only if that audit entry vouches for it: a key slipped into the table
by raw SQL does not make signatures valid.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import Connection

from station.context import WriteContext, utc_text
from station.ledger.audit import record_audit
from station.ledger.canonical import canonical_json
from station.ledger.keys import key_id as public_key_id
from station.persistence import tables
from station.signatures.errors import NoSigningKeyError
from station.signatures.sealing import KdfParams, default_kdf, seal, unseal

__all__ = [
    "ENROLLED",
    "SigningKeyInfo",
    "current_key",
    "enroll_signing_key",
    "key_by_id",
    "keys_of",
    "open_signing_key",
]

#: The audit action written for each enrolment.
ENROLLED = "signature.key_enrolled"
_KEYS = tables.metadata.tables["signing_key"]
_RAW = serialization.Encoding.Raw


@dataclass(frozen=True, slots=True)
class SigningKeyInfo:
    """A stored signing key's public facts (never the sealed private half)."""

    key_id: str  # SHA-256 of the raw public key, hex
    username: str
    public_key: str  # raw Ed25519 public key, hex
    created_at: str
    kdf: str  # argon2id | scrypt

    @property
    def fingerprint(self) -> str:
        """The first 16 hex digits of the key id in groups of four, for people to compare."""
        return " ".join(self.key_id[i : i + 4] for i in range(0, 16, 4))

    def public(self) -> Ed25519PublicKey:
        return Ed25519PublicKey.from_public_bytes(bytes.fromhex(self.public_key))


def _sealing_context(key_id: str, username: str) -> bytes:
    # Associated data: the sealed bytes open only on the row (key id, user) they were made for.
    purpose = "station-signing-key-v1"
    return canonical_json({"key_id": key_id, "purpose": purpose, "username": username}).encode()


def enroll_signing_key(
    conn: Connection, ctx: WriteContext, *, username: str, secret: str
) -> SigningKeyInfo:
    """Generate a key for ``username``, seal it with ``secret``, store it and audit it.

    Runs in the caller's transaction (the one that sets the secret). Retires the user's previous
    key by being newer; nothing is updated.
    """
    if not username:
        raise ValueError("a signing key needs a user name")
    previous = current_key(conn, username)
    private = Ed25519PrivateKey.generate()
    public = private.public_key()
    kid = public_key_id(public)
    params = default_kdf()
    raw = private.private_bytes(_RAW, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    sealed = seal(raw, secret, params, context=_sealing_context(kid, username))
    info = SigningKeyInfo(
        key_id=kid,
        username=username,
        public_key=public.public_bytes(_RAW, serialization.PublicFormat.Raw).hex(),
        created_at=utc_text(ctx.now()),
        kdf=params.algorithm,
    )
    conn.execute(
        _KEYS.insert().values(
            key_id=info.key_id,
            username=username,
            public_key=info.public_key,
            sealed_private_key=sealed.hex(),
            kdf=params.to_json(),
            created_at=info.created_at,
        )
    )
    record_audit(
        conn,
        ctx,
        action=ENROLLED,
        entity="signing_key",
        entity_id=kid,
        new={
            "username": username,
            "key_id": kid,
            "public_key": info.public_key,
            "kdf": params.algorithm,
            "retires": previous.key_id if previous else None,
        },
    )
    return info


def _info(row: sa.Row[tuple[object, ...]]) -> SigningKeyInfo:
    return SigningKeyInfo(
        key_id=str(row.key_id),
        username=str(row.username),
        public_key=str(row.public_key),
        created_at=str(row.created_at),
        kdf=str(KdfParams.from_json(str(row.kdf)).algorithm),
    )


def keys_of(conn: Connection, username: str) -> list[SigningKeyInfo]:
    """Every key ``username`` ever had, oldest first; the last is the current one."""
    query = sa.select(_KEYS).where(_KEYS.c.username == username).order_by(_KEYS.c.id)
    return [_info(row) for row in conn.execute(query)]


def current_key(conn: Connection, username: str) -> SigningKeyInfo | None:
    """The user's newest key, or None if their secret was never set through the station."""
    query = (
        sa.select(_KEYS).where(_KEYS.c.username == username).order_by(_KEYS.c.id.desc()).limit(1)
    )
    row = conn.execute(query).one_or_none()
    return None if row is None else _info(row)


def key_by_id(conn: Connection, key_id: str) -> SigningKeyInfo | None:
    row = conn.execute(sa.select(_KEYS).where(_KEYS.c.key_id == key_id)).one_or_none()
    return None if row is None else _info(row)


def open_signing_key(
    conn: Connection, username: str, secret: str
) -> tuple[SigningKeyInfo, Ed25519PrivateKey]:
    """Unseal the user's current key with ``secret``.

    Raises :class:`NoSigningKeyError` if the user has none and
    :class:`~station.signatures.errors.WrongSecretError` if the secret does not open it.
    """
    query = (
        sa.select(_KEYS).where(_KEYS.c.username == username).order_by(_KEYS.c.id.desc()).limit(1)
    )
    row = conn.execute(query).one_or_none()
    if row is None:
        raise NoSigningKeyError(
            f"{username} has no signing key yet: set their PIN or password at this station first"
        )
    info = _info(row)
    params = KdfParams.from_json(str(row.kdf))
    context = _sealing_context(info.key_id, info.username)
    raw = unseal(bytes.fromhex(str(row.sealed_private_key)), secret, params, context=context)
    private = Ed25519PrivateKey.from_private_bytes(raw)
    if public_key_id(private.public_key()) != info.key_id:  # a sealed key from another row
        raise NoSigningKeyError(f"the stored signing key of {username} is damaged")
    return info, private
