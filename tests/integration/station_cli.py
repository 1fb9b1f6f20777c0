"""Run the ``station`` command as a real process, as a user or a script would."""

from __future__ import annotations

import subprocess
import sys

STATION = [sys.executable, "-m", "ui.cli"]


def station(*args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    """``station ARGS…`` with UTF-8 text output captured; never raises on a non-zero exit."""
    return subprocess.run(
        [*STATION, *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        check=False,
    )
