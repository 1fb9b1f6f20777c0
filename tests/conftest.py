"""Shared test setup. Qt renders offscreen unless a platform was chosen explicitly.

This must run before any test imports Qt: the platform is read when QApplication is built.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
