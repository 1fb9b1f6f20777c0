"""Bring a database to the schema this code expects, programmatically (no ``alembic.ini``).

The whole upgrade runs in one ``BEGIN IMMEDIATE`` transaction: SQLite's DDL is transactional,
so a failed revision leaves the file exactly as it was.
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


def upgrade(engine: Engine, revision: str = "head") -> None:
    config = _config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        try:
            command.upgrade(config, revision)
        except (CommandError, ResolutionError) as exc:
            # Typically a database written by a newer station: never guess at its schema.
            msg = f"the database schema cannot be brought to {revision}: {exc}"
            raise StorageError(msg) from exc


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at; None for a database never migrated."""
    with engine.connect() as connection:
        revision = MigrationContext.configure(connection).get_current_revision()
        connection.rollback()
    return revision
