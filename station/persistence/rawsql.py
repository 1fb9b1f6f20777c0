"""Plain ``sqlite3`` statements inside the writer's SQLAlchemy transaction, for the scan path.

Recording one scan runs a dozen small statements; through SQLAlchemy Core each costs tens of
microseconds of statement building and cache-key work before SQLite sees it, which was most of
the time between a scan and "recorded" (docs/benchmarks.md). The hot path therefore prepares
its SQL text once per table and runs it on the same DBAPI connection, inside the same
``BEGIN IMMEDIATE`` transaction, so atomicity and durability are exactly as before.

>>> from sqlalchemy import Column, Integer, MetaData, String, Table
>>> demo = Table("demo", MetaData(), Column("id", Integer, primary_key=True), Column("n", String))
>>> insert_sql(demo)
'INSERT INTO "demo" ("id", "n") VALUES (:id, :n)'
>>> select_by_sql(demo, "id")
'SELECT "id", "n" FROM "demo" WHERE "id" = ?'
>>> upsert_sql(demo, "id").split(" ON ")[1]
'CONFLICT ("id") DO UPDATE SET "n" = excluded."n"'
>>> last_row_sql(demo, "id", ["id", "n"])
'SELECT "id", "n" FROM "demo" ORDER BY "id" DESC LIMIT 1'

Names come from the station's own table definitions, never from input, so building the SQL
text from them is safe (hence the ``noqa: S608`` below).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from sqlalchemy import Connection, Table

__all__ = ["insert_sql", "last_row_sql", "select_by_sql", "sqlite_connection", "upsert_sql"]


def sqlite_connection(conn: Connection) -> sqlite3.Connection:
    """The ``sqlite3`` connection under ``conn``; statements on it join ``conn``'s transaction."""
    raw = conn.connection.driver_connection
    if not isinstance(raw, sqlite3.Connection):
        msg = f"the station database must be opened with sqlite3, not {type(raw).__name__}"
        raise TypeError(msg)
    return raw


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def insert_sql(table: Table, columns: Sequence[str] | None = None) -> str:
    """``INSERT`` of ``columns`` (default: all, in table order) with named parameters."""
    names = list(columns) if columns is not None else [c.name for c in table.columns]
    listed = ", ".join(_quoted(n) for n in names)
    params = ", ".join(f":{n}" for n in names)
    return f"INSERT INTO {_quoted(table.name)} ({listed}) VALUES ({params})"  # noqa: S608


def upsert_sql(table: Table, key: str) -> str:
    """Insert every column; on a ``key`` conflict, overwrite every other column."""
    others = [c.name for c in table.columns if c.name != key]
    update = ", ".join(f"{_quoted(n)} = excluded.{_quoted(n)}" for n in others)
    return f"{insert_sql(table)} ON CONFLICT ({_quoted(key)}) DO UPDATE SET {update}"


def select_by_sql(table: Table, key: str) -> str:
    """``SELECT`` of every column, in table order, of the rows whose ``key`` equals ``?``."""
    listed = ", ".join(_quoted(c.name) for c in table.columns)
    return f"SELECT {listed} FROM {_quoted(table.name)} WHERE {_quoted(key)} = ?"  # noqa: S608


def last_row_sql(table: Table, order: str, columns: Sequence[str]) -> str:
    """``SELECT`` of ``columns`` from the row with the highest ``order`` value."""
    listed = ", ".join(_quoted(n) for n in columns)
    ordered = f"ORDER BY {_quoted(order)} DESC LIMIT 1"
    return f"SELECT {listed} FROM {_quoted(table.name)} {ordered}"  # noqa: S608
