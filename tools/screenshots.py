"""Render the Identify screen after a demo scan and the print dialog after a demo print, in
English and Chinese, for the docs.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m tools.screenshots [OUTPUT_DIR]

Writes ``identify-<lang>.png`` and ``label-print-<lang>.png`` for ``en`` and ``zh_CN``
(default ``docs/screenshots``). The
Chinese shot needs a CJK font installed (Debian/Ubuntu: ``apt install fonts-noto-cjk`` or
``fonts-wqy-microhei``); without one the station logs a warning and Chinese shows as boxes.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from station.scanning.raw import RawScan

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "docs" / "screenshots"
WINDOW_SIZE = (1280, 860)
#: A GS1 DataMatrix UDI with every key field, as the demo scanner sends it.
DEMO_SCAN = b"]d20104012345123456112501151726123110LOT-A1\x1d21SN0001"
LANGUAGES = ("en", "zh_CN")


def render(output: Path, languages: tuple[str, ...] = LANGUAGES) -> list[Path]:
    """Build the demo window per language, read :data:`DEMO_SCAN`, save a PNG of each."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from ui.app import application, build_gui  # noqa: PLC0415 - after the platform is chosen

    app = application()
    output.mkdir(parents=True, exist_ok=True)
    written = []
    for language in languages:
        gui = build_gui(app, demo=True, language=language)
        try:
            gui.window.resize(*WINDOW_SIZE)
            gui.window.show()
            gui.window.identify.handle_scan(RawScan.now(DEMO_SCAN, "simulated:demo"))
            app.processEvents()
            path = output / f"identify-{language}.png"
            if not gui.window.grab().save(str(path)):
                msg = f"could not write {path}"
                raise OSError(msg)
            written.append(path)
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
    for path in [*render(output), *render_print_dialog(output)]:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
