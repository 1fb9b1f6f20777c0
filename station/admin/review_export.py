"""The access review (P11-U5) as a CSV file: every cell formula-guarded (SEC-9), UTF-8 with a
BOM, and the export audited (``export.access_review``) in the same writer transaction that
publishes the file, so the file never exists without its entry.

The rows are :func:`station.auth.review.access_review`'s; no secret or hash is in them (P11-U4).

>>> from station.auth.review import ReviewRow
>>> row = ReviewRow("li", "=HYPERLINK(1)", ("qa",), "B-7", True, False, None, "pin",
...                 "2026-01-01T00:00:00.000Z", 3, True, None, False)
>>> review_csv([row]).splitlines()[1]
"li,'=HYPERLINK(1),qa,B-7,yes,no,,pin,2026-01-01T00:00:00.000Z,3,yes,,no"
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection

from station.access import USER_MANAGE, require
from station.auth.review import ReviewRow, access_review
from station.context import WriteContext
from station.ledger.audit import record_audit
from station.masterdata.csvio import guard_cell
from station.persistence.backup import fsync_directory

__all__ = ["EXPORT_ACTION", "REVIEW_COLUMNS", "ReviewExport", "export_access_review", "review_csv"]

EXPORT_ACTION = "export.access_review"
REVIEW_COLUMNS = (
    "username",
    "printed_name",
    "roles",
    "badge",
    "active",
    "locked",
    "last_sign_in",
    "secret_kind",
    "secret_set_at",
    "secret_age_days",
    "must_change",
    "expires_at",
    "expired",
)


@dataclass(frozen=True, slots=True)
class ReviewExport:
    path: Path
    rows: int
    sha256: str
    audit_seq: int


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def _cells(row: ReviewRow) -> list[str]:
    return [
        row.username,
        row.name,
        " ".join(row.roles),
        row.badge or "",
        _yes(row.active),
        _yes(row.locked),
        row.last_login or "",
        row.secret_kind or "",
        row.secret_set_at or "",
        "" if row.secret_age_days is None else str(row.secret_age_days),
        _yes(row.must_change),
        row.expires_at or "",
        _yes(row.expired),
    ]


def review_csv(rows: Sequence[ReviewRow]) -> str:
    """The review as CSV text (no BOM), a header first; every cell guarded against formulas."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(REVIEW_COLUMNS)
    for row in rows:
        writer.writerow([guard_cell(cell) for cell in _cells(row)])
    return buffer.getvalue()


def export_access_review(conn: Connection, ctx: WriteContext, path: Path) -> ReviewExport:
    """Write the access review to ``path`` and audit it (``user.manage``), in the caller's
    writer transaction; the file appears (atomically) only together with its entry."""
    require(ctx, USER_MANAGE)
    rows = access_review(conn, now=ctx.now())
    data = review_csv(rows).encode("utf-8-sig")
    sha = hashlib.sha256(data).hexdigest()
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    staged = Path(name)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        link = record_audit(
            conn,
            ctx,
            action=EXPORT_ACTION,
            entity="file",
            entity_id=path.name,
            new={"path": str(path), "sha256": sha, "bytes": len(data), "users": len(rows)},
        )
        staged.replace(path)
    except BaseException:
        staged.unlink(missing_ok=True)
        raise
    fsync_directory(path.parent)
    return ReviewExport(path, len(rows), sha, link.seq)
