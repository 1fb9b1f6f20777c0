"""What each master-data entity looks like outside the database: its CSV columns and rules.

One declaration per entity drives CSV import, CSV export and the audited edit path, so they
cannot disagree. Values arrive as text (a CSV cell, a form field); each column's ``parse`` turns
the text into the stored value or raises ValueError with a reason a person can act on.
References between entities use natural keys (``supplier_code``), never database ids.

>>> parse_gtin("04012345123456")
'04012345123456'
>>> parse_gtin("04012345123457")
Traceback (most recent call last):
...
ValueError: check digit should be 6
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Table

from station.access import ROLES
from station.persistence import tables
from station.udi.checks import gs1_check_digit, gs1_check_digit_ok

Parser = Callable[[str], Any]


# ----------------------------------------------------------------------------- value parsers


def text(value: str) -> str:
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in value):
        msg = "control characters are not allowed"
        raise ValueError(msg)
    return value


def whole_number(value: str) -> int:
    if not value.isascii() or not value.lstrip("-").isdigit():
        msg = "must be a whole number"
        raise ValueError(msg)
    return int(value)


def non_negative(value: str) -> int:
    number = whole_number(value)
    if number < 0:
        msg = "must not be negative"
        raise ValueError(msg)
    return number


def positive_quantity(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        msg = "must be a number"
        raise ValueError(msg) from None
    if not number > 0 or number == float("inf"):
        msg = "must be more than zero"
        raise ValueError(msg)
    return number


def decimal_number(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        msg = "must be a number"
        raise ValueError(msg) from None
    if not math.isfinite(number):
        msg = "must be a finite number"
        raise ValueError(msg)
    return number


def yes_no(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in ("1", "true", "yes", "y"):
        return True
    if lowered in ("0", "false", "no", "n"):
        return False
    msg = "must be yes or no"
    raise ValueError(msg)


def iso_date(value: str) -> str:
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        msg = "must be a date YYYY-MM-DD"
        raise ValueError(msg) from None


def one_of(*options: str) -> Parser:
    def parse(value: str) -> str:
        if value not in options:
            msg = f"must be one of {', '.join(options)}"
            raise ValueError(msg)
        return value

    return parse


def _gs1_key(value: str, length: int, name: str) -> str:
    if len(value) != length or not (value.isascii() and value.isdigit()):
        msg = f"a {name} has {length} digits"
        raise ValueError(msg)
    if not gs1_check_digit_ok(value):
        msg = f"check digit should be {gs1_check_digit(value[:-1])}"
        raise ValueError(msg)
    return value


def parse_roles(value: str) -> str:
    """Space-separated roles, each known, each once; stored in the order of ``ROLES``.

    >>> parse_roles("qa  operator")
    'operator qa'
    >>> parse_roles("operator root")
    Traceback (most recent call last):
    ...
    ValueError: unknown role root (roles: operator, inspector, supervisor, qa, admin)
    """
    names = value.split()
    for name in names:
        if name not in ROLES:
            msg = f"unknown role {name} (roles: {', '.join(ROLES)})"
            raise ValueError(msg)
    if len(set(names)) != len(names):
        msg = "a role appears twice"
        raise ValueError(msg)
    return " ".join(role for role in ROLES if role in names)


def parse_gtin(value: str) -> str:
    return _gs1_key(value, 14, "GTIN-14")


def parse_gln(value: str) -> str:
    return _gs1_key(value, 13, "GLN")


# ----------------------------------------------------------------------------- declarations


@dataclass(frozen=True, slots=True)
class Column:
    """A CSV column; stored in the table column of the same name unless a reference uses it."""

    name: str
    parse: Parser = text
    required: bool = False


@dataclass(frozen=True, slots=True)
class Reference:
    """CSV columns naming a row of another table by its natural key, stored as ``target`` id."""

    target: str
    table: Table
    pairs: tuple[tuple[str, str], ...]  # (CSV column, referenced table column)

    @property
    def csv_columns(self) -> tuple[str, ...]:
        return tuple(csv for csv, _ in self.pairs)


@dataclass(frozen=True, slots=True)
class EntitySpec:
    name: str
    table: Table
    key: tuple[str, ...]  # CSV column names forming the natural key
    columns: tuple[Column, ...]
    references: tuple[Reference, ...] = ()

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def stored_columns(self) -> tuple[Column, ...]:
        referenced = {c for r in self.references for c in r.csv_columns}
        return tuple(c for c in self.columns if c.name not in referenced)


def _ref(target: str, table: Table, *pairs: tuple[str, str]) -> Reference:
    return Reference(target, table, pairs)


def _t(model: Any) -> Table:
    table: Table = model.__table__
    return table


PRODUCT, SUPPLIER, PARTY = _t(tables.Product), _t(tables.Supplier), _t(tables.Party)
LOCATION, PO, SO = _t(tables.Location), _t(tables.PurchaseOrder), _t(tables.SalesOrder)
PLAN = _t(tables.InspectionPlan)

SPECS: dict[str, EntitySpec] = {
    spec.name: spec
    for spec in (
        EntitySpec(
            "products",
            PRODUCT,
            ("di",),
            (
                Column("di", required=True),
                Column("di_scheme", one_of("gs1", "hibc", "isbt128", "ppn", "ma"), required=True),
                Column("name_zh", required=True),
                Column("name_en", required=True),
                Column("model"),
                Column("registration_no"),
                Column("device_class", one_of("I", "II", "III")),
                Column("shelf_life_days", non_negative),
                Column("trace_level", one_of("lot", "serial"), required=True),
                Column("is_material", yes_no),
                Column("active", yes_no),
            ),
        ),
        EntitySpec(
            "suppliers",
            _t(tables.Supplier),
            ("code",),
            (
                Column("code", required=True),
                Column("name", required=True),
                Column("gln", parse_gln),
                Column(
                    "qualification",
                    one_of("qualified", "conditional", "disqualified"),
                    required=True,
                ),
                Column("qualified_until", iso_date),
                Column("active", yes_no),
            ),
        ),
        EntitySpec(
            "parties",
            PARTY,
            ("code",),
            (
                Column("code", required=True),
                Column("name", required=True),
                Column("gln", parse_gln),
                Column("kind", one_of("customer", "distributor"), required=True),
                Column("active", yes_no),
            ),
        ),
        EntitySpec(
            "locations",
            LOCATION,
            ("code",),
            (
                Column("code", required=True),
                Column("name", required=True),
                Column("gln", parse_gln),
                Column("kind", one_of("dock", "line", "qc", "warehouse", "quarantine", "site")),
                Column("active", yes_no),
            ),
        ),
        EntitySpec(
            "purchase_orders",
            PO,
            ("number",),
            (
                Column("number", required=True),
                Column("supplier_code", required=True),
                Column("status", one_of("open", "closed", "cancelled")),
                Column("ordered_at", iso_date),
            ),
            (_ref("supplier_id", SUPPLIER, ("supplier_code", "code")),),
        ),
        EntitySpec(
            "purchase_order_lines",
            _t(tables.PurchaseOrderLine),
            ("po_number", "line_no"),
            (
                Column("po_number", required=True),
                Column("line_no", non_negative, required=True),
                Column("product_di", required=True),
                Column("quantity", positive_quantity, required=True),
                Column("uom"),
            ),
            (
                _ref("po_id", PO, ("po_number", "number")),
                _ref("product_id", PRODUCT, ("product_di", "di")),
            ),
        ),
        EntitySpec(
            "sales_orders",
            SO,
            ("number",),
            (
                Column("number", required=True),
                Column("party_code", required=True),
                Column("status", one_of("open", "closed", "cancelled")),
                Column("ordered_at", iso_date),
            ),
            (_ref("party_id", PARTY, ("party_code", "code")),),
        ),
        EntitySpec(
            "sales_order_lines",
            _t(tables.SalesOrderLine),
            ("so_number", "line_no"),
            (
                Column("so_number", required=True),
                Column("line_no", non_negative, required=True),
                Column("product_di", required=True),
                Column("quantity", positive_quantity, required=True),
                Column("uom"),
            ),
            (
                _ref("so_id", SO, ("so_number", "number")),
                _ref("product_id", PRODUCT, ("product_di", "di")),
            ),
        ),
        EntitySpec(
            "inspection_plans",
            PLAN,
            ("code", "version"),
            (
                Column("code", required=True),
                Column("version", non_negative, required=True),
                Column("name", required=True),
                Column("product_di"),
                Column("active", yes_no),
            ),
            (_ref("product_id", PRODUCT, ("product_di", "di")),),
        ),
        EntitySpec(
            "inspection_checkpoints",
            _t(tables.InspectionCheckpoint),
            ("plan_code", "plan_version", "position"),
            (
                Column("plan_code", required=True),
                Column("plan_version", non_negative, required=True),
                Column("position", non_negative, required=True),
                Column("name", required=True),
                Column("kind", one_of("numeric", "pass_fail", "text"), required=True),
                Column("lower_limit", decimal_number),
                Column("upper_limit", decimal_number),
                Column("unit"),
            ),
            (_ref("plan_id", PLAN, ("plan_code", "code"), ("plan_version", "version")),),
        ),
        EntitySpec(
            "users",
            _t(tables.StationUser),
            ("username",),
            (
                Column("username", required=True),
                Column("name", required=True),
                Column("roles", parse_roles, required=True),
                Column("badge"),
                Column("active", yes_no),
            ),
        ),
    )
}

#: Order in which entities can be imported (references point backwards).
IMPORT_ORDER = tuple(SPECS)
