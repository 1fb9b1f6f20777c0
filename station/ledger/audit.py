"""Write one audit entry from a write context: who, when, where, what, old → new, why.

Every audited action (master-data change, refusal, login, print, export, sync result) goes
through :func:`record_audit`, so entries are complete and alike (compliance P11-E1). It runs
inside the caller's transaction, the same one as the change it describes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection

from station.context import WriteContext, offset_text, utc_text
from station.ledger.canonical import canonical_json
from station.ledger.chain import ChainLink, append_audit


def record_audit(
    conn: Connection,
    ctx: WriteContext,
    *,
    action: str,
    entity: str | None = None,
    entity_id: str | None = None,
    old: Mapping[str, Any] | None = None,
    new: Mapping[str, Any] | None = None,
    reason: str | None = None,
) -> ChainLink:
    """Append an audit entry; ``old``/``new`` are stored as canonical JSON."""
    moment = ctx.now()
    return append_audit(
        conn,
        {
            "at": utc_text(moment),
            "at_offset": offset_text(moment),
            "actor": ctx.actor,
            "actor_name": ctx.actor_name,
            "action": action,
            "entity": entity,
            "entity_id": entity_id,
            "old_value": canonical_json(dict(old)) if old is not None else None,
            "new_value": canonical_json(dict(new)) if new is not None else None,
            "reason": reason,
            "station": ctx.station,
            "app_version": ctx.app_version,
        },
    )
