"""Fixtures for the UI tests: a real station window, built the way ``run_gui`` builds it."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest
from pytestqt.qtbot import QtBot

from station.config import Settings
from tests.ui.helpers import sign_in
from ui.app import StationGui, build_gui
from ui.feedback import RecordingPlayer, SoundPlayer
from ui.qt import QApplication, QEvent

MakeGui = Callable[..., StationGui]


@pytest.fixture(scope="session", autouse=True)
def _private_user_folders(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The demo database cache and the default station database live in folders of this test
    session, never in the developer's own (platformdirs follows the XDG variables)."""
    root = tmp_path_factory.mktemp("user-folders")
    saved = {name: os.environ.get(name) for name in ("XDG_CACHE_HOME", "XDG_DATA_HOME")}
    os.environ["XDG_CACHE_HOME"] = str(root / "cache")
    os.environ["XDG_DATA_HOME"] = str(root / "data")
    yield
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture
def make_gui(qapp: QApplication, qtbot: QtBot) -> Iterator[MakeGui]:
    """``make_gui(language="en", demo=False, settings=None)`` → a shown window; closed after.

    ``settings`` defaults to all defaults (never the developer's own settings file).
    """
    made: list[StationGui] = []

    def make(
        language: str = "en",
        demo: bool = False,
        settings: Settings | None = None,
        *,
        signed_out: bool = False,
        player: SoundPlayer | None = None,
    ) -> StationGui:
        gui = build_gui(
            qapp,
            demo=demo,
            language=language,
            settings=settings or Settings(),
            player=player or RecordingPlayer(),
        )
        made.append(gui)
        if not signed_out:
            # Only the sign-in page works signed out (P11-D1): the operator signs in, and the
            # window starts on Identify (F1), as the tests of scans and devices expect.
            if gui.work is not None:
                sign_in(qtbot, gui, "wang")
            assert gui.window.show_identify()
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
