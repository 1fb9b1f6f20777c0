"""Fonts: large enough to read from a step away, and with Chinese glyphs when Chinese is shown.

Qt falls back per glyph on most systems, but which font it picks is unpredictable (and on a
machine without any CJK font every Chinese character is a box). So in Chinese the station picks
an installed CJK family explicitly, and says in the log when there is none.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from ui.i18n import CHINESE
from ui.qt import QApplication, QFont, QFontDatabase

_log = logging.getLogger(__name__)

#: Base size of all text, in points. Shop-floor screens are read from about a metre away.
BASE_POINT_SIZE = 13

#: Simplified-Chinese families in order of preference: Windows, macOS, then common Linux ones.
PREFERRED_CJK_FAMILIES = (
    "Microsoft YaHei UI",
    "Microsoft YaHei",
    "PingFang SC",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Noto Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Droid Sans Fallback",
    "SimHei",
    "SimSun",
)

MISSING_CJK_HINT = (
    "no Chinese font is installed; Chinese text may show as boxes. "
    "Install one (Debian/Ubuntu: apt install fonts-noto-cjk)"
)


def pick_cjk_family(families: Iterable[str], writes_chinese: Callable[[str], bool]) -> str | None:
    """The best installed family for Simplified Chinese, or None.

    >>> pick_cjk_family(["DejaVu Sans", "WenQuanYi Micro Hei"], lambda f: "Hei" in f)
    'WenQuanYi Micro Hei'
    >>> pick_cjk_family(["DejaVu Sans"], lambda f: False) is None
    True
    """
    installed = list(families)
    by_name = {name.casefold(): name for name in installed}
    for wanted in PREFERRED_CJK_FAMILIES:
        found = by_name.get(wanted.casefold())
        if found is not None and writes_chinese(found):
            return found
    return next((name for name in installed if writes_chinese(name)), None)


def installed_cjk_family() -> str | None:
    def writes_chinese(family: str) -> bool:
        systems = QFontDatabase.writingSystems(family)
        return QFontDatabase.WritingSystem.SimplifiedChinese in systems

    return pick_cjk_family(QFontDatabase.families(), writes_chinese)


def apply_ui_font(app: QApplication, language: str) -> QFont:
    """Set the application font for ``language`` and return it."""
    # From the system's font, not the current one: the language may have changed since.
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont)
    font.setPointSize(BASE_POINT_SIZE)
    if language == CHINESE:
        family = installed_cjk_family()
        if family is None:
            _log.warning(MISSING_CJK_HINT)
        else:
            # The CJK family first: its Latin glyphs are fine and the line height stays even.
            font.setFamilies([family, *font.families()])
    app.setFont(font)
    return font


def monospace_font(base: QFont) -> QFont:
    """A fixed-width font the size of ``base``, keeping its CJK fallback, for raw data."""
    mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    mono.setPointSize(base.pointSize())
    mono.setFamilies([*mono.families(), *base.families()])
    return mono


def scaled(base: QFont, factor: float, bold: bool = False) -> QFont:
    """``base`` resized by ``factor`` (for banners and key values)."""
    font = QFont(base)
    font.setPointSizeF(base.pointSizeF() * factor)
    font.setBold(bold)
    return font
