"""The pepper that keys every stored secret: 32 random bytes in the OS keyring (AUTH-2, SEC-1).

Like the station key (:mod:`station.ledger.keys`): the OS keyring (service
``udi-station-auth``) when its backend really protects secrets, else a file with owner-only
permissions beside the database, a logged warning, and :attr:`PepperStore.insecure` for the UI.
The pepper is never written to the database, the settings, a log or the audit trail; the
database keeps only :func:`pepper_id` (a hash of it) to tell "made with another pepper" from
"wrong PIN" in diagnostics.

Verifying never creates a pepper (:meth:`PepperStore.existing`): on a machine without it, every
stored secret simply fails, which is the point. Setting a secret creates one if none exists.
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
import stat
from abc import ABC, abstractmethod
from pathlib import Path

import keyring
from keyring.backend import KeyringBackend
from keyring.errors import KeyringError

from station.errors import ConfigError
from station.ledger.keys import is_secure_backend

__all__ = ["PEPPER_BYTES", "SERVICE", "PepperSource", "PepperStore", "pepper_id"]

SERVICE = "udi-station-auth"
_ENTRY = "pepper"
PEPPER_BYTES = 32
_log = logging.getLogger(__name__)


def pepper_id(pepper: bytes) -> str:
    """SHA-256 of the pepper, first 16 hex digits: names it without revealing it.

    >>> pepper_id(bytes(32))
    '66687aadf862bd77'
    """
    return hashlib.sha256(pepper).hexdigest()[:16]


class PepperSource(ABC):
    """What the auth code needs from a pepper store (tests may pass a fixed one)."""

    @abstractmethod
    def existing(self) -> bytes | None:
        """The pepper if there is one; verifying never creates it."""

    @abstractmethod
    def get_or_create(self) -> bytes:
        """The pepper, made on first use (setting a secret)."""


class PepperStore(PepperSource):
    """The pepper in the OS keyring, or in ``<fallback_dir>/auth-pepper.key`` (0600, warned)."""

    def __init__(self, fallback_dir: Path, backend: KeyringBackend | None = None) -> None:
        self.pepper_file = fallback_dir / "auth-pepper.key"
        self._backend = backend if backend is not None else keyring.get_keyring()
        self._pepper: bytes | None = None

    @property
    def insecure(self) -> bool:
        """True when the pepper is (or would be) kept in a file: the UI shows a warning."""
        return self.pepper_file.exists() or not is_secure_backend(self._backend)

    @property
    def location(self) -> str:
        """Where the pepper lives, for diagnostics (never the pepper itself)."""
        if self.insecure:
            return f"file {self.pepper_file}"
        return f"OS keyring {type(self._backend).__name__} ({SERVICE}/{_ENTRY})"

    def existing(self) -> bytes | None:
        if self._pepper is None:
            self._pepper = self._load()
        return self._pepper

    def get_or_create(self) -> bytes:
        if self.existing() is None:
            self._pepper = self._create()
        assert self._pepper is not None
        return self._pepper

    def _load(self) -> bytes | None:
        # A file wins over a keyring that appeared later: a new pepper would void every secret.
        if self.pepper_file.exists():
            self._warn_file()
            return self._read_file()
        if not is_secure_backend(self._backend):
            return None
        try:
            stored = self._backend.get_password(SERVICE, _ENTRY)
        except KeyringError as exc:
            raise ConfigError(f"the keyring could not be read: {exc}") from exc
        return None if stored is None else bytes.fromhex(stored)

    def _create(self) -> bytes:
        pepper = secrets.token_bytes(PEPPER_BYTES)
        if is_secure_backend(self._backend):
            try:
                self._backend.set_password(SERVICE, _ENTRY, pepper.hex())
            except KeyringError as exc:
                raise ConfigError(f"the keyring refused the pepper: {exc}") from exc
            _log.info("created the sign-in pepper in the OS keyring")
            return pepper
        self._write_file(pepper)
        self._warn_file()
        return pepper

    def _warn_file(self) -> None:
        _log.warning(
            "the sign-in pepper is kept in the file %s: no secure OS keyring is available "
            "(backend %s). Protect this file; with it and a copy of the database, PINs can be "
            "guessed offline.",
            str(self.pepper_file),
            type(self._backend).__name__,
        )

    def _write_file(self, pepper: bytes) -> None:
        self.pepper_file.parent.mkdir(parents=True, exist_ok=True)
        # O_EXCL: never overwrite a pepper; 0600 from the first byte, not chmod later.
        fd = os.open(self.pepper_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(pepper.hex())
            handle.flush()
            os.fsync(handle.fileno())

    def _read_file(self) -> bytes:
        mode = self.pepper_file.stat().st_mode
        if os.name == "posix" and mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise ConfigError(
                f"{self.pepper_file} is readable by other users (mode {stat.filemode(mode)}); "
                "restrict it to the owner (chmod 600)"
            )
        try:
            pepper = bytes.fromhex(self.pepper_file.read_text(encoding="ascii").strip())
        except (ValueError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{self.pepper_file} does not hold a pepper") from exc
        if len(pepper) != PEPPER_BYTES:
            raise ConfigError(f"{self.pepper_file} does not hold a {PEPPER_BYTES}-byte pepper")
        return pepper
