"""Where the shipped resources (translations, demo script) are, in a checkout or an installed wheel.

In a checkout they sit in ``resources/`` at the top level; the wheel carries the same folder as
``station/_resources`` (``pyproject.toml``, ``force-include``).
"""

from __future__ import annotations

from pathlib import Path

import station

_CHECKOUT = Path(__file__).resolve().parent.parent / "resources"
_INSTALLED = Path(station.__file__).resolve().parent / "_resources"


def resources_dir() -> Path:
    return _CHECKOUT if _CHECKOUT.is_dir() else _INSTALLED


def resource_path(*parts: str) -> Path:
    """``resource_path("demo", "scans.txt")`` → the file's path (existence not checked)."""
    return resources_dir().joinpath(*parts)
