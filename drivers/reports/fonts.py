"""A font that can show Chinese in a PDF: a system TrueType font if one is found, else the
PDF standard CID font ``STSong-Light`` (Adobe-GB1), which needs no file.

An embedded TrueType subset renders the same everywhere and its text can be copied and
searched; the CID font relies on the viewer having a matching font, so it is the fallback.
Fonts with PostScript (CFF) outlines — Noto CJK, PingFang — are refused by reportlab and skipped.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped]
from reportlab.pdfbase.cidfonts import UnicodeCIDFont  # type: ignore[import-untyped]
from reportlab.pdfbase.ttfonts import TTFError, TTFont  # type: ignore[import-untyped]

__all__ = ["CID_FALLBACK", "CjkFont", "cjk_font", "font_candidates"]

CID_FALLBACK = "STSong-Light"
_NAME = "StationCJK"


@dataclass(frozen=True, slots=True)
class CjkFont:
    name: str  # the reportlab font name to use
    path: Path | None  # the embedded file, None for the CID fallback

    @property
    def embedded(self) -> bool:
        return self.path is not None


def font_candidates() -> list[Path]:
    """System CJK fonts to try, most preferred first (Windows, Linux, macOS)."""
    windows = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
    return [
        windows / "msyh.ttc",
        windows / "simsun.ttc",
        windows / "simhei.ttf",
        Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
        Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
        Path("/usr/share/fonts/wqy-microhei/wqy-microhei.ttc"),
        Path("/usr/share/fonts/truetype/arphic/uming.ttc"),
        Path("/Library/Fonts/Arial Unicode.ttf"),
        Path("/System/Library/Fonts/Supplemental/Arial Unicode.ttf"),
    ]


_chosen: CjkFont | None = None


def _try_embed(paths: Iterable[Path]) -> CjkFont | None:
    for path in paths:
        if not path.is_file():
            continue
        try:
            font = TTFont(_NAME, str(path), subfontIndex=0)
        except (TTFError, OSError, ValueError):
            continue  # CFF outlines, a broken file: try the next one
        pdfmetrics.registerFont(font)
        return CjkFont(_NAME, path)
    return None


def cjk_font(candidates: Iterable[Path] | None = None) -> CjkFont:
    """Register (once) and return the CJK font reports use."""
    global _chosen  # noqa: PLW0603 - reportlab's font registry is process-global too
    if candidates is not None:
        return _try_embed(candidates) or _cid()
    if _chosen is None:
        _chosen = _try_embed(font_candidates()) or _cid()
    return _chosen


def _cid() -> CjkFont:
    pdfmetrics.registerFont(UnicodeCIDFont(CID_FALLBACK))
    return CjkFont(CID_FALLBACK, None)
