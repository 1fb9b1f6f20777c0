"""Sign-in: badge + PIN or user name + password, with lockout, delays and a rate limit.

:class:`Authenticator` runs on the database writer (``store.writer.submit(lambda conn:
auth.login(conn, credentials))``): each verification appends an ``auth_attempt`` row and an
audit entry in that transaction, so a refused attempt must commit too, and a refusal is
*returned* (:class:`~station.auth.outcome.Refusal`), never raised. The order of checks:

1. the station's rate limit (any user, unknown ones too: AUTH-3);
2. unknown user or badge (a dummy hash is checked so the answer takes as long as a real one);
3. deactivated (also by the ERP: ``station_user.active`` false, read locally, so offline too);
4. locked (P11-U7: the correct PIN is refused until an authorised unlock);
5. no secret at this station; a PIN user typing a user name (PINs go with badges);
6. the delay after consecutive failures (1 s, 2 s, 4 s … before the next try);
7. the secret (a failure counts; the ``max_failures``-th locks: ``security.lockout``);
8. rehash if the hash parameters changed (AUTH-1);
9. for sign-in and signatures: must change after an admin reset, expired (P11-U4, P11-U5).

Past the user list's maximum age (users from the ERP, P11-U6) a sign-in also needs another
user's verified credentials holding :data:`CONFIRM_PERMISSION` (``confirmed_by``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import NamedTuple

from sqlalchemy import Connection, Engine

from station.access import USER_MANAGE, allowed
from station.auth import records
from station.auth.hashing import active_parameters, hash_secret, needs_rehash, verify_secret
from station.auth.outcome import (
    BadgeCredentials,
    Credentials,
    PasswordCredentials,
    Refusal,
)
from station.auth.pepper import PepperSource, pepper_id
from station.auth.policy import AuthPolicy
from station.auth.records import UserRecord
from station.auth.session import Session
from station.context import WriteContext, utc_now
from station.ledger.audit import record_audit

__all__ = ["CONFIRM_PERMISSION", "Authenticator"]


class _Try(NamedTuple):
    """One verification being decided: when, of whom, what for, how."""

    now: datetime
    user: UserRecord | None
    purpose: str
    method: str


#: Who may confirm a sign-in while the ERP user list is stale: those who may manage users.
CONFIRM_PERMISSION = USER_MANAGE

_USER_SQL = "SELECT name, roles, badge, active FROM station_user WHERE username = ?"
_LOCK_SQL = "SELECT action FROM user_lock WHERE username = ? ORDER BY id DESC LIMIT 1"

#: audit action of a failed or refused verification, by purpose
_FAILED_ACTION = {
    "login": "login.failed",
    "confirm": "login.confirm_failed",
    "signature": "signature.auth_failed",
    "change": "credential.change_failed",
}


class Authenticator:
    """Verifies credentials for one station and starts :class:`Session` objects.

    ``engine`` is only read from (a session re-reads its user's roles and state on every
    check); all writes happen on the ``conn`` each method is given.
    """

    def __init__(
        self,
        engine: Engine,
        *,
        station: str,
        pepper: PepperSource,
        policy: AuthPolicy | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.engine = engine
        self.station = station
        self.pepper = pepper
        self.policy = policy if policy is not None else AuthPolicy()
        self.clock = clock
        self._dummy: dict[object, str] = {}

    # -- public --------------------------------------------------------------------------

    def login(
        self,
        conn: Connection,
        credentials: Credentials,
        *,
        confirmed_by: Credentials | None = None,
    ) -> Session | Refusal:
        """Start a session, or say why not (the attempt is recorded either way)."""
        user, method = self._identify(conn, credentials)
        now = self.clock()
        confirmer: UserRecord | None = None
        if self._user_list_stale(conn, now):
            if confirmed_by is None:
                return self._refuse(conn, _Try(now, user, "login", method), "stale_user_list")
            checked = self._confirm(conn, user, confirmed_by)
            if isinstance(checked, Refusal):
                return checked
            confirmer = checked
        verified = self.verify(conn, user, credentials.secret, purpose="login", method=method)
        if isinstance(verified, Refusal):
            return verified
        session = Session(
            user=verified,
            method=method,
            station=self.station,
            policy=self.policy,
            clock=self.clock,
            lookup=self.lookup,
            verifier=self,
        )
        record_audit(
            conn,
            session.context(self.station, check=False),
            action="login",
            entity="user",
            entity_id=verified.username,
            new={
                "method": method,
                "session": session.id,
                "roles": sorted(verified.roles),
                "confirmed_by": confirmer.username if confirmer else None,
            },
            reason="confirmed: the ERP user list is older than allowed" if confirmer else None,
        )
        return session

    def login_badge(
        self, conn: Connection, badge: str, pin: str, *, confirmed_by: Credentials | None = None
    ) -> Session | Refusal:
        return self.login(conn, BadgeCredentials(badge, pin), confirmed_by=confirmed_by)

    def login_password(
        self,
        conn: Connection,
        username: str,
        password: str,
        *,
        confirmed_by: Credentials | None = None,
    ) -> Session | Refusal:
        return self.login(conn, PasswordCredentials(username, password), confirmed_by=confirmed_by)

    def lookup(self, username: str) -> UserRecord | None:
        """The user's current state, read on a pooled connection of its own (two indexed
        lookups); sessions call it on every check (AUTH-7), also from inside a writer
        transaction. No transaction is begun: this engine begins with ``BEGIN IMMEDIATE``,
        which would wait for the writer; each SELECT alone reads the last commit (WAL)."""
        raw = self.engine.raw_connection()
        try:
            dbapi = raw.driver_connection
            assert isinstance(dbapi, sqlite3.Connection)
            row = dbapi.execute(_USER_SQL, (username,)).fetchone()
            lock = dbapi.execute(_LOCK_SQL, (username,)).fetchone()
        finally:
            raw.close()
        if row is None:
            return None
        name, roles, badge, active = row
        return UserRecord(
            username=username,
            name=name,
            roles=frozenset(str(roles).split()),
            badge=badge or None,
            active=bool(active),
            locked=lock is not None and lock[0] == "lock",
        )

    def verify(
        self,
        conn: Connection,
        user: UserRecord | None,
        secret: str,
        *,
        purpose: str,
        method: str,
    ) -> UserRecord | Refusal:
        """Check ``secret`` for ``user`` (None: unknown) and record the attempt.

        ``purpose``: ``login``, ``confirm``, ``signature`` or ``change`` (a change may proceed
        with an expired or reset secret: that is how it gets changed). ``method``: ``badge``,
        ``username`` or ``secret`` (a signature with the secret alone).
        """
        now = self.clock()
        wait = self._station_wait(conn, now)
        if wait > timedelta(0):
            return self._refuse(conn, _Try(now, user, purpose, method), "rate_limited", wait=wait)
        if user is None:
            verify_secret(self._dummy_hash(), self.pepper.existing(), secret)  # equal time
            return self._fail(conn, _Try(now, None, purpose, method), "unknown", failures=0)
        if not user.active:
            return self._refuse(conn, _Try(now, user, purpose, method), "inactive")
        if user.locked:
            return self._refuse(conn, _Try(now, user, purpose, method), "locked")
        credential = records.current_credential(conn, user.username)
        if credential is None:
            return self._refuse(conn, _Try(now, user, purpose, method), "no_secret")
        if purpose == "login" and method == "username" and credential.kind == "pin":
            return self._refuse(conn, _Try(now, user, purpose, method), "use_badge")
        failures, newest = records.consecutive_failures(conn, user.username)
        if newest is not None:
            wait = newest + self.policy.delay_after(failures) - now
            if wait > timedelta(0):
                return self._refuse(conn, _Try(now, user, purpose, method), "wait", wait=wait)
        pepper = self.pepper.existing()
        if not verify_secret(credential.hash, pepper, secret):
            return self._fail(conn, _Try(now, user, purpose, method), "wrong_secret", failures + 1)
        if needs_rehash(credential.hash):
            self._rehash(conn, user, credential, secret)
        if purpose != "change":
            if credential.must_change:
                return self._refuse(conn, _Try(now, user, purpose, method), "must_change")
            expires = credential.expires_at
            if expires is not None and records.parse_time(expires) <= now:
                return self._refuse(conn, _Try(now, user, purpose, method), "expired")
        records.add_attempt(
            conn,
            now=now,
            station=self.station,
            username=user.username,
            purpose=purpose,
            method=method,
            outcome="ok",
            reason="ok",
        )
        return user

    # -- steps ---------------------------------------------------------------------------

    def _identify(
        self, conn: Connection, credentials: Credentials
    ) -> tuple[UserRecord | None, str]:
        if isinstance(credentials, BadgeCredentials):
            return records.user_by_badge(conn, credentials.badge), "badge"
        return records.find_user(conn, credentials.username), "username"

    def _confirm(
        self, conn: Connection, user: UserRecord | None, confirmed_by: Credentials
    ) -> UserRecord | Refusal:
        confirmer, method = self._identify(conn, confirmed_by)
        secret = confirmed_by.secret
        checked = self.verify(conn, confirmer, secret, purpose="confirm", method=method)
        if isinstance(checked, Refusal):
            return Refusal(
                "bad_confirmation",
                f"the supervisor's confirmation failed: {checked.message}",
                wait_seconds=checked.wait_seconds,
                username=user.username if user else None,
            )
        probe = WriteContext(station=self.station, actor=checked.username, roles=checked.roles)
        if (user is not None and checked.username == user.username) or not allowed(
            probe, CONFIRM_PERMISSION
        ):
            now = self.clock()
            return self._refuse(conn, _Try(now, user, "login", "badge"), "bad_confirmation")
        return checked

    def _user_list_stale(self, conn: Connection, now: datetime) -> bool:
        limit = self.policy.user_list_max_age
        if limit is None:
            return False
        synced = records.user_list_synced_at(conn)
        return synced is None or now - synced > limit

    def _station_wait(self, conn: Connection, now: datetime) -> timedelta:
        window = self.policy.rate_window
        count, oldest = records.station_failures_since(conn, self.station, now - window)
        if count < self.policy.station_failures or oldest is None:
            return timedelta(0)
        return max(oldest + window - now, timedelta(milliseconds=1))

    def _dummy_hash(self) -> str:
        parameters = active_parameters()
        if parameters not in self._dummy:
            self._dummy[parameters] = hash_secret(bytes(32), "not a secret")
        return self._dummy[parameters]

    def _rehash(
        self, conn: Connection, user: UserRecord, credential: records.CredentialRow, secret: str
    ) -> None:
        """Store the same secret under the active parameters; everything else is kept (the
        time it was chosen, so expiry does not move; must_change; who set it)."""
        now = self.clock()
        pepper = self.pepper.get_or_create()  # it exists: the secret just verified with it
        records.add_credential(
            conn,
            username=user.username,
            kind=credential.kind,
            stored_hash=hash_secret(pepper, secret),
            pepper_id=pepper_id(pepper),
            origin="rehash",
            set_at=credential.set_at,
            set_by=credential.set_by,
            must_change=credential.must_change,
            expires_at=credential.expires_at,
            now=now,
        )
        parameters = active_parameters()
        record_audit(
            conn,
            self._system_ctx(),
            action="credential.rehash",
            entity="user",
            entity_id=user.username,
            new={
                "time_cost": parameters.time_cost,
                "memory_kib": parameters.memory_kib,
                "parallelism": parameters.parallelism,
            },
            reason="hash parameters changed",
        )

    # -- outcomes ------------------------------------------------------------------------

    def _system_ctx(self) -> WriteContext:
        # Nobody is authenticated yet: the station itself writes these entries.
        return WriteContext(station=self.station, clock=self.clock)

    def _refuse(
        self, conn: Connection, attempt: _Try, code: str, *, wait: timedelta = timedelta(0)
    ) -> Refusal:
        now, user, purpose, method = attempt
        username = user.username if user else None
        records.add_attempt(
            conn,
            now=now,
            station=self.station,
            username=username,
            purpose=purpose,
            method=method,
            outcome="refused",
            reason=code,
        )
        refusal = _refusal(code, wait, username)
        record_audit(
            conn,
            self._system_ctx(),
            action=_FAILED_ACTION[purpose],
            entity="user",
            entity_id=username,
            new={"method": method, "outcome": "refused", "code": code},
            reason=refusal.message,
        )
        return refusal

    def _fail(self, conn: Connection, attempt: _Try, code: str, failures: int) -> Refusal:
        now, user, purpose, method = attempt
        username = user.username if user else None
        records.add_attempt(
            conn,
            now=now,
            station=self.station,
            username=username,
            purpose=purpose,
            method=method,
            outcome="failed",
            reason=code,
        )
        ctx = self._system_ctx()
        record_audit(
            conn,
            ctx,
            action=_FAILED_ACTION[purpose],
            entity="user",
            entity_id=username,
            new={"method": method, "outcome": "failed", "code": code, "failures": failures},
        )
        locked = user is not None and failures >= self.policy.max_failures
        if locked:
            assert user is not None
            reason = f"{failures} failed attempts in a row"
            records.add_lock(
                conn, username=user.username, action="lock", now=now, by=None, reason=reason
            )
            record_audit(
                conn,
                ctx,
                action="security.lockout",
                entity="user",
                entity_id=user.username,
                old={"locked": False},
                new={"locked": True, "failures": failures, "purpose": purpose},
                reason=reason,
            )
        count, _ = records.station_failures_since(conn, self.station, now - self.policy.rate_window)
        if count == self.policy.station_failures:
            record_audit(
                conn,
                ctx,
                action="security.rate_limit",
                entity="station",
                entity_id=self.station,
                new={"failures": count, "window_s": self.policy.rate_window.total_seconds()},
                reason="too many failed sign-ins at this station",
            )
        if locked:
            return _refusal("locked", timedelta(0), username)
        left = self.policy.max_failures - failures
        delay = self.policy.delay_after(failures) if user else timedelta(0)
        refusal = _refusal(code, delay, username)
        if user is not None:
            plural = "s" if left != 1 else ""
            message = f"{refusal.message}; {left} attempt{plural} left before the account locks"
            return Refusal(code, message, refusal.wait_seconds, username)
        return refusal


def _refusal(code: str, wait: timedelta, username: str | None) -> Refusal:
    seconds = max(wait.total_seconds(), 0.0)
    messages = {
        "unknown": "unknown badge or user name, or wrong PIN or password",
        "wrong_secret": "wrong PIN or password",
        "inactive": "this user is deactivated",
        "locked": "this user is locked after too many failed attempts; ask an administrator to "
        "unlock it",
        "wait": f"wait {seconds:.0f} s before trying again",
        "rate_limited": f"too many failed sign-ins at this station; wait {seconds:.0f} s",
        "no_secret": "no PIN or password is set for this user here; ask an administrator",
        "use_badge": "sign in with your badge and PIN",
        "expired": "your PIN or password has expired; change it first",
        "must_change": "your PIN or password was reset; change it first",
        "stale_user_list": "the user list from the ERP is out of date; a supervisor must confirm "
        "this sign-in",
        "bad_confirmation": "the confirming user may not confirm sign-ins (or is the same user)",
    }
    return Refusal(code, messages[code], seconds, username)
