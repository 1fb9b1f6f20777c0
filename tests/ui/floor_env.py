"""Fixtures for the goods-in, packing and shipping screen tests: a real station database
(tests/floor_data.py, built once per session and copied per test), the signed-in operator's
context and a recording speaker.

Import the fixtures into a test module: ``from tests.ui.floor_env import floor_built, station``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from station.persistence.store import Store, open_store
from station.scanning.raw import RawScan
from tests import floor_data
from tests.floor_data import OPERATOR
from ui.feedback import Feedback, Outcome, RecordingPlayer
from ui.qt import QApplication, QEvent, QLabel, Qt, QWidget
from ui.screens.base import ScreenEnv
from ui.screens.work import FloorScreen

HOSTILE = "<b>x</b>"


@pytest.fixture(scope="session")
def floor_built(tmp_path_factory: pytest.TempPathFactory) -> floor_data.FloorData:
    return floor_data.build(tmp_path_factory.mktemp("floor-db"))


@dataclass
class Station:
    store: Store
    env: ScreenEnv
    player: RecordingPlayer

    def count(self, sql: str) -> int:
        with self.store.engine.connect() as conn:
            return int(conn.execute(text(sql)).scalar_one())

    def events(self, step: str | None = None) -> int:
        if step is None:
            return self.count("SELECT count(*) FROM event")
        return self.count(f"SELECT count(*) FROM event WHERE biz_step = '{step}'")

    def audits(self, action: str) -> int:
        return self.count(f"SELECT count(*) FROM audit WHERE action = '{action}'")

    def last_event(self) -> dict[str, object]:
        """The payload of the newest event."""
        with self.store.engine.connect() as conn:
            payload = conn.execute(
                text("SELECT payload FROM event ORDER BY seq DESC LIMIT 1")
            ).scalar_one()
        found: dict[str, object] = json.loads(payload)
        return found

    def session_changes(self) -> None:
        """What the workstation does on sign-out, lock, idle, another badge: tell the screens."""
        for listener in list(self.env.session_listeners):
            listener(None)


@pytest.fixture
def station(
    floor_built: floor_data.FloorData, tmp_path: Path, qapp: QApplication
) -> Iterator[Station]:
    store = open_store(floor_built.copy_to(tmp_path))
    player = RecordingPlayer()
    env = ScreenEnv(store=store, context=lambda: OPERATOR, feedback=Feedback(player))
    yield Station(store, env, player)
    qapp.processEvents()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    store.close()


def scan(screen: FloorScreen, raw: bytes, source: str = "serial:test") -> None:
    """One scan as a scanner delivers it."""
    screen.handle_scan(RawScan.now(raw, source))


def settle(qtbot: QtBot, screen: FloorScreen) -> None:
    """Wait until every read and write the screen asked for has answered."""
    qtbot.waitUntil(lambda: screen.reader.pending == 0 and screen.writes_pending == 0)
    # Audits of refusals are fire-and-forget: let the writer drain them.
    screen.env.store.writer.submit(lambda _conn: None).result()
    QApplication.processEvents()


def last_sound(station: Station) -> Outcome | None:
    return station.player.played[-1] if station.player.played else None


def assert_plain(widget: QWidget) -> None:
    """Every label plain text, no tooltip with markup (SEC-8)."""
    for label in widget.findChildren(QLabel):
        assert label.textFormat() == Qt.TextFormat.PlainText, label.objectName()
        assert not label.openExternalLinks()
    for child in widget.findChildren(QWidget):
        assert "<" not in child.toolTip(), child.objectName()


Waiter = Callable[[], None]
