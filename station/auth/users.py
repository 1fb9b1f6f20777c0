"""The users' life: first run, create, deactivate, roles, badges (issue, withdraw), secrets,
unlock (P11-U1).

Every function runs in the caller's writer transaction and writes its audit entry there.
A user is never deleted or renamed (database triggers, migration 0012): deactivation is a state
(``station_user.active``), which the ERP also sets for users it revokes. Secrets go only into
:func:`~station.auth.hashing.hash_secret` and the signing-key enrolment
(``station.signatures.enroll_signing_key``, sealed by the secret), never into a log, an
exception or the audit trail (P11-U4).

Administration needs :data:`station.access.USER_MANAGE`, except :func:`create_first_admin`
(allowed only while no active user holds the admin role) and :func:`change_secret` (the user
proves the old secret).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Connection, select

from station.access import ROLES, USER_MANAGE, require
from station.auth import records
from station.auth.hashing import hash_secret
from station.auth.login import Authenticator
from station.auth.outcome import Refusal
from station.auth.pepper import PepperSource, pepper_id
from station.auth.policy import AuthPolicy
from station.auth.rules import check_secret
from station.context import WriteContext, utc_text
from station.errors import StationError
from station.ledger.audit import record_audit
from station.signatures.keys import enroll_signing_key

__all__ = [
    "ADMIN_ROLE",
    "SIGNING_ROLES",
    "UserAdminError",
    "change_secret",
    "create_first_admin",
    "create_user",
    "deactivate",
    "first_run_needed",
    "issue_badge",
    "reset_secret",
    "revoke_badge",
    "set_roles",
    "unlock",
]

ADMIN_ROLE = "admin"
#: Roles that sign quality records: held together with admin, it is a dual assignment that
#: the audit trail names (AUTH-6: by default an admin does not sign QC).
SIGNING_ROLES = frozenset({"qa", "inspector", "qa_approver", "qa_manager"})
_USER = records.USER
_MAX_NAME = 200


class UserAdminError(StationError):
    """A user-administration request that cannot be done (unknown user, bad role …)."""


def first_run_needed(conn: Connection) -> bool:
    """True while no active user holds the admin role: the station asks for a first admin."""
    for (roles,) in conn.execute(select(_USER.c.roles).where(_USER.c.active.is_(True))):
        if ADMIN_ROLE in str(roles).split():
            return False
    return True


def _checked_roles(roles: Iterable[str]) -> frozenset[str]:
    chosen = frozenset(roles)
    unknown = sorted(chosen - set(ROLES))
    if unknown:
        msg = f"unknown role {unknown[0]!r} (roles: {' '.join(ROLES)})"
        raise UserAdminError(msg)
    if not chosen:
        msg = "a user needs at least one role"
        raise UserAdminError(msg)
    return chosen


def _checked_text(what: str, value: str) -> str:
    if not value or value != value.strip() or len(value) > _MAX_NAME or not value.isprintable():
        msg = f"the {what} must be 1-{_MAX_NAME} printable characters without outer spaces"
        raise UserAdminError(msg)
    return value


def _existing(conn: Connection, username: str) -> records.UserRecord:
    user = records.find_user(conn, username)
    if user is None:
        msg = f"no user {username[:64]!r}"
        raise UserAdminError(msg)
    return user


def _store_secret(
    conn: Connection,
    ctx: WriteContext,
    *,
    username: str,
    kind: str,
    secret: str,
    origin: str,
    must_change: bool,
    pepper: PepperSource,
    policy: AuthPolicy,
    badge: str | None,
) -> None:
    """Hash and store a new secret, enrol a signing key sealed by it, audit the change."""
    check_secret(kind, secret, not_equal_to=(username, badge or ""))
    now = ctx.now()
    key = pepper.get_or_create()
    expires = now + policy.secret_expiry if policy.secret_expiry is not None else None
    records.add_credential(
        conn,
        username=username,
        kind=kind,
        stored_hash=hash_secret(key, secret),
        pepper_id=pepper_id(key),
        origin=origin,
        set_at=utc_text(now),
        set_by=ctx.actor,
        must_change=must_change,
        expires_at=utc_text(expires) if expires is not None else None,
        now=now,
    )
    enroll_signing_key(conn, ctx, username=username, secret=secret)
    record_audit(
        conn,
        ctx,
        action=f"credential.{'set' if origin in {'initial', 'first_admin'} else origin}",
        entity="user",
        entity_id=username,
        new={
            "kind": kind,
            "must_change": must_change,
            "expires_at": utc_text(expires) if expires is not None else None,
        },
    )


def _insert_user(
    conn: Connection,
    ctx: WriteContext,
    *,
    username: str,
    name: str,
    roles: frozenset[str],
    badge: str | None,
    action: str,
) -> None:
    _checked_text("user name", username)
    _checked_text("printed name", name)
    if badge is not None:
        _checked_text("badge", badge)
    if records.find_user(conn, username) is not None:
        msg = f"the user {username!r} exists already (users are never reused)"
        raise UserAdminError(msg)
    if badge is not None and _badge_ever_issued(conn, badge):
        msg = "this badge was issued before; a badge is never issued twice (P11-U1)"
        raise UserAdminError(msg)
    conn.execute(
        _USER.insert().values(
            username=username, name=name, roles=" ".join(sorted(roles)), badge=badge, active=True
        )
    )
    record_audit(
        conn,
        ctx,
        action=action,
        entity="user",
        entity_id=username,
        new={"name": name, "roles": sorted(roles), "badge": badge, "active": True},
    )
    _audit_dual(conn, ctx, username, roles)


def _badge_ever_issued(conn: Connection, badge: str) -> bool:
    table = records.BADGE
    return conn.execute(select(table.c.badge).where(table.c.badge == badge)).first() is not None


def _audit_dual(conn: Connection, ctx: WriteContext, username: str, roles: frozenset[str]) -> None:
    if ADMIN_ROLE in roles and roles & SIGNING_ROLES:
        record_audit(
            conn,
            ctx,
            action="user.dual_role",
            entity="user",
            entity_id=username,
            new={"roles": sorted(roles), "dual": sorted({ADMIN_ROLE} | (roles & SIGNING_ROLES))},
            reason="administrator also holds a signing role",
        )


def create_first_admin(
    conn: Connection,
    ctx: WriteContext,
    *,
    username: str,
    name: str,
    secret: str,
    kind: str = "password",
    badge: str | None = None,
    pepper: PepperSource,
    policy: AuthPolicy,
) -> None:
    """Create the first administrator; refused once an active admin exists. The admin chose
    the secret, so no change is forced."""
    if not first_run_needed(conn):
        msg = "an active administrator exists: the first-run setup is closed"
        raise UserAdminError(msg)
    _insert_user(
        conn,
        ctx,
        username=username,
        name=name,
        roles=frozenset({ADMIN_ROLE}),
        badge=badge,
        action="user.create",
    )
    _store_secret(
        conn,
        ctx,
        username=username,
        kind=kind,
        secret=secret,
        origin="first_admin",
        must_change=False,
        pepper=pepper,
        policy=policy,
        badge=badge,
    )


def create_user(
    conn: Connection,
    ctx: WriteContext,
    *,
    username: str,
    name: str,
    roles: Iterable[str],
    secret: str,
    kind: str | None = None,
    badge: str | None = None,
    must_change: bool = True,
    pepper: PepperSource,
    policy: AuthPolicy,
) -> None:
    """Create a user with an initial secret (a PIN with a badge, else a password, unless
    ``kind`` says), to be changed at first sign-in unless ``must_change`` is False."""
    require(ctx, USER_MANAGE)
    chosen = _checked_roles(roles)
    _insert_user(
        conn, ctx, username=username, name=name, roles=chosen, badge=badge, action="user.create"
    )
    _store_secret(
        conn,
        ctx,
        username=username,
        kind=kind or ("pin" if badge else "password"),
        secret=secret,
        origin="initial",
        must_change=must_change,
        pepper=pepper,
        policy=policy,
        badge=badge,
    )


def deactivate(conn: Connection, ctx: WriteContext, username: str, *, reason: str) -> None:
    """Deactivate a user (never deleted); their sessions end at the next check."""
    require(ctx, USER_MANAGE)
    user = _existing(conn, username)
    if not user.active:
        msg = f"{username} is deactivated already"
        raise UserAdminError(msg)
    conn.execute(_USER.update().where(_USER.c.username == username).values(active=False))
    record_audit(
        conn,
        ctx,
        action="user.deactivate",
        entity="user",
        entity_id=username,
        old={"active": True},
        new={"active": False},
        reason=reason,
    )


def set_roles(
    conn: Connection, ctx: WriteContext, username: str, roles: Iterable[str], *, reason: str
) -> None:
    """Give ``username`` exactly ``roles``; audited, and a dual assignment named as such."""
    require(ctx, USER_MANAGE)
    user = _existing(conn, username)
    chosen = _checked_roles(roles)
    if chosen == user.roles:
        return
    conn.execute(
        _USER.update().where(_USER.c.username == username).values(roles=" ".join(sorted(chosen)))
    )
    record_audit(
        conn,
        ctx,
        action="user.roles",
        entity="user",
        entity_id=username,
        old={"roles": sorted(user.roles)},
        new={"roles": sorted(chosen)},
        reason=reason,
    )
    _audit_dual(conn, ctx, username, chosen)


def issue_badge(
    conn: Connection, ctx: WriteContext, username: str, badge: str, *, reason: str | None = None
) -> None:
    """Give ``username`` a new badge. The old one is withdrawn at once and for ever: sign-in
    finds users by their current badge, and ``badge_issue`` (triggers, migration 0012) refuses
    a badge ever issued, to anyone, again. A deactivated user gets no badge."""
    require(ctx, USER_MANAGE)
    user = _existing(conn, username)
    _checked_text("badge", badge)
    if not user.active:
        msg = f"{username} is deactivated: a deactivated user gets no badge"
        raise UserAdminError(msg)
    if _badge_ever_issued(conn, badge):
        msg = "this badge was issued before; a badge is never issued twice (P11-U1)"
        raise UserAdminError(msg)
    _set_badge(conn, ctx, user, badge, action="user.badge", reason=reason or None)


def revoke_badge(conn: Connection, ctx: WriteContext, username: str, *, reason: str) -> None:
    """Withdraw ``username``'s badge without a new one (lost or stolen, the new one not yet
    at hand): it stops signing anyone in at once. The user keeps everything else; a PIN user
    signs in again once :func:`issue_badge` gave a new badge. The withdrawn badge stays in
    ``badge_issue``, so the database itself refuses it to anyone ever after (P11-U1)."""
    require(ctx, USER_MANAGE)
    user = _existing(conn, username)
    if not reason.strip():
        msg = "say why the badge is withdrawn (lost, stolen, damaged …)"
        raise UserAdminError(msg)
    if user.badge is None:
        msg = f"{username} holds no badge"
        raise UserAdminError(msg)
    _set_badge(conn, ctx, user, None, action="user.badge_revoked", reason=reason)


def _set_badge(
    conn: Connection,
    ctx: WriteContext,
    user: records.UserRecord,
    badge: str | None,
    *,
    action: str,
    reason: str | None,
) -> None:
    """Give ``user`` ``badge`` (None: none) and audit the change, in the caller's transaction."""
    conn.execute(_USER.update().where(_USER.c.username == user.username).values(badge=badge))
    record_audit(
        conn,
        ctx,
        action=action,
        entity="user",
        entity_id=user.username,
        old={"badge": user.badge},
        new={"badge": badge},
        reason=reason,
    )


