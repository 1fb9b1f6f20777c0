"""The one refusal type every service raises, and how a refusal is audited (P11-F1)."""

from __future__ import annotations

from sqlalchemy import Connection

from station.context import WriteContext
from station.errors import StationError
from station.ledger.audit import record_audit

__all__ = ["Refused", "audit_refusal"]


class Refused(StationError):  # noqa: N818 - a refusal is an outcome, not an error
    """A service refused an action; nothing was written.

    ``reason`` is a stable code for programs and tests (``expired``, ``on_hold`` …);
    the message is for the operator. ``subject`` names the offending item or document.
    """

    def __init__(self, reason: str, message: str, *, subject: str | None = None) -> None:
        self.reason = reason
        self.subject = subject
        super().__init__(message)


def audit_refusal(conn: Connection, ctx: WriteContext, refused: Refused) -> None:
    """Record a refusal in the audit chain, in the caller's (new) transaction.

    The service's own transaction was rolled back, so the caller audits in a fresh one.
    """
    record_audit(
        conn,
        ctx,
        action="service.refused",
        entity="item" if refused.subject else None,
        entity_id=refused.subject,
        new={"reason": refused.reason},
        reason=str(refused),
    )
