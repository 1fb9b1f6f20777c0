"""Create and change master data, each change audited in the same transaction (P11-E1, A11-9).

Rows are never deleted: deactivate them (``active = no``), so history keeps its meaning.
Every change needs a reason. All functions run inside the caller's write transaction; on any
problem they raise :class:`MasterDataError` listing every problem, and the caller rolls back.

People change master data through :func:`edit_row` or :func:`station.masterdata.csvio.import_csv`,
which check ``masterdata.edit`` first (P11-G1). :func:`upsert` is the unchecked step they share
with the ERP master-data pull (``station.sync.masterdata``), where the ERP is the authority and
the station applies what it was sent as the system; no screen or command calls it directly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, and_, select

from station.access import MASTERDATA_EDIT, require
from station.context import WriteContext
from station.errors import StationError
from station.ledger.audit import record_audit
from station.masterdata.specs import EntitySpec, Reference, parse_gtin
from station.udi import read_scan
from station.udi.checks import mod43_check


class MasterDataError(StationError):
    """Master data was refused; ``problems`` holds (line or None, column or None, reason)."""

    def __init__(self, problems: Sequence[tuple[int | None, str | None, str]]) -> None:
        self.problems = tuple(problems)
        lines = []
        for line, column, reason in self.problems:
            where = ", ".join(p for p in (f"line {line}" if line else "", column or "") if p)
            lines.append(f"{where}: {reason}" if where else reason)
        super().__init__("; ".join(lines))


@dataclass(frozen=True, slots=True)
class Change:
    action: str  # created | updated | unchanged
    key: str


def _scan_for_di(scheme: str, di: str) -> bytes:
    """A scan that carries exactly this DI, so the code reader can check it."""
    if scheme == "hibc":
        data = "+" + di
        return (data + mod43_check(data)).encode() if di.isascii() else di.encode()
    if scheme == "isbt128":
        return ("=/" + di).encode()
    if scheme == "ppn":
        return f"[)>\x1e06\x1d9N{di}\x1e\x04".encode()
    if scheme == "gs1":
        return ("]C101" + di).encode()
    return di.encode()  # ma


def check_product_di(scheme: str, di: str) -> str | None:
    """Why ``di`` is not a valid device identifier of ``scheme``, or None if it is."""
    if scheme == "gs1":  # the commonest case gets the most precise words
        try:
            parse_gtin(di)
        except ValueError as exc:
            return f"invalid device identifier: {exc}"
        return None
    try:
        code = read_scan(_scan_for_di(scheme, di))
    except (KeyError, ValueError):
        code = None
    if code is None or code.scheme.value != scheme or code.di != di:
        found = f" ({code.errors[0].code})" if code is not None and code.errors else ""
        return f"invalid device identifier: not a valid {scheme} device identifier{found}"
    return None


Problems = list[tuple[str | None, str]]  # (column, reason)


def parse_values(spec: EntitySpec, raw: Mapping[str, str]) -> tuple[dict[str, Any], Problems]:
    """Parse text cells; empty optional cells become None. Returns (values, problems)."""
    values: dict[str, Any] = {}
    problems: Problems = []
    unknown = set(raw) - {c.name for c in spec.columns}
    problems.extend((name, "unknown column") for name in sorted(unknown))
    for column in spec.columns:
        cell = raw.get(column.name, "")
        if cell == "":
            if column.required:
                problems.append((column.name, "required"))
            values[column.name] = None
            continue
        try:
            values[column.name] = column.parse(cell)
        except ValueError as exc:
            problems.append((column.name, str(exc)))
    if spec.name == "products" and not problems:
        reason = check_product_di(values["di_scheme"], values["di"])
        if reason:
            problems.append(("di", reason))
    return values, problems


def _resolve(conn: Connection, reference: Reference, values: Mapping[str, Any]) -> Any:
    if all(values.get(csv) is None for csv in reference.csv_columns):
        return None
    condition = and_(*(reference.table.c[col] == values[csv] for csv, col in reference.pairs))
    found = conn.execute(select(reference.table.c.id).where(condition)).scalar_one_or_none()
    if found is None:
        key = ", ".join(f"{csv}={values[csv]}" for csv in reference.csv_columns)
        msg = f"no {reference.table.name} with {key}"
        raise LookupError(msg)
    return found


def _blank(spec: EntitySpec, name: str) -> Any:
    """What an empty cell stores: NULL, or the column's default where NULL is not allowed."""
    column = spec.table.c[name]
    if column.nullable:
        return None
    default = column.default
    return getattr(default, "arg", None)


