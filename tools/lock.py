"""Regenerate the hash-pinned locks: ``python tools/lock.py`` (needs uv; dev.py installs it).

The runtime lock is resolved first; the dev lock is then constrained to the runtime pins, so a
package shared by both has the same version and hashes in each (tests/unit/test_locks.py).
Locks are universal (Linux, Windows, macOS) for Python 3.11, the oldest supported version.
They record names, versions and hashes only, never an index address.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCKS = ROOT / "locks"
COMMON = ["--universal", "--generate-hashes", "--python-version", "3.11", "--quiet"]


def _uv() -> str:
    local = ROOT / ".tools" / ("Scripts/uv.exe" if sys.platform == "win32" else "bin/uv")
    found = str(local) if local.exists() else shutil.which("uv")
    if not found:
        sys.exit("uv not found: run `python3 dev.py test` once, or install uv")
    return found


def _pins_only(lock: Path) -> str:
    """The lock's `name==version ; marker` lines (hashes dropped), usable as constraints."""
    pattern = r"^([A-Za-z0-9._-]+==[^\\\n]+?)\s*\\?$"
    pins = re.findall(pattern, lock.read_text(encoding="utf-8"), re.M)
    return "\n".join(pins) + "\n"


def main() -> int:
    uv = _uv()
    runtime, dev = LOCKS / "runtime.txt", LOCKS / "dev.txt"
    rel_runtime, rel_dev = "locks/runtime.txt", "locks/dev.txt"
    compile_ = [uv, "pip", "compile", "pyproject.toml", *COMMON]
    subprocess.run([*compile_, "-o", rel_runtime], check=True, cwd=ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        constraints = Path(tmp) / "runtime-pins.txt"
        constraints.write_text(_pins_only(runtime), encoding="utf-8")
        subprocess.run(
            [*compile_, "--group", "dev", "-c", str(constraints), "-o", rel_dev],
            check=True,
            cwd=ROOT,
        )
    # The header names the command; keep it free of temporary paths.
    text = dev.read_text(encoding="utf-8")
    text = re.sub(r" -c \S+runtime-pins\.txt", " -c <runtime pins>", text)
    dev.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
