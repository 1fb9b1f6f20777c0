"""Who may do what (compliance P11-G1): permissions are checked in the services; the UI only
mirrors them.

Roles map to permissions in one table, :data:`POLICY`. Until user login exists (a later issue),
the command line names the role with ``--role`` and the role is written into every audit entry
it causes, so a claimed role is never invisible; the login will take roles from the user record.

>>> ctx = WriteContext(station="s1", actor="li", roles=frozenset({"operator"}))
>>> allowed(ctx, LABEL_PRINT), allowed(ctx, LABEL_APPROVE)
(True, False)
>>> require(ctx, LABEL_APPROVE)
Traceback (most recent call last):
...
station.access.NotPermittedError: li (operator) may not approve label templates (label.approve)
"""

from __future__ import annotations

from sqlalchemy import Connection

from station.context import WriteContext
from station.errors import StationError
from station.ledger.audit import record_audit

__all__ = [
    "LABEL_APPROVE",
    "LABEL_EDIT",
    "LABEL_PRINT",
    "LABEL_REPRINT",
    "POLICY",
    "ROLES",
    "SYNC_RETRY",
    "NotPermittedError",
    "allowed",
    "audit_denial",
    "require",
]

LABEL_PRINT = "label.print"
LABEL_REPRINT = "label.reprint"
LABEL_EDIT = "label.edit"  # write a new draft version of a template
LABEL_APPROVE = "label.approve"  # release a draft for production use
SYNC_RETRY = "sync.retry"  # send an event the ERP refused once more

_WORDS = {
    LABEL_PRINT: "print labels",
    LABEL_REPRINT: "reprint labels",
    LABEL_EDIT: "edit label templates",
    LABEL_APPROVE: "approve label templates",
    SYNC_RETRY: "retry events the ERP refused",
}

#: role → permissions. One table: tests compare the services' behaviour with it.
POLICY: dict[str, frozenset[str]] = {
    "operator": frozenset({LABEL_PRINT}),
    "supervisor": frozenset({LABEL_PRINT, LABEL_REPRINT, SYNC_RETRY}),
    "qa": frozenset({LABEL_PRINT, LABEL_REPRINT, LABEL_APPROVE, SYNC_RETRY}),
    "admin": frozenset({LABEL_EDIT, SYNC_RETRY}),
}
ROLES = tuple(POLICY)


class NotPermittedError(StationError):
    """The actor's roles do not grant the permission; nothing was done."""

    def __init__(self, ctx: WriteContext, permission: str) -> None:
        self.permission = permission
        roles = ", ".join(sorted(ctx.roles)) or "no role"
        who = ctx.actor or "nobody"
        super().__init__(
            f"{who} ({roles}) may not {_WORDS.get(permission, permission)} ({permission})"
        )


def allowed(ctx: WriteContext, permission: str) -> bool:
    return any(permission in POLICY.get(role, frozenset()) for role in ctx.roles)


def require(ctx: WriteContext, permission: str) -> None:
    """Raise :class:`NotPermittedError` unless one of the actor's roles grants ``permission``."""
    if not allowed(ctx, permission):
        raise NotPermittedError(ctx, permission)


def audit_denial(conn: Connection, ctx: WriteContext, denied: NotPermittedError) -> None:
    """Record a refused attempt (``access.denied``) in the caller's new transaction: the denied
    action's own transaction was rolled back, like a service refusal (P11-F1, P11-G1)."""
    record_audit(
        conn,
        ctx,
        action="access.denied",
        entity="permission",
        entity_id=denied.permission,
        new={"roles": sorted(ctx.roles)},
        reason=str(denied),
    )
