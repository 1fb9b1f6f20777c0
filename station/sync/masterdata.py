"""Master data from the ERP, applied on the station (docs/sync.md §7). Pure: no HTTP here.

Master data is server-authoritative and read-only on the station: the ERP sends pages of changed
rows (text values, like a CSV import) and tombstones (the key fields of removed rows). Every
change goes through :func:`station.masterdata.editing.upsert`, so it is validated and audited
exactly like an administrator's edit, with the reason :data:`SYNC_REASON`.

* A row that fails validation, or names a row the station does not have (a purchase order of an
  unknown supplier), is skipped inside a savepoint, so it is never half-applied; it is reported
  in :attr:`ApplyResult.problems` and audited as ``masterdata.sync_refused``. The rest applies.
* A tombstone deactivates rows of entities with an ``active`` column (products, suppliers,
  parties, locations, inspection plans, users): events keep naming them. Other rows (orders,
  order lines, inspection checkpoints) are deleted, each with a ``masterdata.delete`` audit
  entry holding the old row; deleting an order deletes its lines first.
* The cursor of each entity lives in ``sync_state`` under ``master_cursor:<entity>``. Pass it to
  :func:`apply_page` / :func:`resnapshot` so it is saved in the same transaction as the page it
  follows from: a crash never skips a page and never applies one twice by halves.
* :func:`resnapshot` applies a full snapshot (after the ERP answered ``410 Gone``) and removes
  every local row of that entity the snapshot lacks. It touches master data, the audit trail and
  the cursor only, never events, ``sync_ack`` or ``sync_rejection``.

A page is untrusted input: :func:`check_page` refuses wrong shapes and oversized values with
:class:`MasterPageError` before anything is written.

>>> cursor_key("products")
'master_cursor:products'
>>> rows, tombstones = check_page("users", [{"username": "li", "roles": "qa"}], [])
>>> check_page("users", [{"username": 7}], [])
Traceback (most recent call last):
...
station.sync.masterdata.MasterPageError: users page: row 1: username must be text
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, FromClause, and_, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from station.context import WriteContext, utc_now, utc_text
from station.errors import StationError
from station.ledger.audit import record_audit
from station.masterdata.editing import MasterDataError, upsert
from station.masterdata.specs import SPECS, EntitySpec
from station.persistence import tables

__all__ = [
    "CURSOR_PREFIX",
    "ENTITY_ORDER",
    "MAX_CURSOR_CHARS",
    "MAX_FIELDS",
    "MAX_PAGE_ITEMS",
    "MAX_VALUE_CHARS",
    "SYNC_REASON",
    "ApplyResult",
    "MasterPageError",
    "apply_page",
    "check_cursor",
    "check_page",
    "cursor_key",
    "load_cursor",
    "resnapshot",
    "save_cursor",
]

#: The order entities are pulled in: everything a row refers to comes before it.
ENTITY_ORDER: tuple[str, ...] = (
    "products",
    "suppliers",
    "parties",
    "locations",
    "purchase_orders",
    "purchase_order_lines",
    "sales_orders",
    "sales_order_lines",
    "inspection_plans",
    "inspection_checkpoints",
    "users",
)
SYNC_REASON = "ERP master-data sync"
REMOVED_REASON = f"{SYNC_REASON}: removed at the ERP"
RESNAPSHOT_REASON = f"{SYNC_REASON}: not in the ERP's snapshot"
CURSOR_PREFIX = "master_cursor:"

MAX_VALUE_CHARS = 4096  #: longest field value accepted (names, registration numbers …)
MAX_FIELDS = 64  #: most fields in one row or tombstone
MAX_PAGE_ITEMS = 10_000  #: most rows plus tombstones in one page
MAX_CURSOR_CHARS = 1024

_SYNC_STATE = tables.SyncState.__table__  # type: ignore[attr-defined]
#: Deleting one of these deletes its lines first (entity → (line entity, line column)).
_CASCADE = {
    "purchase_orders": ("purchase_order_lines", "po_id"),
    "sales_orders": ("sales_order_lines", "so_id"),
}


class MasterPageError(StationError):
    """A page from the ERP is malformed (not the agreed shape); nothing of it was applied."""


@dataclass(slots=True)
class ApplyResult:
    """What one page (or snapshot) did; ``problems`` are (natural key, reason) of skipped rows."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    problems: list[tuple[str, str]] = field(default_factory=list)

    def add(self, other: ApplyResult) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.removed += other.removed
        self.problems.extend(other.problems)


