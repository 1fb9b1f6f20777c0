"""A login session: who is signed in, until when, and what the next signature needs.

Pure logic with an injected clock (no Qt, no timer): the UI calls :meth:`Session.touch` on
activity and :meth:`Session.check` (through ``station.access.require``) before every action.
A session ends (P11-U3, AUTH-4) on logout, idle timeout, the session cap (12 h), a screen lock,
a different badge scanned, the user's lockout, deactivation or a change of roles (AUTH-7: the
user's row is re-read on every :meth:`check`), and with the process (sessions live in memory).
An ended session never comes back: the next person signs in again.

Signing (P11-U2): the first signature of a session needs badge (or user name) and secret;
later ones in the same, continuous session the secret alone (:meth:`signature_components`).

>>> from datetime import UTC, datetime, timedelta
>>> from station.auth.records import UserRecord
>>> now = [datetime(2026, 3, 2, 8, 0, tzinfo=UTC)]
>>> li = UserRecord("li", "Li Na", frozenset({"qa"}), "B-7", active=True, locked=False)
>>> session = Session(user=li, method="badge", station="s1", policy=AuthPolicy(),
...                   clock=lambda: now[0], lookup=lambda name: li, verifier=None)
>>> session.context().actor, session.signature_components()
('li', ('badge', 'secret'))
>>> now[0] += timedelta(minutes=5)
>>> session.check()
Traceback (most recent call last):
...
station.access.NotAuthenticatedError: the session of li has ended (idle); sign in again
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from sqlalchemy import Connection

from station.access import NotAuthenticatedError
from station.auth.outcome import Refusal, SignatureProof
from station.auth.policy import AuthPolicy
from station.auth.records import UserRecord, current_credential, find_user
from station.context import WriteContext
from station.ledger.audit import record_audit

__all__ = ["END_REASONS", "Session", "Verifier"]

#: Why a session ended (the ``logout`` audit entry's reason).
END_REASONS = (
    "logout",
    "idle",
    "cap",
    "lock",
    "other_badge",
    "locked_out",
    "deactivated",
    "roles_changed",
)
BOTH_BADGE = ("badge", "secret")
BOTH_USERNAME = ("username", "secret")
SECRET_ONLY = ("secret",)


class Verifier(Protocol):
    """What a session needs to check a secret (``station.auth.login.Authenticator``)."""

    def verify(
        self,
        conn: Connection,
        user: UserRecord | None,
        secret: str,
        *,
        purpose: str,
        method: str,
    ) -> UserRecord | Refusal: ...


class Session:
    """One user's continuous presence at the station; see the module docstring."""

    def __init__(
        self,
        *,
        user: UserRecord,
        method: str,
        station: str,
        policy: AuthPolicy,
        clock: Callable[[], datetime],
        lookup: Callable[[str], UserRecord | None],
        verifier: Verifier | None,
    ) -> None:
        self.id = uuid.uuid4().hex
        self.username = user.username
        self.name = user.name
        self.badge = user.badge
        self.method = method  # badge | username: how this session began
        self.station = station
        self.policy = policy
        self._clock = clock
        self._lookup = lookup
        self._verifier = verifier
        self.started_at = self.last_activity = clock()
        self._roles = user.roles
        self._ended: str | None = None
        self._end_recorded = False
        self._signed = False

    # -- state ---------------------------------------------------------------------------

    @property
    def roles(self) -> frozenset[str]:
        return self._roles

    @property
    def end_reason(self) -> str | None:
        """Why the session ended (one of :data:`END_REASONS`), or None while it lasts."""
        self._expire()
        return self._ended

    @property
    def ended(self) -> bool:
        return self.end_reason is not None

    def _end(self, reason: str) -> None:
        if self._ended is None:
            self._ended = reason

    def _expire(self) -> None:
        if self._ended is not None:
            return
        now = self._clock()
        # Cap first: a session idle past its cap ended at the cap, whichever is reported.
        if now - self.started_at >= self.policy.session_cap:
            self._end("cap")
        elif now - self.last_activity >= self.policy.idle_timeout:
            self._end("idle")

    def _raise_if_ended(self) -> None:
        reason = self.end_reason
        if reason is not None:
            msg = f"the session of {self.username} has ended ({reason}); sign in again"
            raise NotAuthenticatedError(msg)

    def check(self) -> None:
        """Raise NotAuthenticatedError unless the session lasts (``SessionCheck``).

        Re-reads the user: deactivated (here or by the ERP), locked, or with other roles than
        this session's ends the session, so a revoked role is denied at the next call (AUTH-7).
        """
        self._raise_if_ended()
        current = self._lookup(self.username)
        if current is None or not current.active:
            self._end("deactivated")
        elif current.locked:
            self._end("locked_out")
        elif current.roles != self._roles:
            self._end("roles_changed")
        self._raise_if_ended()

    def touch(self) -> None:
        """Activity (a key, a scan, a click): restart the idle time. Raises if already ended."""
        self._raise_if_ended()
        self.last_activity = self._clock()

    def context(self, station_id: str | None = None, *, check: bool = True) -> WriteContext:
        """The write context for an action now: this user, their current roles, this session.

        ``check=False`` only for the login's own audit entry (the session is brand new).
        """
        if check:
            self.check()
        return WriteContext(
            station=station_id or self.station,
            actor=self.username,
            actor_name=self.name,
            clock=self._clock,
            roles=self._roles,
            session=self,
        )

    # -- ending --------------------------------------------------------------------------

    def badge_scanned(self, badge: str) -> bool:
        """A badge was scanned while this session is open: another user's badge ends it
        (P11-U3). Returns whether the session still lasts; the same badge counts as activity."""
        if self.ended:
            return False
        if badge != self.badge:
            self._end("other_badge")
            return False
        self.last_activity = self._clock()
        return True

    def lock(self) -> None:
        """The screen was locked (by the user or the UI's idle timer): the session ends."""
        self._expire()
        self._end("lock")

    def logout(self, conn: Connection) -> None:
        """End the session and record it (audit ``logout``, reason ``logout``)."""
        self._expire()
        self._end("logout")
        self.record_end(conn)

    def record_end(self, conn: Connection) -> bool:
        """Write the ``logout`` audit entry of an ended session once (the reason says why:
        idle, lock, other badge …); False if the session lasts or was recorded already."""
        reason = self.end_reason
        if reason is None or self._end_recorded:
            return False
        record_audit(
            conn,
            self.context(check=False),
            action="logout",
            entity="user",
            entity_id=self.username,
            new={"session": self.id, "ended": reason},
            reason=reason,
        )
        self._end_recorded = True
        return True

    # -- signing -------------------------------------------------------------------------

    def _both(self) -> tuple[str, ...]:
        return BOTH_BADGE if self.method == "badge" and self.badge else BOTH_USERNAME

    def signature_components(self) -> tuple[str, ...]:
        """What the next signature needs: ``("badge", "secret")`` (or ``("username",
        "secret")`` for a password user) for the first signature of the session and once it
        has ended; ``("secret",)`` for later signatures in the same continuous session."""
        if self.ended or not self._signed:
            return self._both()
        return SECRET_ONLY

    def authorize_signature(
        self,
        conn: Connection,
        secret: str,
        badge: str | None = None,
        *,
        username: str | None = None,
    ) -> SignatureProof | Refusal:
        """Verify the signature's components on the writer (failures count towards lockout).

        ``badge`` (or ``username``) is required when :meth:`signature_components` asks for
        it and checked whenever given: another user's badge ends the session. The proof is
        for the signature module (``station.signatures``), which records the signature.
        """
        needed = self.signature_components()
        if self.ended:
            message = "the session has ended; sign in again"
            return Refusal("session_ended", message, 0.0, self.username)
        identified = badge is not None or username is not None
        current = find_user(conn, self.username)  # in this transaction, like the attempt
        # The badge the user holds now: one withdrawn during the session no longer signs.
        held = current.badge if current is not None else None
        if (badge is not None and badge != held) or (
            username is not None and username != self.username
        ):
            self._end("other_badge")
            return Refusal(
                "other_user",
                "that badge or user name is not the signed-in user's; the session has ended",
                0.0,
                self.username,
            )
        if len(needed) > 1 and not identified:
            words = "badge" if needed == BOTH_BADGE else "user name"
            return Refusal(
                "need_both",
                f"the first signature of a session needs your {words} and PIN or password",
                0.0,
                self.username,
            )
        if self._verifier is None:
            msg = "this session cannot verify secrets (no verifier)"
            raise RuntimeError(msg)
        method = "badge" if badge is not None else "username" if username is not None else "secret"
        checked = self._verifier.verify(conn, current, secret, purpose="signature", method=method)
        if isinstance(checked, Refusal):
            if checked.code == "locked":
                self._end("locked_out")
            elif checked.code == "inactive":
                self._end("deactivated")
            return checked
        credential = current_credential(conn, self.username)
        secret_kind = credential.kind if credential is not None else "secret"
        identity = "badge" if badge is not None else "username" if username is not None else None
        components = frozenset({secret_kind} | ({identity} if identity else set()))
        now = self._clock()
        self._signed = True
        self.last_activity = now
        return SignatureProof(
            username=self.username,
            printed_name=checked.name,
            at=now,
            components=components,
            session_id=self.id,
            station=self.station,
        )
