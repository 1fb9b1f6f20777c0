"""Fixtures for the storage integration tests: a migrated station database in a temp dir."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from station.persistence import migrate
from station.persistence.db import close_engine, open_engine


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "station.sqlite"


@pytest.fixture
def engine(db_path: Path) -> Iterator[Engine]:
    engine = open_engine(db_path)
    migrate.upgrade(engine)
    yield engine
    close_engine(engine)
