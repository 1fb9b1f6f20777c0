"""Seal a private key with a person's secret: a memory-hard KDF, then AES-256-GCM.

The KDF is argon2id (RFC 9106, t=3, m=64 MiB, p=4) when ``argon2-cffi`` is importable, else
scrypt (n=2**17, r=8, p=1, the OWASP choice); each sealing draws a fresh 16-byte salt. The
algorithm, its parameters and the salt are stored beside the sealed key (:class:`KdfParams`),
so a key sealed today opens after the defaults change. The associated data binds the sealed
bytes to their key id and user name: a sealed key copied onto another user's row, or another
key id, does not open.

>>> params = KdfParams.scrypt(salt=bytes(16), n=2**10)  # tiny, for the example only
>>> sealed = seal(b"k" * 32, "123456", params, context=b"key-1")
>>> unseal(sealed, "123456", params, context=b"key-1") == b"k" * 32
True
>>> unseal(sealed, "654321", params, context=b"key-1")
Traceback (most recent call last):
...
station.signatures.errors.WrongSecretError: the secret does not open this signing key
"""

from __future__ import annotations

import importlib.util
import json
import os
import unicodedata
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from station.ledger.canonical import canonical_json
from station.signatures.errors import WrongSecretError

__all__ = ["KdfParams", "default_kdf", "seal", "unseal"]

_NONCE = 12
_SALT = 16
_KEY = 32


@dataclass(frozen=True, slots=True)
class KdfParams:
    """How a secret became the sealing key: ``argon2id`` (t, m KiB, p) or ``scrypt`` (n, r, p)."""

    algorithm: str
    salt: bytes
    cost: tuple[tuple[str, int], ...]

    @classmethod
    def argon2id(
        cls, *, salt: bytes | None = None, t: int = 3, m: int = 65536, p: int = 4
    ) -> KdfParams:
        return cls("argon2id", salt or os.urandom(_SALT), (("m", m), ("p", p), ("t", t)))

    @classmethod
    def scrypt(
        cls, *, salt: bytes | None = None, n: int = 2**17, r: int = 8, p: int = 1
    ) -> KdfParams:
        return cls("scrypt", salt or os.urandom(_SALT), (("n", n), ("p", p), ("r", r)))

    def to_json(self) -> str:
        """Canonical JSON, as stored in ``signing_key.kdf``."""
        return canonical_json({"alg": self.algorithm, "salt": self.salt.hex(), **dict(self.cost)})

    @classmethod
    def from_json(cls, text: str) -> KdfParams:
        data = json.loads(text)
        algorithm, salt = str(data.pop("alg")), bytes.fromhex(str(data.pop("salt")))
        cost = tuple(sorted((str(k), int(v)) for k, v in data.items()))
        return cls(algorithm, salt, cost)

    def derive(self, secret: str) -> bytes:
        """The 32-byte AES key for ``secret`` (NFC-normalised, UTF-8)."""
        if not secret:
            raise WrongSecretError("an empty secret cannot open or seal a signing key")
        data = unicodedata.normalize("NFC", secret).encode("utf-8")
        cost = dict(self.cost)
        if self.algorithm == "scrypt":
            kdf = Scrypt(salt=self.salt, length=_KEY, n=cost["n"], r=cost["r"], p=cost["p"])
            return kdf.derive(data)
        if self.algorithm == "argon2id":
            from argon2.low_level import Type, hash_secret_raw  # noqa: PLC0415 - optional

            return hash_secret_raw(
                data, self.salt, time_cost=cost["t"], memory_cost=cost["m"],
                parallelism=cost["p"], hash_len=_KEY, type=Type.ID,
            )  # fmt: skip
        raise ValueError(f"unknown key derivation {self.algorithm!r}")


def default_kdf() -> KdfParams:
    """argon2id when ``argon2-cffi`` is installed, scrypt otherwise; a fresh salt each time."""
    if importlib.util.find_spec("argon2") is not None:
        return KdfParams.argon2id()
    return KdfParams.scrypt()


def seal(plain: bytes, secret: str, params: KdfParams, *, context: bytes) -> bytes:
    """``nonce ‖ AES-GCM(plain)`` under the key derived from ``secret``; ``context`` is the AAD."""
    nonce = os.urandom(_NONCE)
    return nonce + AESGCM(params.derive(secret)).encrypt(nonce, plain, context)


def unseal(sealed: bytes, secret: str, params: KdfParams, *, context: bytes) -> bytes:
    """Open what :func:`seal` made; :class:`WrongSecretError` if the secret (or context) differs."""
    try:
        return AESGCM(params.derive(secret)).decrypt(sealed[:_NONCE], sealed[_NONCE:], context)
    except InvalidTag:
        raise WrongSecretError("the secret does not open this signing key") from None
