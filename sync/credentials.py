"""The ERP API token: in the OS keyring, never in the database, settings, logs or exports.

``UDI_STATION_SYNC_TOKEN`` in the environment overrides the keyring (service accounts, CI).
A keyring that would keep the token in a plain file is refused: set the variable instead.
"""

from __future__ import annotations

import os

import keyring
from keyring.backend import KeyringBackend
from keyring.errors import KeyringError

from station.errors import StationError
from station.ledger.keys import is_secure_backend

__all__ = ["ENV_TOKEN", "CredentialError", "TokenStore"]

ENV_TOKEN = "UDI_STATION_SYNC_TOKEN"  # noqa: S105 - a variable name, not a secret
SERVICE = "udi-station-sync"


class CredentialError(StationError):
    """The token cannot be stored or read safely."""


class TokenStore:
    """The token for one endpoint (the keyring's user name is the endpoint URL)."""

    def __init__(self, endpoint: str, backend: KeyringBackend | None = None) -> None:
        self.endpoint = endpoint.rstrip("/")
        self._backend = backend if backend is not None else keyring.get_keyring()

    def token(self) -> str | None:
        from_env = os.environ.get(ENV_TOKEN)
        if from_env:
            return from_env
        if not is_secure_backend(self._backend):
            return None
        try:
            return self._backend.get_password(SERVICE, self.endpoint)
        except KeyringError as error:
            raise CredentialError(f"the keyring could not be read: {error}") from error

    def save(self, token: str) -> None:
        if not token or any(not c.isprintable() or c.isspace() for c in token):
            raise CredentialError("a token is one word of printable characters")
        if not is_secure_backend(self._backend):
            msg = (
                "this computer has no secure keyring (e.g. a headless Linux without a Secret "
                f"Service); set {ENV_TOKEN} for the station's service instead"
            )
            raise CredentialError(msg)
        try:
            self._backend.set_password(SERVICE, self.endpoint, token)
        except KeyringError as error:
            raise CredentialError(f"the keyring refused the token: {error}") from error

    def forget(self) -> None:
        try:
            self._backend.delete_password(SERVICE, self.endpoint)
        except KeyringError:
            return  # nothing stored