# ----------------------------------------------------------------------------- input shape


def _spec(entity: str) -> EntitySpec:
    if entity not in ENTITY_ORDER:
        msg = f"unknown master-data entity {entity[:64]!r}"
        raise MasterPageError(msg)
    return SPECS[entity]


def _check_record(entity: str, what: str, record: object) -> dict[str, str]:
    if not isinstance(record, Mapping):
        msg = f"{entity} page: {what} is not an object"
        raise MasterPageError(msg)
    if len(record) > MAX_FIELDS:
        msg = f"{entity} page: {what} has more than {MAX_FIELDS} fields"
        raise MasterPageError(msg)
    checked: dict[str, str] = {}
    for name, value in record.items():
        if not isinstance(name, str) or len(name) > 64:
            msg = f"{entity} page: {what} has a field name that is not short text"
            raise MasterPageError(msg)
        if not isinstance(value, str):
            msg = f"{entity} page: {what}: {name[:64]} must be text"
            raise MasterPageError(msg)
        if len(value) > MAX_VALUE_CHARS:
            msg = f"{entity} page: {what}: {name} is longer than {MAX_VALUE_CHARS} characters"
            raise MasterPageError(msg)
        checked[name] = value
    return checked


def _as_list(entity: str, name: str, items: object) -> Sequence[object]:
    if not isinstance(items, Sequence) or isinstance(items, str | bytes):
        msg = f"{entity} page: {name} is not a list"
        raise MasterPageError(msg)
    return items