def reset_secret(
    conn: Connection,
    ctx: WriteContext,
    username: str,
    new_secret: str,
    *,
    kind: str | None = None,
    pepper: PepperSource,
    policy: AuthPolicy,
) -> None:
    """An administrator sets a new secret (also the first one for a user from the ERP); the
    user must change it before signing anything (P11-U4)."""
    require(ctx, USER_MANAGE)
    user = _existing(conn, username)
    if ctx.actor == username:
        msg = "nobody resets their own secret; change it with the old one instead"
        raise UserAdminError(msg)
    current = records.current_credential(conn, username)
    chosen = kind or (current.kind if current else ("pin" if user.badge else "password"))
    _store_secret(
        conn,
        ctx,
        username=username,
        kind=chosen,
        secret=new_secret,
        origin="reset",
        must_change=True,
        pepper=pepper,
        policy=policy,
        badge=user.badge,
    )


def change_secret(
    conn: Connection,
    auth: Authenticator,
    *,
    username: str,
    old_secret: str,
    new_secret: str,
    kind: str | None = None,
) -> Refusal | None:
    """The user changes their own secret, proving the old one (a failure counts towards the
    lockout, like a sign-in). None when done; a Refusal (recorded) when the old one is wrong.
    Works with an expired or reset secret: that is how it gets changed."""
    user = records.find_user(conn, username)
    checked = auth.verify(conn, user, old_secret, purpose="change", method="username")
    if isinstance(checked, Refusal):
        return checked
    if old_secret == new_secret:
        msg = "the new secret must differ from the old one"
        raise UserAdminError(msg)
    current = records.current_credential(conn, username)
    ctx = WriteContext(
        station=auth.station,
        actor=checked.username,
        actor_name=checked.name,
        clock=auth.clock,
        roles=checked.roles,
    )
    _store_secret(
        conn,
        ctx,
        username=username,
        kind=kind or (current.kind if current else "password"),
        secret=new_secret,
        origin="change",
        must_change=False,
        pepper=auth.pepper,
        policy=auth.policy,
        badge=checked.badge,
    )
    return None


def unlock(conn: Connection, ctx: WriteContext, username: str, *, reason: str) -> None:
    """Unlock a user locked after failures (``security.unlock``); not oneself (four eyes)."""
    require(ctx, USER_MANAGE)
    user = _existing(conn, username)
    if not user.locked:
        msg = f"{username} is not locked"
        raise UserAdminError(msg)
    if ctx.actor == username:
        msg = "nobody unlocks themselves"
        raise UserAdminError(msg)
    now: datetime = ctx.now()
    records.add_lock(conn, username=username, action="unlock", now=now, by=ctx.actor, reason=reason)
    records.add_attempt(
        conn,
        now=now,
        station=ctx.station,
        username=username,
        purpose="unlock",
        method="admin",
        outcome="unlock",
        reason="unlocked",
    )
    record_audit(
        conn,
        ctx,
        action="security.unlock",
        entity="user",
        entity_id=username,
        old={"locked": True},
        new={"locked": False},
        reason=reason,
    )
