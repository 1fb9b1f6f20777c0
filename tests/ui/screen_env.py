"""A real demo station for the role-screen tests: one demo database built per test session,
copied for each test, opened as a store, and a :class:`ScreenEnv` signed in as QA."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from station.context import WriteContext
from station.demo.factory import STATION, DemoSummary, build_demo
from station.persistence.store import Store, open_store
from ui.feedback import Feedback, RecordingPlayer
from ui.screens.base import ScreenEnv

DEMO_UNITS = 200  # four finished lots, several customers, a return: small and quick (~1 s)
HOSTILE_LOT = '<img src=x><a href="http://x">x</a>\u202eLOT'


@dataclass
class DemoStation:
    path: Path
    store: Store
    summary: DemoSummary
    env: ScreenEnv
    player: RecordingPlayer
    ctx: WriteContext

    def reopen(self) -> None:
        """Close the store, e.g. to change the file with raw SQL, and open it again."""
        self.store.close()
        self.store = self.env.store = open_store(self.path)


def qa_context() -> WriteContext:
    return WriteContext(
        station=STATION, actor="qa1", actor_name="QA One", roles=frozenset({"qa", "supervisor"})
    )


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, DemoSummary]:
    path = tmp_path_factory.mktemp("demo-station") / "demo.sqlite"
    store = open_store(path)
    try:
        summary = build_demo(store, units=DEMO_UNITS, seed=7)
    finally:
        store.close()
    return path, summary


def copy_demo(source: Path, target: Path) -> None:
    """A consistent copy through SQLite's backup API (the WAL included)."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()


@pytest.fixture
def demo_station(
    demo_file: tuple[Path, DemoSummary], tmp_path: Path, qapp: object
) -> Iterator[DemoStation]:
    source, summary = demo_file
    path = tmp_path / "x.sqlite"
    copy_demo(source, path)
    store = open_store(path)
    ctx = qa_context()
    player = RecordingPlayer()
    env = ScreenEnv(store=store, context=lambda: ctx, feedback=Feedback(player))
    station = DemoStation(path, store, summary, env, player, ctx)
    try:
        yield station
    finally:
        station.store.close()


__all__ = ["HOSTILE_LOT", "DemoStation", "copy_demo", "demo_file", "demo_station", "qa_context"]