def check_page(
    entity: str, rows: object, tombstones: object
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """The page's rows and tombstones as plain dicts of text; MasterPageError if malformed."""
    _spec(entity)
    rows = _as_list(entity, "rows", rows)
    tombstones = _as_list(entity, "tombstones", tombstones)
    if len(rows) + len(tombstones) > MAX_PAGE_ITEMS:
        msg = f"{entity} page: more than {MAX_PAGE_ITEMS} rows and tombstones"
        raise MasterPageError(msg)
    checked_rows = [_check_record(entity, f"row {n}", r) for n, r in enumerate(rows, 1)]
    checked_tombstones = [
        _check_record(entity, f"tombstone {n}", t) for n, t in enumerate(tombstones, 1)
    ]
    return checked_rows, checked_tombstones


def check_cursor(cursor: object) -> str:
    """An opaque cursor: short printable text, else MasterPageError."""
    if (
        not isinstance(cursor, str)
        or not cursor
        or len(cursor) > MAX_CURSOR_CHARS
        or not cursor.isprintable()
    ):
        msg = f"the cursor is not printable text of 1 to {MAX_CURSOR_CHARS} characters"
        raise MasterPageError(msg)
    return cursor


# ----------------------------------------------------------------------------- cursors


def cursor_key(entity: str) -> str:
    return CURSOR_PREFIX + entity


def load_cursor(conn: Connection, entity: str) -> str | None:
    """The cursor to continue ``entity`` from, or None to start from the beginning."""
    value = conn.execute(
        select(_SYNC_STATE.c.value).where(_SYNC_STATE.c.key == cursor_key(entity))
    ).scalar_one_or_none()
    return None if value is None else str(value)


def save_cursor(conn: Connection, entity: str, cursor: str, *, at: datetime | None = None) -> None:
    """Store ``entity``'s cursor inside the caller's transaction (the page's own)."""
    moment = utc_text(at if at is not None else utc_now())
    statement = sqlite_insert(_SYNC_STATE).values(
        key=cursor_key(entity), value=check_cursor(cursor), updated_at=moment
    )
    conn.execute(
        statement.on_conflict_do_update(
            index_elements=[_SYNC_STATE.c.key],
            set_={"value": statement.excluded.value, "updated_at": statement.excluded.updated_at},
        )
    )


# ----------------------------------------------------------------------------- keys and rows


class _BadKeyError(ValueError):
    pass


def _raw_key(spec: EntitySpec, raw: Mapping[str, str]) -> str:
    return "/".join(raw.get(name, "") for name in spec.key)


def _parse_key(spec: EntitySpec, raw: Mapping[str, str]) -> tuple[Any, ...]:
    """The natural key as stored values, in ``spec.key`` order; _BadKeyError if unusable."""
    values = []
    for name in spec.key:
        cell = raw.get(name, "")
        if cell == "":
            msg = f"{name}: required"
            raise _BadKeyError(msg)
        try:
            values.append(spec.column(name).parse(cell))
        except ValueError as exc:
            msg = f"{name}: {exc}"
            raise _BadKeyError(msg) from exc
    return tuple(values)


def _key_text(key: tuple[Any, ...]) -> str:
    return "/".join(str(part) for part in key)


def _find(conn: Connection, spec: EntitySpec, key: tuple[Any, ...]) -> Mapping[str, Any] | None:
    """The local row with this natural key, or None (also when a referenced row is unknown)."""
    values = dict(zip(spec.key, key, strict=True))
    conditions = []
    done: set[str] = set()
    for name in spec.key:
        reference = next((r for r in spec.references if name in r.csv_columns), None)
        if reference is None:
            conditions.append(spec.table.c[name] == values[name])
            continue
        if reference.target in done:
            continue
        done.add(reference.target)
        parent = conn.execute(
            select(reference.table.c.id).where(
                and_(*(reference.table.c[col] == values[csv] for csv, col in reference.pairs))
            )
        ).scalar_one_or_none()
        if parent is None:
            return None
        conditions.append(spec.table.c[reference.target] == parent)
    found = conn.execute(select(spec.table).where(and_(*conditions))).mappings().one_or_none()
    return dict(found) if found is not None else None


def _local_rows(
    conn: Connection, spec: EntitySpec, *, where: Any = None
) -> Iterator[tuple[tuple[Any, ...], dict[str, Any]]]:
    """Local rows of ``spec`` (all, or those matching ``where``) with their natural keys."""
    table = spec.table
    joins: FromClause = table
    labels = []
    for reference in spec.references:
        joins = joins.outerjoin(reference.table, table.c[reference.target] == reference.table.c.id)
        labels += [reference.table.c[col].label(f"ref__{csv}") for csv, col in reference.pairs]
    query = select(table, *labels).select_from(joins).order_by(table.c.id)
    if where is not None:
        query = query.where(where)
    referenced = {csv for r in spec.references for csv in r.csv_columns}
    for found in conn.execute(query).mappings().all():
        key = tuple(found[f"ref__{k}"] if k in referenced else found[k] for k in spec.key)
        yield key, {c.name: found[c.name] for c in table.columns}


# ----------------------------------------------------------------------------- changes


def _refuse(
    conn: Connection, spec: EntitySpec, key: str, reason: str, ctx: WriteContext
) -> tuple[str, str]:
    record_audit(
        conn,
        ctx,
        action="masterdata.sync_refused",
        entity=str(spec.table.name),
        entity_id=key,
        new={"problem": reason},
        reason=SYNC_REASON,
    )
    return key, reason


def _apply_row(
    conn: Connection,
    spec: EntitySpec,
    raw: Mapping[str, str],
    ctx: WriteContext,
    result: ApplyResult,
) -> None:
    try:
        with conn.begin_nested():  # a row is applied whole or not at all
            change = upsert(conn, spec, raw, ctx, SYNC_REASON)
    except MasterDataError as exc:
        result.problems.append(_refuse(conn, spec, _raw_key(spec, raw), str(exc), ctx))
        return
    except IntegrityError as exc:
        reason = f"refused by the database: {str(exc.orig)[:200]}"
        result.problems.append(_refuse(conn, spec, _raw_key(spec, raw), reason, ctx))
        return
    if change.action == "created":
        result.created += 1
    elif change.action == "updated":
        result.updated += 1
    else:
        result.unchanged += 1


def _delete(
    conn: Connection,
    spec: EntitySpec,
    row: Mapping[str, Any],
    key: str,
    ctx: WriteContext,
    *,
    reason: str,
) -> None:
    cascade = _CASCADE.get(spec.name)
    if cascade is not None:
        line_spec = SPECS[cascade[0]]
        mine = line_spec.table.c[cascade[1]] == row["id"]
        for line_key, line in list(_local_rows(conn, line_spec, where=mine)):
            _delete(conn, line_spec, line, _key_text(line_key), ctx, reason=reason)
    conn.execute(spec.table.delete().where(spec.table.c.id == row["id"]))
    record_audit(
        conn,
        ctx,
        action="masterdata.delete",
        entity=str(spec.table.name),
        entity_id=key,
        old={k: v for k, v in row.items() if k != "id"},
        reason=reason,
    )


def _remove(
    conn: Connection,
    spec: EntitySpec,
    row: Mapping[str, Any],
    key: str,
    ctx: WriteContext,
    *,
    reason: str,
) -> bool:
    """Deactivate or delete ``row``; False when there was nothing to do (already inactive)."""
    if "active" in spec.table.c:
        if not row["active"]:
            return False
        conn.execute(spec.table.update().where(spec.table.c.id == row["id"]).values(active=False))
        record_audit(
            conn,
            ctx,
            action="masterdata.update",
            entity=str(spec.table.name),
            entity_id=key,
            old={"active": True},
            new={"active": False},
            reason=reason,
        )
        return True
    _delete(conn, spec, row, key, ctx, reason=reason)
    return True


def _apply_tombstone(
    conn: Connection,
    spec: EntitySpec,
    raw: Mapping[str, str],
    ctx: WriteContext,
    result: ApplyResult,
) -> None:
    extra = sorted(set(raw) - set(spec.key))
    try:
        if extra:
            msg = f"a tombstone holds only the key ({', '.join(spec.key)}), not {extra[0]}"
            raise _BadKeyError(msg)
        key = _parse_key(spec, raw)
    except _BadKeyError as exc:
        result.problems.append(_refuse(conn, spec, _raw_key(spec, raw), str(exc), ctx))
        return
    row = _find(conn, spec, key)
    if row is not None and _remove(conn, spec, row, _key_text(key), ctx, reason=REMOVED_REASON):
        result.removed += 1
    else:
        result.unchanged += 1


def apply_page(
    conn: Connection,
    entity: str,
    rows: Sequence[Mapping[str, str]],
    tombstones: Sequence[Mapping[str, str]],
    ctx: WriteContext,
    *,
    cursor: str | None = None,
) -> ApplyResult:
    """Apply one page inside the caller's transaction; with ``cursor``, save it there too.

    Rows first, then tombstones. Raises MasterPageError (write nothing: roll back) if the page
    is malformed; rows with problems are skipped and reported.
    """
    spec = _spec(entity)
    checked_rows, checked_tombstones = check_page(entity, rows, tombstones)
    if cursor is not None:
        check_cursor(cursor)
    result = ApplyResult()
    for raw in checked_rows:
        _apply_row(conn, spec, raw, ctx, result)
    for raw in checked_tombstones:
        _apply_tombstone(conn, spec, raw, ctx, result)
    if cursor is not None:
        save_cursor(conn, entity, cursor, at=ctx.now())
    return result


def resnapshot(
    conn: Connection,
    entity: str,
    rows: Sequence[Mapping[str, str]],
    ctx: WriteContext,
    *,
    cursor: str | None = None,
) -> ApplyResult:
    """Make ``entity`` equal to a full snapshot, inside the caller's one transaction.

    Every snapshot row is applied like a page's; every local row whose natural key is not in
    the snapshot is removed like a tombstone. A snapshot row with a problem keeps its local
    row (the ERP still has it). Events, acks and rejections are never touched.
    """
    spec = _spec(entity)
    checked_rows, _ = check_page(entity, rows, [])
    if cursor is not None:
        check_cursor(cursor)
    result = ApplyResult()
    keep: set[tuple[Any, ...]] = set()
    for raw in checked_rows:
        with suppress(_BadKeyError):  # upsert reports it
            keep.add(_parse_key(spec, raw))
        _apply_row(conn, spec, raw, ctx, result)
    for key, row in list(_local_rows(conn, spec)):
        if key in keep:
            continue
        if _remove(conn, spec, row, _key_text(key), ctx, reason=RESNAPSHOT_REASON):
            result.removed += 1
    if cursor is not None:
        save_cursor(conn, entity, cursor, at=ctx.now())
    return result
