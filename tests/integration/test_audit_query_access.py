"""Reading the audit trail is a permission like any other (P11-G1: at the service, not only a
hidden screen): ``audit.view`` is checked before a row is read, for every role."""

from __future__ import annotations

from pathlib import Path

import pytest

from station.access import AUDIT_VIEW, POLICY, NotPermittedError
from station.context import WriteContext
from station.ledger.audit import record_audit
from station.ledger.audit_query import AuditFilter, audit_count, audit_rows, iter_audit_rows
from station.persistence.store import open_store
from tests.roles import READER


@pytest.mark.req("P11-G1")
@pytest.mark.parametrize("role", sorted(POLICY))
def test_reading_the_audit_trail_needs_audit_view(tmp_path: Path, role: str) -> None:
    store = open_store(tmp_path / "s.sqlite")
    try:
        store.writer.submit(
            lambda conn: record_audit(
                conn, READER, action="test.entry", entity="x", entity_id="1", reason="seed"
            )
        ).result()
        ctx = WriteContext("ST-1", actor="u-1", actor_name="One", roles=frozenset({role}))
        everything = AuditFilter()
        with store.engine.connect() as conn:
            if AUDIT_VIEW in POLICY[role]:
                assert [row.action for row in audit_rows(conn, ctx, everything)] == ["test.entry"]
                assert audit_count(conn, ctx, everything) == 1
            else:
                with pytest.raises(NotPermittedError):
                    audit_rows(conn, ctx, everything)
                with pytest.raises(NotPermittedError):
                    audit_count(conn, ctx, everything)
                with pytest.raises(NotPermittedError):
                    next(iter_audit_rows(conn, ctx, everything))
    finally:
        store.close()
