"""What goes into a sign-in and what comes out: credentials, refusals, signature proofs.

Verifications record their outcome (attempt rows, audit entries, a lockout) in the caller's
transaction, so a refused sign-in must still commit: the functions therefore *return* a
:class:`Refusal` instead of raising, and mypy makes every caller look at it.
:meth:`Refusal.error` turns it into an exception once the transaction has committed.

>>> refusal = Refusal("wait", "wait 4 s before trying again", wait_seconds=4.0)
>>> str(refusal.error())
'wait 4 s before trying again'
>>> BadgeCredentials("B-7", "204613")
BadgeCredentials(badge='B-7', secret=<hidden>)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from station.errors import StationError

__all__ = [
    "REFUSAL_CODES",
    "AuthRefusedError",
    "BadgeCredentials",
    "Credentials",
    "PasswordCredentials",
    "Refusal",
    "SignatureProof",
]

#: code → what happened (docs/auth.md lists them with the operator's words).
REFUSAL_CODES = {
    "unknown": "no such user or badge",
    "wrong_secret": "wrong PIN or password",
    "inactive": "the user is deactivated (here or at the ERP)",
    "locked": "the user is locked after failed attempts until someone unlocks it",
    "wait": "too soon after a failure: wait",
    "rate_limited": "too many failures at this station: wait",
    "no_secret": "no PIN or password is set for this user at this station",
    "use_badge": "this user signs in with a badge and PIN, not a user name",
    "expired": "the PIN or password has expired: change it first",
    "must_change": "an administrator reset the secret: change it first",
    "stale_user_list": "the user list from the ERP is too old: a supervisor must confirm",
    "bad_confirmation": "the confirmation is not valid (wrong secret, same user, or no right)",
    "other_user": "the badge or name belongs to someone else",
    "session_ended": "the session has ended: sign in again",
}


@dataclass(frozen=True, slots=True)
class Refusal:
    """A refused sign-in or signature authorisation. ``wait_seconds`` > 0: try again after."""

    code: str
    message: str
    wait_seconds: float = 0.0
    username: str | None = None  # the user concerned, when known

    def error(self) -> AuthRefusedError:
        return AuthRefusedError(self)


class AuthRefusedError(StationError):
    """A refusal as an exception (raise it after the transaction that recorded it)."""

    def __init__(self, refusal: Refusal) -> None:
        self.refusal = refusal
        super().__init__(refusal.message)


@dataclass(frozen=True, slots=True)
class BadgeCredentials:
    """A scanned badge and the PIN (or password) typed after it."""

    badge: str
    secret: str = field(repr=False)

    def __repr__(self) -> str:  # the secret never reaches a log or a traceback
        return f"BadgeCredentials(badge={self.badge!r}, secret=<hidden>)"


@dataclass(frozen=True, slots=True)
class PasswordCredentials:
    """A typed user name and password."""

    username: str
    secret: str = field(repr=False)

    def __repr__(self) -> str:
        return f"PasswordCredentials(username={self.username!r}, secret=<hidden>)"


Credentials = BadgeCredentials | PasswordCredentials


@dataclass(frozen=True, slots=True)
class SignatureProof:
    """That ``username`` proved the signature's components just now (P11-U2).

    ``components`` names what was entered for this signature: ``{"badge", "pin"}``,
    ``{"username", "password"}``, or the secret alone (``{"pin"}`` / ``{"password"}``);
    ``printed_name`` is the name at this moment. It satisfies the ``SignatureProof`` protocol
    of ``station.signatures.sign``.
    """

    username: str
    printed_name: str
    at: datetime
    components: frozenset[str]
    session_id: str
    station: str
