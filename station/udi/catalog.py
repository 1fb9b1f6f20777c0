"""The complete issue catalogue: every code any format module can report.

Format modules register their issue types when imported; this module imports them all so the
catalogue is complete for documentation, translation and tests.
"""

from __future__ import annotations

import importlib
import pkgutil

import station.udi
from station.udi.model import CATALOG, IssueType


def all_issue_types() -> list[IssueType]:
    """Every registered issue type, sorted by code."""
    for module in pkgutil.iter_modules(station.udi.__path__):
        importlib.import_module(f"station.udi.{module.name}")
    return sorted(CATALOG.values(), key=lambda t: t.code)
