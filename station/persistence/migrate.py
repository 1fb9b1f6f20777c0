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

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.script.revision import ResolutionError
from alembic.util import CommandError
from sqlalchemy import Engine

from station.errors import StorageError

_SCRIPT_LOCATION = Path(__file__).with_name("migrations")


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(_SCRIPT_LOCATION))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None, "the migrations directory has no revisions"
    return head


def _rebuilds_projections(start: str | None, target: str) -> bool:
    """Whether a revision applied between ``start`` (exclusive) and ``target`` asks for it."""
    scripts = ScriptDirectory.from_config(_config())
    applied = scripts.iterate_revisions(target, start or "base")
    return any(getattr(script.module, "rebuilds_projections", False) for script in applied)


def upgrade(engine: Engine, revision: str = "head") -> None:
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
    with engine.connect() as connection:
        revision = MigrationContext.configure(connection).get_current_revision()
        connection.rollback()
    return revision
