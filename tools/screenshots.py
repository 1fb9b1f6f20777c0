"""Render every screen of the station in English and Chinese, for the docs.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m tools.screenshots [OUTPUT_DIR]

Writes, for ``en`` and ``zh_CN`` (default folder ``docs/screenshots``):

* ``sign-in-<lang>.png``; ``identify-<lang>.png``, the Identify screen after the demo GS1
  DataMatrix scan; and ``<screen>-<lang>.png`` for each role screen (``goods_in``,
  ``qc_bench``, ``packing``, ``shipping``, ``trace``, ``recall``, ``audit``, ``admin``): the
  demo window, signed in as a demo user whose role opens the screen, after a realistic scan
  from the demo database (:mod:`tools.station_tour`), with the camera and simulator docks
  hidden;
* ``label-print-<lang>.png``: the print dialog after a demo print.

Every window shot is :data:`WINDOW_SIZE`. The Chinese shots need a CJK font installed
(Debian/Ubuntu: ``apt install fonts-noto-cjk`` or ``fonts-wqy-microhei``); without one the
station logs a warning and Chinese shows as boxes.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "docs" / "screenshots"
WINDOW_SIZE = (1280, 860)
LANGUAGES = ("en", "zh_CN")


def screen_file(screen: str, language: str) -> str:
    """``trace-zh_CN.png``, ``sign-in-en.png`` …"""
    return f"{screen.replace('_', '-')}-{language}.png"


def screen_files(language: str) -> list[str]:
    """The files :func:`render_screens` writes for ``language``, in order."""
    from tools.station_tour import ROLE_SCREENS  # noqa: PLC0415

    return [screen_file(name, language) for name in ("sign-in", "identify", *ROLE_SCREENS)]


def _save(widget: Any, path: Path) -> Path:
    if not widget.grab().save(str(path)):
        msg = f"could not write {path}"
        raise OSError(msg)
    return path


def render_screens(output: Path, languages: tuple[str, ...] = LANGUAGES) -> list[Path]:
    """The sign-in page, Identify and every role screen with content, per language (see the
    module)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from tools.station_tour import tour  # noqa: PLC0415
    from ui.app import application, build_gui  # noqa: PLC0415
    from ui.feedback import RecordingPlayer  # noqa: PLC0415

    app = application()
    output.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for language in languages:
        gui = build_gui(app, demo=True, language=language, player=RecordingPlayer())
        try:
            gui.window.resize(*WINDOW_SIZE)
            gui.window.show()
            written.extend(
                _save(gui.window, output / screen_file(name, language)) for name in tour(gui)
            )
        finally:
            gui.close()
            app.processEvents()
    return written


def _wait(signal: Any, seconds: float) -> None:
    """Run the event loop until ``signal`` fires (or give up after ``seconds``)."""
    from ui.qt import QEventLoop, QTimer  # noqa: PLC0415

    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def render_print_dialog(output: Path, languages: tuple[str, ...] = LANGUAGES) -> list[Path]:
    """The print dialog after three unit labels were printed to the demo printer and read back."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from ui.app import application  # noqa: PLC0415
    from ui.i18n import install_translators, remove_translators  # noqa: PLC0415
    from ui.print_setup import DemoPrintStation  # noqa: PLC0415
    from ui.views.label_print import LabelPrintDialog  # noqa: PLC0415

    app = application()
    output.mkdir(parents=True, exist_ok=True)
    written = []
    for language in languages:
        translators = install_translators(language)
        station = DemoPrintStation()
        try:
            dialog = LabelPrintDialog(station, language)
            dialog.show()
            _wait(dialog.ready, 60)
            dialog.template_box.setCurrentIndex(dialog.template_box.findData("udi-unit"))
            dialog.copies.setValue(3)
            dialog.print_button.click()
            _wait(dialog.run_finished, 120)
            app.processEvents()
            path = output / f"label-print-{language}.png"
            if not dialog.grab().save(str(path)):
                msg = f"could not write {path}"
                raise OSError(msg)
            written.append(path)
            dialog.close()
        finally:
            station.close()
            remove_translators(translators)
            app.processEvents()
    return written


def main(argv: list[str]) -> int:
    output = Path(argv[0]) if argv else DEFAULT_OUTPUT
    for path in [*render_screens(output), *render_print_dialog(output)]:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
