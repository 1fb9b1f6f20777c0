"""Helpers shared by the UI tests."""

from __future__ import annotations

from PySide6.QtTest import QTest  # tests may use Qt directly; the app goes through ui.qt

from station.scanning.raw import RawScan
from station.udi.model import ParsedCode
from ui.app import StationGui
from ui.qt import QImage, Qt, QWidget


def type_text(widget: QWidget, text: str) -> None:
    """Key presses for each character of ``text``, sent to ``widget`` (as a wedge types)."""
    QTest.keyClicks(widget, text)


def press(
    widget: QWidget, key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    QTest.keyClick(widget, key, modifiers)


def scan(gui: StationGui, raw: bytes, source: str = "test") -> ParsedCode:
    """Feed one scan to the Identify screen as a device would; return what it shows."""
    gui.window.identify.handle_scan(RawScan.now(raw, source))
    code = gui.window.identify.current
    assert code is not None
    return code


def distinct_colours(picture: QWidget | QImage, step: int = 7) -> int:
    """How many different colours a widget's grab or an image has (sampled): 1 means blank."""
    source = picture.grab().toImage() if isinstance(picture, QWidget) else picture
    image = source.convertToFormat(QImage.Format.Format_RGB32)
    colours = {
        image.pixel(x, y)
        for x in range(0, image.width(), step)
        for y in range(0, image.height(), step)
    }
    return len(colours)


def sign_in(qtbot: object, gui: StationGui, username: str) -> None:
    """Sign a demo user in through the sign-in page, as at the station: badge (or user name)
    and PIN (or password), then wait until the session is open."""
    from pytestqt.qtbot import QtBot  # noqa: PLC0415

    from ui.demo_station import DEMO_USERS  # noqa: PLC0415

    assert isinstance(qtbot, QtBot)
    assert gui.work is not None
    assert gui.workstation is not None
    user = next(u for u in DEMO_USERS if u.username == username)
    page = gui.work.sign_in
    gui.work.guard.show_sign_in()
    if user.badge:
        page.take_badge(user.badge)
    else:
        page.username.setText(user.username)
    page.secret.setText(user.secret)
    page.submit()
    workstation = gui.workstation
    qtbot.waitUntil(lambda: workstation.session is not None, timeout=30_000)
