"""The one refusal type every service raises, and how a refusal is audited (P11-F1)."""

from __future__ import annotations

from sqlalchemy import Connection

from station.context import WriteContext, offset_text, utc_text
from station.errors import StationError
from station.ledger import append_audit, canonical_json

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
    moment = ctx.now()
    append_audit(
        conn,
        {
            "at": utc_text(moment),
            "at_offset": offset_text(moment),
            "actor": ctx.actor,
            "actor_name": ctx.actor_name,
            "action": "service.refused",
            "entity": "item" if refused.subject else None,
            "entity_id": refused.subject,
            "old_value": None,
            "new_value": canonical_json({"reason": refused.reason}),
            "reason": str(refused),
            "station": ctx.station,
            "app_version": ctx.app_version,
        },
    )
