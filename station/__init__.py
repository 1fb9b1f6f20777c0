"""UDI Station's domain core: code reader, records, rules. No GUI, device or network code."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("udi-station")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