def _row(conn: Connection, spec: EntitySpec, values: Mapping[str, Any]) -> dict[str, Any]:
    row = {
        c.name: values[c.name] if values[c.name] is not None else _blank(spec, c.name)
        for c in spec.stored_columns
    }
    for reference in spec.references:
        row[reference.target] = _resolve(conn, reference, values)
    return row


def _natural_key(spec: EntitySpec, values: Mapping[str, Any]) -> str:
    return "/".join(str(values[k]) for k in spec.key)


def _key_condition(spec: EntitySpec, row: Mapping[str, Any], values: Mapping[str, Any]) -> Any:
    parts = []
    targets_done: set[str] = set()
    for name in spec.key:
        reference = next((r for r in spec.references if name in r.csv_columns), None)
        if reference is None:
            parts.append(spec.table.c[name] == values[name])
        elif reference.target not in targets_done:  # a composite reference: one condition
            targets_done.add(reference.target)
            parts.append(spec.table.c[reference.target] == row[reference.target])
    return and_(*parts)


def _audit(
    conn: Connection,
    ctx: WriteContext,
    *,
    action: str,
    spec: EntitySpec,
    key: str,
    old: Mapping[str, Any] | None,
    new: Mapping[str, Any] | None,
    reason: str,
) -> None:
    record_audit(
        conn,
        ctx,
        action=action,
        entity=str(spec.table.name),
        entity_id=key,
        old=old,
        new=new,
        reason=reason,
    )


def upsert(
    conn: Connection, spec: EntitySpec, raw: Mapping[str, str], ctx: WriteContext, reason: str
) -> Change:
    """Create or change one row from text values; audited; raises MasterDataError."""
    if not reason.strip():
        raise MasterDataError([(None, None, "a reason is required for every change")])
    values, problems = parse_values(spec, raw)
    if problems:
        raise MasterDataError([(None, column, why) for column, why in problems])
    try:
        row = _row(conn, spec, values)
    except LookupError as exc:
        raise MasterDataError([(None, None, str(exc))]) from exc
    key = _natural_key(spec, values)
    condition = _key_condition(spec, row, values)
    existing = conn.execute(select(spec.table).where(condition)).mappings().one_or_none()
    if existing is None:
        conn.execute(spec.table.insert().values(**row))
        _audit(
            conn,
            ctx,
            action="masterdata.create",
            spec=spec,
            key=key,
            old=None,
            new=row,
            reason=reason,
        )
        return Change("created", key)
    old = {name: existing[name] for name in row}
    if old == row:
        return Change("unchanged", key)
    conn.execute(spec.table.update().where(condition).values(**row))
    changed_old = {k: v for k, v in old.items() if row[k] != v}
    changed_new = {k: row[k] for k in changed_old}
    _audit(
        conn,
        ctx,
        action="masterdata.update",
        spec=spec,
        key=key,
        old=changed_old,
        new=changed_new,
        reason=reason,
    )
    return Change("updated", key)


def edit_row(
    conn: Connection, ctx: WriteContext, spec: EntitySpec, raw: Mapping[str, str], reason: str
) -> Change:
    """Create or change one row by a person (permission ``masterdata.edit``); see :func:`upsert`."""
    require(ctx, MASTERDATA_EDIT)
    return upsert(conn, spec, raw, ctx, reason)
