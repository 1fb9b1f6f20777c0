"""CSV import and export of master data for standalone stations.

Export guards against formula injection (compliance SEC-9): a cell starting with ``=``, ``+``,
``-``, ``@``, TAB or CR gets a leading apostrophe, which spreadsheets show as text. Import undoes
exactly that guard, so exported files import back unchanged. Import is all-or-nothing: every
problem in the file is reported with its line, and nothing is stored unless there are none.

>>> guard_cell("=HYPERLINK(1)"), unguard_cell("'=HYPERLINK(1)"), unguard_cell("'plain")
("'=HYPERLINK(1)", '=HYPERLINK(1)', "'plain")
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, FromClause, select

from station.access import MASTERDATA_EDIT, require
from station.context import WriteContext
from station.masterdata.editing import Change, MasterDataError, upsert
from station.masterdata.specs import EntitySpec

_FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
MAX_ROWS = 100_000


def guard_cell(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_LEADS) else value


def unguard_cell(value: str) -> str:
    return value[1:] if value.startswith("'") and value[1:].startswith(_FORMULA_LEADS) else value


@dataclass(frozen=True, slots=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int


def _rows(spec: EntitySpec, text: str) -> list[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    header = reader.fieldnames or []
    missing = [c.name for c in spec.columns if c.required and c.name not in header]
    unknown = [h for h in header if h not in {c.name for c in spec.columns}]
    problems: list[tuple[int | None, str | None, str]] = [
        (1, name, "required column missing") for name in missing
    ]
    problems += [(1, name, "unknown column") for name in unknown]
    if len(set(header)) != len(header):
        problems.append((1, None, "a column appears twice"))
    if problems:
        raise MasterDataError(problems)
    rows = []
    try:
        for record in reader:
            if None in record:
                raise MasterDataError([(reader.line_num, None, "more cells than columns")])
            rows.append((reader.line_num, {k: unguard_cell(v or "") for k, v in record.items()}))
            if len(rows) > MAX_ROWS:
                raise MasterDataError([(None, None, f"more than {MAX_ROWS} rows")])
    except csv.Error as exc:
        raise MasterDataError([(reader.line_num, None, f"not valid CSV: {exc}")]) from exc
    return rows


def import_csv(
    conn: Connection, spec: EntitySpec, text: str, ctx: WriteContext, reason: str
) -> ImportResult:
    """Import ``text`` into ``spec``'s table inside the caller's transaction (permission
    ``masterdata.edit``, checked before the file is read)."""
    require(ctx, MASTERDATA_EDIT)
    problems: list[tuple[int | None, str | None, str]] = []
    changes: list[Change] = []
    seen: dict[str, int] = {}
    for line, cells in _rows(spec, text):
        key = "/".join(cells.get(k, "") for k in spec.key)
        if key in seen:
            problems.append((line, None, f"same key as line {seen[key]}"))
            continue
        seen[key] = line
        try:
            changes.append(upsert(conn, spec, cells, ctx, reason))
        except MasterDataError as exc:
            problems.extend((line, column, why) for _, column, why in exc.problems)
    if problems:
        raise MasterDataError(problems)
    count = {
        action: sum(c.action == action for c in changes)
        for action in ("created", "updated", "unchanged")
    }
    return ImportResult(count["created"], count["updated"], count["unchanged"])


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def export_csv(conn: Connection, spec: EntitySpec) -> str:
    """Every row of ``spec``'s table as CSV, references written as natural keys."""
    table = spec.table
    columns: list[ColumnElement[Any]] = [table.c[c.name] for c in spec.stored_columns]
    joins: FromClause = table
    for reference in spec.references:
        joins = joins.outerjoin(reference.table, table.c[reference.target] == reference.table.c.id)
        columns += [reference.table.c[col].label(csv_name) for csv_name, col in reference.pairs]
    query = select(*columns).select_from(joins).order_by(table.c.id)
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    names = [c.name for c in spec.columns]
    writer.writerow(names)
    for row in conn.execute(query).mappings():
        writer.writerow([guard_cell(_cell(row[name])) for name in names])
    return out.getvalue()
