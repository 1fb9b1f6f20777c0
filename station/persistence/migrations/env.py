"""Alembic environment: runs revisions on the connection :mod:`..migrate` hands over.

The station never migrates through a URL of its own: ``migrate.upgrade`` opens the transaction
(``BEGIN IMMEDIATE`` on the writer engine) and passes the connection in ``config.attributes``,
so the whole upgrade commits or rolls back as one.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from station.persistence.tables import metadata


def run_migrations(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


# Alembic executes this file with its context installed; a plain import (pytest collecting
# doctests, a type checker) must not try to migrate anything.
if hasattr(context, "config"):
    _connection = context.config.attributes.get("connection")
    if not isinstance(_connection, Connection):
        msg = "run migrations through station.persistence.migrate, which supplies a connection"
        raise RuntimeError(msg)
    run_migrations(_connection)
