"""The master-data feed of the reference ERP: ``GET /sync/master/{entity}?cursor=…&limit=N``.

Every change the ERP makes to a master-data row is appended to one change table in the
simulator's SQLite file::

    change(seq INTEGER PRIMARY KEY AUTOINCREMENT, entity, key_json, row_json NULL = tombstone)

A page is the entity's changes with ``seq`` above the cursor, in ``seq`` order, at most ``limit``
of them, compacted so each key appears once (its last change in the page). The cursor is that
server-side sequence, encoded opaquely (``v1:<seq>`` in URL-safe base64), never a timestamp.

Compaction (:meth:`MasterData.compact`) deletes superseded changes and tombstones and raises the
retention horizon to the current highest ``seq``: every cursor below it is then answered
``410 Gone`` (problem type :data:`CURSOR_EXPIRED`) and the client re-snapshots from an empty
cursor. The last page of a feed (``has_more`` false) hands out the server's high-water mark as
``next_cursor``, so a client that has read everything never falls below the horizon.

Rows are what the station's CSV export writes: every column of the entity, every value a string
(an empty string for no value). Entities and columns follow ``station.masterdata.specs.SPECS``,
plus ``users`` (see :data:`USERS`).
"""

from __future__ import annotations

import base64
import binascii
import json
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from station.masterdata.specs import SPECS
from sync.erp_sim.capture import Outcome, problem
from sync.erp_sim.storage import Storage

__all__ = [
    "CURSOR_EXPIRED",
    "DEFAULT_LIMIT",
    "ENTITIES",
    "MAX_LIMIT",
    "ROLES",
    "USERS",
    "Cursor",
    "EntityShape",
    "MasterData",
    "MasterDataError",
    "decode_cursor",
    "encode_cursor",
]

