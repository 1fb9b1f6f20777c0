"""Probe the optional libraries a station may use, and say plainly what is missing.

pyzbar needs the system zbar library. The station works without it (zxing-cpp is the primary
decoder); diagnostics must say so clearly rather than fail at the first camera frame.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import sys
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class LibraryStatus:
    name: str
    purpose: str
    required: bool
    available: bool
    version: str | None
    detail: str


def _version(distribution: str) -> str | None:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def _zbar_hint() -> str:
    if sys.platform.startswith("linux"):
        return "install the system package libzbar0 (Debian/Ubuntu: sudo apt install libzbar0)"
    if sys.platform == "darwin":
        return "install zbar (brew install zbar)"
    return "reinstall pyzbar; its Windows wheel bundles zbar"


# (import name, distribution, purpose, required, hint when missing)
_LIBRARIES: tuple[tuple[str, str, str, bool, str], ...] = (
    (
        "zxingcpp",
        "zxing-cpp",
        "primary barcode decoder and encoder",
        True,
        "reinstall the station's locked environment",
    ),
    ("pyzbar.pyzbar", "pyzbar", "optional second decoder (1D and QR only)", False, ""),
    (
        "cv2",
        "opencv-python-headless",
        "camera capture",
        True,
        "reinstall the station's locked environment",
    ),
    (
        "serial",
        "pyserial",
        "serial (USB CDC-ACM, RS-232) scanners",
        True,
        "reinstall the station's locked environment",
    ),
)


def probe_library(
    module: str, distribution: str, purpose: str, required: bool, hint: str
) -> LibraryStatus:
    """Import ``module`` and report whether it works, never raising."""
    try:
        importlib.import_module(module)
    except (ImportError, OSError) as exc:  # OSError: a shared library failed to load
        if module.startswith("pyzbar"):
            hint = _zbar_hint()
        impact = "the station cannot start scanning" if required else "the station works without it"
        detail = f"missing: {exc}. {impact.capitalize()}; to enable it, {hint}."
        return LibraryStatus(
            distribution,
            purpose,
            required,
            available=False,
            version=_version(distribution),
            detail=detail,
        )
    return LibraryStatus(
        distribution,
        purpose,
        required,
        available=True,
        version=_version(distribution),
        detail="ok",
    )


def probe_all() -> list[LibraryStatus]:
    return [probe_library(*entry) for entry in _LIBRARIES]
