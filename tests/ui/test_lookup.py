"""The code lookup and report export the Trace and Recall screens share (ui/screens/lookup.py)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from station.access import NotAuthenticatedError
from station.context import WriteContext
from station.trace.api import recall
from station.trace.model import RecallResult
from tests.ui.screen_env import DemoStation, demo_file, demo_station
from ui.feedback import Outcome
from ui.screens.base import ScreenEnv
from ui.screens.recall import RecallScreen
from ui.screens.trace import TraceScreen

__all__ = ["demo_file", "demo_station"]  # fixtures


def signed_out(station: DemoStation) -> ScreenEnv:
    def context() -> WriteContext:
        msg = "nobody is signed in"
        raise NotAuthenticatedError(msg)

    return ScreenEnv(store=station.store, context=context, feedback=station.env.feedback)


@pytest.mark.parametrize("screen_class", [TraceScreen, RecallScreen])
def test_nobody_signed_in_is_refused_and_nothing_is_read(
    qtbot: QtBot, demo_station: DemoStation, screen_class: type[TraceScreen | RecallScreen]
) -> None:
    screen = screen_class(signed_out(demo_station))
    qtbot.addWidget(screen)
    screen.show()
    screen.entry.setText(demo_station.summary.recalled_lot)
    screen.lookup.button.click()
    assert screen.banner.outcome is Outcome.REFUSED
    assert "Not signed in" in screen.banner.headline.text()
    assert "nobody is signed in" in screen.banner.detail.text()
    assert not screen.busy.isVisible()
    assert demo_station.player.played == [Outcome.REFUSED]


def test_an_answer_overtaken_by_a_newer_code_is_dropped(
    qtbot: QtBot, demo_station: DemoStation
) -> None:
    screen = RecallScreen(demo_station.env)
    qtbot.addWidget(screen)
    screen.show()
    lookup = screen.lookup
    shown: list[str] = []
    first_read = threading.Event()

    def read(conn: object, ctx: WriteContext, code: str | bytes) -> str:
        first_read.set()
        return str(code)

    with qtbot.waitSignal(screen.recalled, timeout=15_000) as last:
        lookup.look_up("first", read, shown.append, busy_text="…", failure="x", name="t-1")
        screen.pick(demo_station.summary.recalled_lot)  # newer: the first answer is dropped
    assert isinstance(last.args[0], RecallResult)
    qtbot.waitUntil(first_read.is_set, timeout=10_000)
    qtbot.wait(100)  # its answer has reached the GUI thread by now, and was not shown
    assert shown == []
    assert not screen.busy.isVisible()
    assert screen.banner.outcome is Outcome.ACCEPTED


def test_a_failed_read_is_refused_with_its_reason(qtbot: QtBot, demo_station: DemoStation) -> None:
    screen = TraceScreen(demo_station.env)
    qtbot.addWidget(screen)
    screen.show()

    def read(conn: object, ctx: WriteContext, code: str | bytes) -> str:
        msg = "the database is locked"
        raise RuntimeError(msg)

    shown: list[str] = []
    screen.lookup.look_up(
        "X", read, shown.append, busy_text="…", failure="Trace not possible", name="t"
    )
    assert screen.busy.isVisible()
    qtbot.waitUntil(lambda: screen.banner.outcome is Outcome.REFUSED, timeout=10_000)
    assert not screen.busy.isVisible()
    assert "Trace not possible" in screen.banner.headline.text()
    assert "the database is locked" in screen.banner.detail.text()
    assert shown == []


def test_a_refused_export_says_so_and_leaves_the_buttons_usable(
    qtbot: QtBot, demo_station: DemoStation, tmp_path: Path
) -> None:
    screen = RecallScreen(demo_station.env)
    qtbot.addWidget(screen)
    screen.show()
    with demo_station.store.engine.connect() as conn:
        screen.result = recall(conn, demo_station.ctx, demo_station.summary.recalled_lot)
    screen.show_result(screen.result)
    with qtbot.waitSignal(screen.export_failed, timeout=15_000) as failed:
        screen.export(tmp_path / "missing-folder" / "recall.pdf", "pdf")
    assert failed.args[0].startswith("Nothing exported: ")
    assert screen.message.text() == failed.args[0]
    assert screen.pdf_button.isEnabled()
    assert screen.csv_button.isEnabled()
    assert not screen.busy.isVisible()
    assert screen.stopped_at is None  # the mock-recall clock runs on: nothing was reported
