"""The screenshot tool renders the sign-in page, Identify and every role screen (one language
here: the layout tests take both languages through the same tour)."""

from __future__ import annotations

from pathlib import Path

from tests.ui.helpers import distinct_colours
from tools import screenshots
from tools.station_tour import ROLE_SCREENS
from ui.qt import QApplication, QImage


def test_every_screen_is_rendered_at_the_window_size(qapp: QApplication, tmp_path: Path) -> None:
    written = screenshots.render_screens(tmp_path, ("zh_CN",))
    expected = ["sign-in-zh_CN.png", "identify-zh_CN.png"] + [
        f"{screen.replace('_', '-')}-zh_CN.png" for screen in ROLE_SCREENS
    ]
    assert [path.name for path in written] == expected == screenshots.screen_files("zh_CN")
    for name in expected:
        image = QImage(str(tmp_path / name))
        assert not image.isNull(), name
        assert (image.width(), image.height()) == screenshots.WINDOW_SIZE, name
        assert distinct_colours(image) > 20, name  # a real screen, not a blank window
