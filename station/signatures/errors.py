"""Why a signature could not be made. Every one leaves the database untouched."""

from __future__ import annotations

from station.errors import StationError
from station.services.errors import Refused

__all__ = [
    "FourEyesRefused",
    "NoSigningKeyError",
    "ProofError",
    "RecordNotSignable",
    "SignatureError",
    "WrongSecretError",
]


class SignatureError(StationError):
    """A signature could not be made; nothing was written."""


class WrongSecretError(SignatureError):
    """The secret does not open the signer's sealed key (wrong PIN or password)."""


class NoSigningKeyError(SignatureError):
    """The user has no signing key: their secret was never set through the station."""


class ProofError(SignatureError):
    """The credential proof is for someone else, too old, or lacks the secret component."""


class RecordNotSignable(Refused):
    """The record is missing, changed since it was shown, or voided (P11-F1): not signed.

    A :class:`~station.services.errors.Refused`, so callers audit it like any refusal.
    """


class FourEyesRefused(Refused):
    """AUTH-7: nobody approves or releases a record they recorded themselves."""
