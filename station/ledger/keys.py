"""The station's Ed25519 signing key: kept in the OS keyring, or in an owner-only file if not.

The private key signs checkpoints (TAM-3). It lives in the OS keyring (service ``udi-station``,
user = station code) when the active backend really protects secrets. Where none does (the
``fail`` and ``null`` backends, plaintext files), the key goes to a PEM file beside the database
created with 0600 permissions, a warning is logged, and :attr:`KeyStore.insecure` tells the UI
to show it. Key bytes are never logged and never written to the database.

The public key leaves the station as PEM (:meth:`KeyStore.export_public`) so the ERP can hold
the one trusted copy; :func:`key_id` names it in checkpoint rows.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import stat
from pathlib import Path

import keyring
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from keyring.backend import KeyringBackend

from station.errors import ConfigError

SERVICE = "udi-station"
_log = logging.getLogger(__name__)
# Station codes name a file beside the database: no separators, no dots at the start.
_STATION_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
# Backends that only pretend to store, or store in the clear (keyrings.alt writes files).
_INSECURE_MODULES = ("keyring.backends.fail", "keyring.backends.null", "keyrings.alt")


def key_id(public_key: Ed25519PublicKey) -> str:
    """SHA-256 of the raw 32-byte public key, lowercase hex: how checkpoints name their key."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def public_pem(public_key: Ed25519PublicKey) -> bytes:
    """The public key as a SubjectPublicKeyInfo PEM block."""
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def load_public_key(path: Path) -> Ed25519PublicKey:
    """Read an exported public key (PEM); raises ``ConfigError`` if it is not Ed25519."""
    key = serialization.load_pem_public_key(path.read_bytes())
    if not isinstance(key, Ed25519PublicKey):
        raise ConfigError(f"{path} does not hold an Ed25519 public key")
    return key


def is_secure_backend(backend: KeyringBackend) -> bool:
    """Whether ``backend`` keeps secrets in a real OS store (not ``fail``, ``null``, plaintext).

    A chainer backend is secure only if everything it chains is.
    """
    children = getattr(backend, "backends", None)
    if children is not None:
        return bool(children) and all(is_secure_backend(b) for b in children)
    module = type(backend).__module__
    if module.startswith(_INSECURE_MODULES) or "plaintext" in type(backend).__name__.lower():
        return False
    return float(backend.priority) > 0


class KeyStore:
    """Loads or creates the station key; prefers the OS keyring, falls back to a 0600 file."""

    def __init__(
        self, station: str, fallback_dir: Path, backend: KeyringBackend | None = None
    ) -> None:
        if not _STATION_CODE.fullmatch(station):
            raise ConfigError(f"station code {station!r} must be 1-64 letters, digits, _ or -")
        self.station = station
        self.key_file = fallback_dir / f"station-key-{station}.pem"
        self._backend = backend if backend is not None else keyring.get_keyring()
        self._private: Ed25519PrivateKey | None = None

    @property
    def insecure(self) -> bool:
        """True when the key is (or would be) kept in a file: the UI shows a warning."""
        return self.key_file.exists() or not is_secure_backend(self._backend)

    @property
    def location(self) -> str:
        """Where the private key lives, for the diagnostics screen (never the key itself)."""
        if self.insecure:
            return f"file {self.key_file}"
        return f"OS keyring {type(self._backend).__name__} ({SERVICE}/{self.station})"

    def private_key(self) -> Ed25519PrivateKey:
        """The station key, created on first use."""
        if self._private is None:
            self._private = self._load() or self._create()
        return self._private

    def public_key(self) -> Ed25519PublicKey:
        return self.private_key().public_key()

    def existing_public_key(self) -> Ed25519PublicKey | None:
        """The public key if the station already has a key; never creates one."""
        key = self._private or self._load()
        return None if key is None else key.public_key()

    def export_public(self, path: Path) -> None:
        """Write the public key as PEM (for the ERP and for ``station verify --public-key``)."""
        path.write_bytes(public_pem(self.public_key()))

    def _load(self) -> Ed25519PrivateKey | None:
        # A key file wins even if a keyring appeared later: switching silently to a new key
        # would change the station's identity.
        if self.key_file.exists():
            self._warn_file()
            return self._read_file()
        if is_secure_backend(self._backend):
            stored = self._backend.get_password(SERVICE, self.station)
            if stored is not None:
                return Ed25519PrivateKey.from_private_bytes(bytes.fromhex(stored))
        return None

    def _create(self) -> Ed25519PrivateKey:
        key = Ed25519PrivateKey.generate()
        if is_secure_backend(self._backend):
            raw = key.private_bytes(
                serialization.Encoding.Raw,
                serialization.PrivateFormat.Raw,
                serialization.NoEncryption(),
            )
            self._backend.set_password(SERVICE, self.station, raw.hex())
            _log.info("created the station key for %r in the OS keyring", self.station)
            return key
        self._write_file(key)
        self._warn_file()
        return key

    def _warn_file(self) -> None:
        _log.warning(
            "station key for %r is kept in the file %s: no secure OS keyring is available "
            "(backend %s). Protect this file; anyone who reads it can sign checkpoints.",
            self.station,
            str(self.key_file),
            type(self._backend).__name__,
        )

    def _write_file(self, key: Ed25519PrivateKey) -> None:
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        self.key_file.parent.mkdir(parents=True, exist_ok=True)
        # O_EXCL: never overwrite an existing key; 0600 from the first byte, not chmod later.
        fd = os.open(self.key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
            handle.flush()
            os.fsync(handle.fileno())

    def _read_file(self) -> Ed25519PrivateKey:
        mode = self.key_file.stat().st_mode
        if os.name == "posix" and mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise ConfigError(
                f"{self.key_file} is readable by other users (mode {stat.filemode(mode)}); "
                "restrict it to the owner (chmod 600)"
            )
        key = serialization.load_pem_private_key(self.key_file.read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ConfigError(f"{self.key_file} does not hold an Ed25519 private key")
        return key
