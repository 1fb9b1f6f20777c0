"""The locks are the validated configuration: every declared dependency is pinned with hashes."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*")


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared(group: str | None) -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    specs = project["project"]["dependencies"]
    if group:
        specs = specs + project["dependency-groups"][group]
    return {_normal(m.group(0)) for s in specs if (m := _NAME.match(s))}


def _pinned(lock: str) -> dict[str, list[str]]:
    pins: dict[str, list[str]] = {}
    current = ""
    for line in (ROOT / "locks" / lock).read_text(encoding="utf-8").splitlines():
        if "==" in line and not line.startswith((" ", "#")):
            current = _normal(line.split("==")[0])
            pins[current] = []
        elif "--hash=sha256:" in line and current:
            pins[current].append(line.strip())
    return pins


def test_runtime_lock_pins_every_runtime_dependency_with_hashes() -> None:
    pins = _pinned("runtime.txt")
    assert _declared(None) <= pins.keys()
    assert all(pins.values()), "every pinned package needs at least one hash"


def test_dev_lock_pins_runtime_and_dev_dependencies_with_hashes() -> None:
    pins = _pinned("dev.txt")
    assert _declared("dev") <= pins.keys()
    assert all(pins.values())


def test_runtime_and_dev_locks_agree_on_shared_versions() -> None:
    runtime = (ROOT / "locks" / "runtime.txt").read_text(encoding="utf-8")
    dev = (ROOT / "locks" / "dev.txt").read_text(encoding="utf-8")
    # name==version plus the environment marker of universal locks (e.g. numpy per Python).
    pins = re.compile(r"^([A-Za-z0-9._-]+==[^\\\n]+?)\s*\\?$", re.MULTILINE)
    missing = set(pins.findall(runtime)) - set(pins.findall(dev))
    assert not missing, f"runtime pins absent from the dev lock: {sorted(missing)}"
