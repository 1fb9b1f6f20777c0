"""Secrets are stored as argon2id over an HMAC keyed with the station's pepper (AUTH-1, AUTH-2).

``stored = argon2id(HMAC-SHA256(pepper, NFKC(secret)))`` as a PHC string (``$argon2id$…``).
A six-digit PIN has only a million values, so an unkeyed hash copied with the database would
fall to a laptop in minutes; keyed with a pepper that lives in the OS keyring and never in the
database, a copied database checks nothing (a known PIN fails on another machine).

The parameters are :data:`PRODUCTION` (64 MiB, 3 passes, 1 lane: 100–250 ms on a station PC,
above the OWASP minimum of 19 MiB, t=2, p=1). A stored hash made with other parameters still
verifies, and :func:`needs_rehash` tells login to store a new one. Tests may make hashing cheap
only through :func:`cheap_parameters_for_tests`; nothing else changes the parameters.

>>> pepper = bytes(32)
>>> with cheap_parameters_for_tests():
...     stored = hash_secret(pepper, "204613")
...     stored.startswith("$argon2id$"), verify_secret(stored, pepper, "204613")
(True, True)
>>> verify_secret(stored, bytes([1]) * 32, "204613"), verify_secret(stored, pepper, "204614")
(False, False)
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

__all__ = [
    "OWASP_MINIMUM",
    "PRODUCTION",
    "TEST_PARAMETERS",
    "HashParameters",
    "active_parameters",
    "cheap_parameters_for_tests",
    "hash_secret",
    "keyed_secret",
    "needs_rehash",
    "verify_secret",
]


@dataclass(frozen=True, slots=True)
class HashParameters:
    """argon2id cost: passes, memory in KiB, lanes."""

    time_cost: int
    memory_kib: int
    parallelism: int

    def at_least(self, other: HashParameters) -> bool:
        """Whether every cost is at least ``other``'s (a crude but honest floor check)."""
        return (
            self.time_cost >= other.time_cost
            and self.memory_kib >= other.memory_kib
            and self.parallelism >= other.parallelism
        )


#: OWASP Password Storage Cheat Sheet, argon2id minimum (m=19 MiB, t=2, p=1).
OWASP_MINIMUM = HashParameters(time_cost=2, memory_kib=19 * 1024, parallelism=1)
#: What the station uses (measured in docs/auth.md; tune here, never below OWASP_MINIMUM).
PRODUCTION = HashParameters(time_cost=3, memory_kib=64 * 1024, parallelism=1)
#: The cheapest argon2 allows: for the test suite only, through cheap_parameters_for_tests.
TEST_PARAMETERS = HashParameters(time_cost=1, memory_kib=8, parallelism=1)

_active = PRODUCTION


def active_parameters() -> HashParameters:
    """The parameters new hashes are made with (PRODUCTION outside tests)."""
    return _active


@contextmanager
def cheap_parameters_for_tests(
    parameters: HashParameters = TEST_PARAMETERS,
) -> Iterator[HashParameters]:
    """Test hook: hash with ``parameters`` inside the block, then back to what was active.

    The only way to change the parameters; production code never calls it (tests check that
    PRODUCTION is the default and meets OWASP_MINIMUM).
    """
    global _active  # noqa: PLW0603 - a deliberate, scoped test hook
    before, _active = _active, parameters
    try:
        yield parameters
    finally:
        _active = before


def _hasher(parameters: HashParameters) -> PasswordHasher:
    return PasswordHasher(
        time_cost=parameters.time_cost,
        memory_cost=parameters.memory_kib,
        parallelism=parameters.parallelism,
        type=Type.ID,
    )


def keyed_secret(pepper: bytes, secret: str) -> bytes:
    """HMAC-SHA256(pepper, NFKC(secret)): what argon2id hashes. NFKC so that the same PIN typed
    on a full-width (Chinese) input method or a numeric keypad gives the same bytes."""
    normalised = unicodedata.normalize("NFKC", secret).encode("utf-8")
    return hmac.new(pepper, normalised, hashlib.sha256).digest()


def hash_secret(pepper: bytes, secret: str) -> str:
    """A new PHC string for ``secret`` with a fresh salt and the active parameters."""
    return _hasher(_active).hash(keyed_secret(pepper, secret))


def verify_secret(stored: str, pepper: bytes | None, secret: str) -> bool:
    """Whether ``secret`` keyed with ``pepper`` matches ``stored``; never raises for a mismatch,
    a malformed hash or a missing pepper (all are simply "no")."""
    if pepper is None:
        return False
    try:
        return _hasher(_active).verify(stored, keyed_secret(pepper, secret))
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    """Whether ``stored`` was made with other parameters than the active ones."""
    try:
        return _hasher(_active).check_needs_rehash(stored)
    except (InvalidHashError, ValueError):
        return True
