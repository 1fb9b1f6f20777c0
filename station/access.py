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
    "NotAuthenticatedError",
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
# The station at work (issue 7). Policy rows for these are filled in with login.
GOODS_IN = "scan.goods_in"  # receive supplier material against a PO (or refuse it)
INSPECTION_RECORD = "inspection.record"  # enter inspection results
INSPECTION_SIGN = "inspection.sign"  # sign an inspection record (reviewed / rejected)
LOT_RELEASE = "lot.release"  # release a lot or unit (signed: released)
LOT_HOLD = "lot.hold"  # place a hold on a lot or unit
COMMISSION = "production.commission"  # allocate serials / commission units
PACK = "packing.pack"  # aggregate units into cases, cases into pallets
UNPACK = "packing.unpack"  # take units out of a case or pallet (with a reason)
SHIP = "shipping.ship"  # ship against a sales order
RETURN = "returns.receive"  # receive a customer return
TRACE_VIEW = "trace.view"  # look up any code's history and genealogy
RECALL_RUN = "recall.run"  # compute an affected set, run a mock recall
REPORT_EXPORT = "report.export"  # export trace/recall/audit reports
AUDIT_VIEW = "audit.view"  # read and verify the audit trail
RECORD_CORRECT = "record.correct"  # declare an event erroneous (correction)
MASTERDATA_EDIT = "masterdata.edit"  # change products, suppliers, orders, plans
USER_MANAGE = "user.manage"  # create, deactivate, unlock users; reset secrets
SETTINGS_MANAGE = "settings.manage"  # devices, printers, station settings

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


class NotAuthenticatedError(StationError):
    """Nobody is signed in, or the session has ended (P11-D1); nothing was done."""


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
    """Raise :class:`NotPermittedError` unless one of the actor's roles grants ``permission``;
    :class:`NotAuthenticatedError` first if the context's login session has ended."""
    if ctx.session is not None:
        ctx.session.check()
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
