"""Fixtures for the UI tests: a real station window, built the way ``run_gui`` builds it."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from pytestqt.qtbot import QtBot

from station.config import Settings
from ui.app import StationGui, build_gui
from ui.qt import QApplication, QEvent

MakeGui = Callable[..., StationGui]


@pytest.fixture
def make_gui(qapp: QApplication, qtbot: QtBot) -> Iterator[MakeGui]:
    """``make_gui(language="en", demo=False, settings=None)`` → a shown window; closed after.

    ``settings`` defaults to all defaults (never the developer's own settings file).
    """
    made: list[StationGui] = []

    def make(
        language: str = "en", demo: bool = False, settings: Settings | None = None
    ) -> StationGui:
        gui = build_gui(qapp, demo=demo, language=language, settings=settings or Settings())
        made.append(gui)
        gui.window.resize(1280, 860)
        gui.window.show()
        qtbot.waitExposed(gui.window)
        return gui

    yield make
    for gui in made:
        gui.close()
        assert not any(source.running for source in gui.sources)
    qapp.processEvents()
    # Delete the closed windows now, not at interpreter exit: their widgets hold the devices
    # (and through them zxing-cpp objects), which nanobind reports as leaks when still alive.
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    made.clear()
