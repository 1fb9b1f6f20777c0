"""Render the Identify screen after a demo scan, in English and Chinese, for the docs.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m tools.screenshots [OUTPUT_DIR]

Writes ``identify-en.png`` and ``identify-zh_CN.png`` (default ``docs/screenshots``). The
Chinese shot needs a CJK font installed (Debian/Ubuntu: ``apt install fonts-noto-cjk`` or
``fonts-wqy-microhei``); without one the station logs a warning and Chinese shows as boxes.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

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


def main(argv: list[str]) -> int:
    output = Path(argv[0]) if argv else DEFAULT_OUTPUT
    for path in render(output):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
