"""Where the shipped data files are, without Qt: ``resources/`` in a checkout, inside the wheel
otherwise (``pyproject.toml`` force-includes it as ``station/_resources``).

``ui/resources.py`` answers the same question for the GUI; this one exists because ``station``
may not import ``ui``.

>>> resource_path("epcis", "EPCIS-JSON-Schema.json").name
'EPCIS-JSON-Schema.json'
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["resource_path", "resources_dir"]

_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE.parent / "resources"
_INSTALLED = _PACKAGE / "_resources"


def resources_dir() -> Path:
    """The installed copy wins when present: a wheel never sits beside a checkout's folder."""
    return _INSTALLED if _INSTALLED.is_dir() else _CHECKOUT


def resource_path(*parts: str) -> Path:
    """``resource_path("epcis", "EPCIS-JSON-Schema.json")`` → its path (existence not checked)."""
    return resources_dir().joinpath(*parts)
