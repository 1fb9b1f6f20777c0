"""Bring a database to the schema this code expects, programmatically (no ``alembic.ini``).

The whole upgrade runs in one ``BEGIN IMMEDIATE`` transaction: SQLite's DDL is transactional,
so a failed revision leaves the file exactly as it was.

Projections (``item_state`` with its status columns, ``lot_state``) are caches derived from the
events.
A revision that changes one sets ``rebuilds_projections = True``; after the upgrade has run,
in the same transaction, every projection is refilled from the events by the code that keeps
them (``station.services.projection.rebuild``), so revisions themselves stay frozen DDL.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from station.errors import StorageError

if TYPE_CHECKING:
    from alembic.config import Config

_SCRIPT_LOCATION = Path(__file__).with_name("migrations")
_REVISION_LINE = re.compile(
    r"""^(down_revision|revision)\b[^=]*=\s*(?:"(\w+)"|'(\w+)'|None)""", re.M
)


def _declared_head() -> str | None:
    """The newest revision, read from the revision files' ``revision``/``down_revision`` lines
    without importing Alembic (about 0.2 s of every start): the one no other revision names as
    its parent. None when the files do not form one simple chain (Alembic then decides)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in (_SCRIPT_LOCATION / "versions").glob("*.py"):
        found = dict.fromkeys(("revision", "down_revision"), "")
        for match in _REVISION_LINE.finditer(script.read_text(encoding="utf-8")):
            found[match.group(1)] = match.group(2) or match.group(3) or ""
        if not found["revision"]:
            return None
        revisions.add(found["revision"])
        if found["down_revision"]:
            parents.add(found["down_revision"])
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def _config() -> Config:
    from alembic.config import Config  # noqa: PLC0415 - Alembic loads only to migrate

    config = Config()
    config.set_main_option("script_location", str(_SCRIPT_LOCATION))
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory  # noqa: PLC0415

    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None, "the migrations directory has no revisions"
    return head


def _rebuilds_projections(start: str | None, target: str) -> bool:
    """Whether a revision applied between ``start`` (exclusive) and ``target`` asks for it."""
    from alembic.script import ScriptDirectory  # noqa: PLC0415

    scripts = ScriptDirectory.from_config(_config())
    applied = scripts.iterate_revisions(target, start or "base")
    return any(getattr(script.module, "rebuilds_projections", False) for script in applied)


def _stored_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        exists = connection.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
        ).first()
        row = (
            connection.exec_driver_sql("SELECT version_num FROM alembic_version").first()
            if exists
            else None
        )
        connection.rollback()
    return None if row is None else str(row[0])


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Upgrade to ``revision``; a database already at the head is left alone without loading
    Alembic at all (the usual start)."""
    head = _declared_head() if revision == "head" else None
    if head is not None and _stored_revision(engine) == head:
        return
    from alembic import command  # noqa: PLC0415
    from alembic.runtime.migration import MigrationContext  # noqa: PLC0415
    from alembic.script.revision import ResolutionError  # noqa: PLC0415
    from alembic.util import CommandError  # noqa: PLC0415

    config = _config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        try:
            start = MigrationContext.configure(connection).get_current_revision()
            command.upgrade(config, revision)
            rebuild = start is not None and _rebuilds_projections(start, revision)
        except (CommandError, ResolutionError) as exc:
            # Typically a database written by a newer station: never guess at its schema.
            msg = f"the database schema cannot be brought to {revision}: {exc}"
            raise StorageError(msg) from exc
        if rebuild and connection.exec_driver_sql("SELECT 1 FROM event LIMIT 1").first():
            # Application code, imported here only: persistence does not depend on services.
            from station.services.projection import rebuild as rebuild_projections  # noqa: PLC0415

            rebuild_projections(connection)


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at; None for a database never migrated."""
    from alembic.runtime.migration import MigrationContext  # noqa: PLC0415

    with engine.connect() as connection:
        revision = MigrationContext.configure(connection).get_current_revision()
        connection.rollback()
    return revision