CURSOR_EXPIRED = "https://udi-station.example/problems/cursor-expired"
DEFAULT_LIMIT = 500
MAX_LIMIT = 5000
ROLES = ("operator", "supervisor", "qa", "admin")
_MAX_ADMIN_CHANGES = 100_000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS change (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    entity TEXT NOT NULL,
    key_json TEXT NOT NULL,
    row_json TEXT
);
CREATE INDEX IF NOT EXISTS change_entity_seq ON change (entity, seq);
CREATE TABLE IF NOT EXISTS master_horizon (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL
);
INSERT OR IGNORE INTO master_horizon VALUES (1, 0);
"""


class MasterDataError(ValueError):
    """A master-data row or key the feed refuses; the message says which and why."""


@dataclass(frozen=True)
class EntityShape:
    """One entity of the feed: its natural key and every field of its rows, in order."""

    name: str
    key: tuple[str, ...]
    fields: tuple[str, ...]


#: ``users``: not a CSV entity of the station, but fed the same way.
USERS = EntityShape("users", ("username",), ("username", "name", "roles", "badge", "active"))

ENTITIES: dict[str, EntityShape] = {
    **{
        name: EntityShape(name, spec.key, tuple(column.name for column in spec.columns))
        for name, spec in SPECS.items()
    },
    USERS.name: USERS,
}


# ----------------------------------------------------------------------------- cursors


@dataclass(frozen=True)
class Cursor:
    """A position in the change feed: the last ``seq`` read, and the horizon when it was issued."""

    seq: int
    horizon: int = 0


def encode_cursor(cursor: Cursor) -> str:
    """URL-safe base64 of ``v1:<seq>:<horizon>``, no padding: opaque to clients."""
    text = f"v1:{cursor.seq}:{cursor.horizon}"
    return base64.urlsafe_b64encode(text.encode()).decode("ascii").rstrip("=")


def decode_cursor(text: str) -> Cursor | None:
    """The position inside ``text``, or ``None`` when it is not one of ours."""
    if len(text) > 96 or not text.isascii():
        return None
    try:
        plain = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    version, *numbers = plain.split(":")
    if version != "v1" or len(numbers) not in (1, 2):
        return None
    if not all(n.isdecimal() and n.isascii() and len(n) <= 18 for n in numbers):
        return None
    return Cursor(*(int(n) for n in numbers))


# ----------------------------------------------------------------------------- validation


def _shape(entity: str) -> EntityShape:
    shape = ENTITIES.get(entity)
    if shape is None:
        raise MasterDataError(f"unknown entity {entity[:64]!r} (one of {', '.join(ENTITIES)})")
    return shape


def _check_strings(shape: EntityShape, values: object, what: str) -> dict[str, str]:
    if not isinstance(values, Mapping):
        raise MasterDataError(f"{shape.name}: a {what} must be a JSON object")
    unknown = [name for name in values if name not in shape.fields]
    if unknown:
        raise MasterDataError(f"{shape.name}: unknown field {str(unknown[0])[:64]!r}")
    for name, value in values.items():
        if not isinstance(value, str):
            raise MasterDataError(f"{shape.name}: {name} must be a string")
    for name in shape.key:
        if not values.get(name):
            raise MasterDataError(f"{shape.name}: key field {name} is missing or empty")
    return {str(name): str(value) for name, value in values.items()}


def _check_row(shape: EntityShape, row: object) -> dict[str, str]:
    given = _check_strings(shape, row, "row")
    if shape is USERS:
        roles = given.get("roles", "").split()
        if any(role not in ROLES for role in roles):
            raise MasterDataError(f"users: roles must be a subset of {' '.join(ROLES)}")
        if given.get("active", "") not in ("", "yes", "no"):
            raise MasterDataError("users: active must be yes or no")
    return {name: given.get(name, "") for name in shape.fields}


def _check_key(shape: EntityShape, key: object) -> dict[str, str]:
    given = _check_strings(shape, key, "tombstone")
    extra = [name for name in given if name not in shape.key]
    if extra:
        raise MasterDataError(f"{shape.name}: a tombstone holds only the key ({extra[0]})")
    return given


def _key_json(shape: EntityShape, values: Mapping[str, str]) -> str:
    return json.dumps({name: values[name] for name in shape.key}, separators=(",", ":"))


# ----------------------------------------------------------------------------- the feed


@dataclass(frozen=True)
class Page:
    rows: list[dict[str, str]]
    tombstones: list[dict[str, str]]
    next_cursor: str
    has_more: bool

    def to_json(self, entity: str) -> dict[str, Any]:
        return {
            "entity": entity,
            "rows": self.rows,
            "tombstones": self.tombstones,
            "next_cursor": self.next_cursor,
            "has_more": self.has_more,
        }


class MasterData:
    """The ERP's master data as a change feed (``erp.master`` on a running simulator)."""

    def __init__(self, storage: Storage) -> None:
        self._storage = storage
        storage.ensure(_SCHEMA)

    # --- changes ---------------------------------------------------------------------------

    def put(self, entity: str, row: Mapping[str, str]) -> int:
        """Create or replace the row with ``row``'s key; returns the change's ``seq``."""
        shape = _shape(entity)
        full = _check_row(shape, row)
        with self._storage.transaction() as db:
            return _append(db, shape, full, full)

    def delete(self, entity: str, key: Mapping[str, str]) -> int:
        """Delete the row with ``key`` (a tombstone); returns the change's ``seq``."""
        shape = _shape(entity)
        checked = _check_key(shape, key)
        with self._storage.transaction() as db:
            return _append(db, shape, checked, None)

    def apply(
        self,
        entity: str,
        rows: Sequence[Mapping[str, str]],
        tombstones: Sequence[Mapping[str, str]],
    ) -> int:
        """All of ``rows`` then all of ``tombstones`` in one transaction (all or nothing)."""
        shape = _shape(entity)
        checked_rows = [_check_row(shape, row) for row in rows]
        checked_keys = [_check_key(shape, key) for key in tombstones]
        with self._storage.transaction() as db:
            for full in checked_rows:
                _append(db, shape, full, full)
            for key in checked_keys:
                _append(db, shape, key, None)
        return len(checked_rows) + len(checked_keys)

    def seed(self, data: Mapping[str, Sequence[Mapping[str, str]]]) -> int:
        """Put every row of ``{entity: [rows]}`` that differs from what is held; returns how many.

        All rows are checked before anything is written; a seed file applied twice adds nothing.
        """
        checked = [
            (shape, _check_row(shape, row))
            for shape, rows in ((_shape(entity), rows) for entity, rows in data.items())
            for row in _as_list(shape, rows)
        ]
        changes = 0
        with self._storage.transaction() as db:
            for shape, full in checked:
                key = _key_json(shape, full)
                current = db.execute(
                    "SELECT row_json FROM change WHERE entity = ? AND key_json = ? "
                    "ORDER BY seq DESC LIMIT 1",
                    (shape.name, key),
                ).fetchone()
                if current is None or current[0] is None or json.loads(current[0]) != full:
                    _append(db, shape, full, full)
                    changes += 1
        return changes

    def compact(self) -> int:
        """Drop superseded changes and tombstones; every cursor below the new horizon expires.

        Returns the new horizon (the highest ``seq`` ever handed out).
        """
        with self._storage.transaction() as db:
            db.execute(
                "DELETE FROM change WHERE seq NOT IN "
                "(SELECT max(seq) FROM change GROUP BY entity, key_json)"
            )
            db.execute("DELETE FROM change WHERE row_json IS NULL")
            top = _high_water(db)
            db.execute("UPDATE master_horizon SET seq = ?", (top,))
        return top

    # --- reads -----------------------------------------------------------------------------

    def snapshot(self, entity: str) -> list[dict[str, str]]:
        """The entity's current rows, in the order of their last change."""
        shape = _shape(entity)
        with self._storage.transaction() as db:
            found = db.execute(
                "SELECT row_json FROM change WHERE seq IN "
                "(SELECT max(seq) FROM change WHERE entity = ? GROUP BY key_json) ORDER BY seq",
                (shape.name,),
            ).fetchall()
        return [json.loads(row_json) for (row_json,) in found if row_json is not None]

    def horizon(self) -> int:
        with self._storage.transaction() as db:
            return _horizon(db)

    def page(self, entity: str, after: Cursor | None, limit: int) -> Page | None:
        """The next page after ``after`` (``None``: from the start), or ``None`` (expired: 410).

        A cursor issued before the last compaction and below its horizon has expired: changes
        it has not read (tombstones among them) may be gone.
        """
        shape = _shape(entity)
        with self._storage.transaction() as db:
            horizon = _horizon(db)
            if after is not None and after.horizon < horizon and after.seq < horizon:
                return None
            start = 0 if after is None else after.seq
            found = db.execute(
                "SELECT seq, key_json, row_json FROM change WHERE entity = ? AND seq > ? "
                "ORDER BY seq LIMIT ?",
                (shape.name, start, limit + 1),
            ).fetchall()
            has_more = len(found) > limit
            changes = found[:limit]
            # read to the end: hand out the high-water mark, never below the horizon
            last = int(changes[-1][0]) if has_more else max(_high_water(db), horizon, start)
        latest: dict[str, str | None] = {}
        for _seq, key_json, row_json in changes:
            latest.pop(key_json, None)  # re-insert: the dict keeps the order of last changes
            latest[key_json] = row_json
        rows = [json.loads(row) for row in latest.values() if row is not None]
        tombstones = [json.loads(key) for key, row in latest.items() if row is None]
        return Page(rows, tombstones, encode_cursor(Cursor(last, horizon)), has_more)

    # --- HTTP ------------------------------------------------------------------------------

    def get(self, entity: str, query: Mapping[str, list[str]]) -> Outcome:
        """``GET /sync/master/{entity}``."""
        if entity not in ENTITIES:
            detail = f"unknown entity {entity[:64]!r}; one of {', '.join(ENTITIES)}"
            return problem(404, "NoSuchResourceException", "No such master-data entity.", detail)
        limit_text = query.get("limit", [str(DEFAULT_LIMIT)])[0]
        if not (limit_text.isdecimal() and limit_text.isascii() and len(limit_text) <= 6) or not (
            0 < int(limit_text) <= MAX_LIMIT
        ):
            detail = f"limit must be 1..{MAX_LIMIT}"
            return problem(400, "QueryParameterException", "Invalid limit.", detail)
        cursor_text = query.get("cursor", [""])[0]
        after: Cursor | None = None
        if cursor_text:
            after = decode_cursor(cursor_text)
            if after is None:
                return problem(400, "QueryParameterException", "Invalid cursor.")
        page = self.page(entity, after, int(limit_text))
        if page is None:
            body = {
                "type": CURSOR_EXPIRED,
                "title": "The cursor is older than the retention horizon; re-snapshot.",
                "status": 410,
                "detail": "read the entity again from an empty cursor",
            }
            return Outcome(410, body)
        return Outcome(200, page.to_json(entity))

    def post(self, entity: str, body: bytes) -> Outcome:
        """``POST /admin/master/{entity}`` (``{"rows": [...], "tombstones": [...]}``)."""
        if entity not in ENTITIES:
            return problem(404, "NoSuchResourceException", "No such master-data entity.")
        try:
            document = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
            return problem(400, "ValidationException", "The body is not JSON.", str(error))
        if not isinstance(document, dict) or set(document) - {"rows", "tombstones"}:
            return problem(400, "ValidationException", 'Send {"rows": [...], "tombstones": [...]}.')
        rows, tombstones = document.get("rows", []), document.get("tombstones", [])
        if not isinstance(rows, list) or not isinstance(tombstones, list):
            return problem(400, "ValidationException", "rows and tombstones must be lists.")
        if len(rows) + len(tombstones) > _MAX_ADMIN_CHANGES:
            return problem(400, "ValidationException", "Too many changes in one request.")
        try:
            changes = self.apply(entity, rows, tombstones)
        except MasterDataError as error:
            return problem(400, "ValidationException", "Invalid master data.", str(error))
        return Outcome(200, {"changes": changes})

    def post_compact(self) -> Outcome:
        """``POST /admin/master/compact``."""
        horizon = self.compact()
        return Outcome(200, {"horizon": encode_cursor(Cursor(horizon, horizon))})


def _as_list(shape: EntityShape, rows: object) -> list[Any]:
    if not isinstance(rows, list):
        raise MasterDataError(f"{shape.name}: expected a list of rows")
    return rows


def _append(
    db: sqlite3.Connection,
    shape: EntityShape,
    key: Mapping[str, str],
    row: Mapping[str, str] | None,
) -> int:
    cursor = db.execute(
        "INSERT INTO change (entity, key_json, row_json) VALUES (?, ?, ?)",
        (shape.name, _key_json(shape, key), None if row is None else json.dumps(row)),
    )
    seq = cursor.lastrowid
    assert seq is not None
    return seq


def _horizon(db: sqlite3.Connection) -> int:
    (seq,) = db.execute("SELECT seq FROM master_horizon").fetchone()
    return int(seq)


def _high_water(db: sqlite3.Connection) -> int:
    """The highest ``seq`` ever handed out (AUTOINCREMENT keeps it after deletes)."""
    found = db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'change'").fetchone()
    return 0 if found is None else int(found[0])
