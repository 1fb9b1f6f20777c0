#!/usr/bin/env python3
"""Bootstrap and run UDI Station from a fresh checkout with nothing but Python >= 3.11.

    python3 dev.py start     open the station (demo database, simulated devices)
    python3 dev.py test      run every check: ruff, mypy, import-linter, pytest
    python3 dev.py station … run any `station` subcommand in the locked environment

The first run installs uv into `.tools/` (from PyPI, with pip) unless uv is already on PATH,
then makes `.venv/` hold exactly what `locks/dev.txt` pins, every file checked against its
SHA-256 hash: the lock is the validated configuration (`docs/development.md` says how to
regenerate it). The project itself is installed editable on top, without dependencies.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
TOOLS = ROOT / ".tools"
UV_VERSION = "0.13.8"
LOCK = ROOT / "locks" / "dev.txt"
MIN_PYTHON = (3, 11)

# The whole test command. `.ci/run` runs exactly this list through `dev.py test`.
CHECKS: list[tuple[str, list[str]]] = [
    ("ruff lint", ["ruff", "check", "."]),
    ("ruff format", ["ruff", "format", "--check", "."]),
    ("mypy", ["mypy"]),
    ("import-linter", ["lint-imports"]),
    ("pytest", ["pytest"]),
]


def _bin_dir(env: Path) -> Path:
    return env / ("Scripts" if os.name == "nt" else "bin")


def _exe(name: str) -> str:
    return name + (".exe" if os.name == "nt" else "")


def find_uv() -> str:
    """Return a usable uv executable, installing a pinned one into .tools/ if needed."""
    local = _bin_dir(TOOLS) / _exe("uv")
    if local.exists():
        return str(local)
    on_path = shutil.which("uv")
    if on_path:
        return on_path
    print(f"dev.py: installing uv {UV_VERSION} into {TOOLS} (one time)", flush=True)
    venv.EnvBuilder(with_pip=True, clear=True).create(TOOLS)
    python = _bin_dir(TOOLS) / _exe("python")
    pip_install = [str(python), "-m", "pip", "install", "--quiet", f"uv=={UV_VERSION}"]
    subprocess.run(pip_install, check=True)
    return str(local)


def sync_environment(uv: str) -> None:
    """Make .venv hold exactly the locked packages (hash-checked) plus this project, editable."""
    env = dict(os.environ, UV_PYTHON_DOWNLOADS="never", VIRTUAL_ENV=str(ROOT / ".venv"))
    env.pop("CONDA_PREFIX", None)
    if not (_bin_dir(ROOT / ".venv") / _exe("python")).exists():
        subprocess.run(
            [uv, "venv", "--quiet", "--python", sys.executable, ".venv"],
            check=True,
            cwd=ROOT,
            env=env,
        )
    steps = [
        # Bytecode compiled at install, as pip does: the station starts in about a second
        # instead of compiling every module on each start when .pyc files cannot be written.
        [uv, "pip", "sync", "--quiet", "--require-hashes", "--compile-bytecode", str(LOCK)],
        [uv, "pip", "install", "--quiet", "--no-deps", "--editable", "."],
    ]
    for step in steps:
        subprocess.run(step, check=True, cwd=ROOT, env=env)


def venv_command(name: str) -> str:
    return str(_bin_dir(ROOT / ".venv") / _exe(name))


def run_station(args: list[str]) -> int:
    return subprocess.call([venv_command("station"), *args], cwd=ROOT)


def run_tests(pytest_args: list[str]) -> int:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    failed: list[str] = []
    for title, cmd in CHECKS:
        full = [venv_command(cmd[0]), *cmd[1:]]
        if title == "pytest":
            full += pytest_args
        print(f"\n=== {title}: {' '.join(cmd)}", flush=True)
        if subprocess.call(full, cwd=ROOT, env=env) != 0:
            failed.append(title)
    print("\n=== summary:", "all checks passed" if not failed else "FAILED: " + ", ".join(failed))
    return 1 if failed else 0


def main(argv: list[str]) -> int:
    if sys.version_info < MIN_PYTHON:
        print(f"UDI Station needs Python >= {'.'.join(map(str, MIN_PYTHON))}", file=sys.stderr)
        return 2
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return 0 if argv else 2
    command, rest = argv[0], argv[1:]
    if command not in {"start", "test", "station"}:
        print(f"dev.py: unknown command {command!r}\n{__doc__}", file=sys.stderr)
        return 2
    sync_environment(find_uv())
    if command == "start":
        return run_station(["--demo", *rest])
    if command == "station":
        return run_station(rest)
    return run_tests(rest)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
