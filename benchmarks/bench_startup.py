"""Cold start to ready-to-scan, and memory with the camera on.

Run::

    .venv/bin/python -m benchmarks.bench_startup            # print the table
    .venv/bin/python -m benchmarks.bench_startup --write    # also update docs/benchmarks.md

Each run starts a new process (``QT_QPA_PLATFORM=offscreen``, so no screen is needed) and
times it from ``Popen`` until the process prints ``READY``: the window is shown, the event
loop runs, the database is open and the scan sources are started, so the next scan is taken
(``ui.app._announce_ready``). Measured, in alternating order, on the same machine:

* ``station`` on an existing station database (the first-start database with its users);
* ``station --demo`` (the demo database is copied from a cache made on the first run, the
  simulated scanner, camera and printer start);
* raw PySide6: a ``QApplication`` and a ``QMainWindow`` with one label, shown — the floor any
  Qt program sits on.

Memory: ``station --demo`` runs with the simulated camera decoding for ``--camera-seconds``;
the peak resident set (``VmHWM`` in ``/proc/PID/status``, Linux) is read just before it quits,
next to the raw PySide6 window's. The caches of the operating system are warm after the first
run (a true cold boot reads the libraries from disk: slower, and not repeatable here).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.common import command_line, kept_reading, machine, percentile, write_section

SECTION = "## Start-up: cold start to ready-to-scan, memory with the camera on"
READING = "### Reading the start-up numbers"
RAW_QT = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setCentralWidget(QLabel("ready"))
window.resize(1280, 860)
window.show()
def ready():
    sys.stdout.write("READY\\n")
    sys.stdout.flush()
    QTimer.singleShot(int(sys.argv[1]), app.quit)
QTimer.singleShot(0, ready)
sys.exit(app.exec())
"""


@dataclass
class Run:
    seconds: float
    peak_rss_mb: float


def _peak_rss_mb(pid: int) -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    except OSError:
        return float("nan")
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _start(args: list[str], env: dict[str, str], linger_ms: int) -> Run:
    """Start ``args``, time until READY, wait ``linger_ms``, read the peak RSS, let it quit."""
    started = time.perf_counter()
    process = subprocess.Popen(
        args, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    assert process.stdout is not None
    try:
        for line in process.stdout:
            if line.strip() == "READY":
                break
        else:
            msg = f"{args} ended without READY (exit {process.wait()})"
            raise RuntimeError(msg)
        seconds = time.perf_counter() - started
        time.sleep(max(0, linger_ms - 300) / 1000)
        peak = _peak_rss_mb(process.pid)
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return Run(seconds, peak)


def _environment(home: Path, quit_after_ms: int) -> dict[str, str]:
    env = dict(os.environ)
    # As installed: modules load from compiled bytecode (see compile_bytecode).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(
        {
            "QT_QPA_PLATFORM": "offscreen",
            "UDI_STATION_ANNOUNCE_READY": "1",
            "UDI_STATION_QUIT_AFTER_MS": str(quit_after_ms),
            # A home of its own: the station's settings, data and demo cache start empty.
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_DATA_HOME": str(home / "data"),
            "XDG_CACHE_HOME": str(home / "cache"),
        }
    )
    return env


def compile_bytecode() -> None:
    """Compile the project and its environment, as an installation does (pip by default,
    ``dev.py`` with ``uv pip sync --compile-bytecode``); without it every start would compile
    each module again wherever ``.pyc`` files cannot be written."""
    root = Path(__file__).resolve().parents[1]
    folders = [root / name for name in ("station", "ui", "drivers", "sync")]
    folders += [Path(p) for p in sys.path if p.endswith("site-packages")]
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", "-j", "0", *map(str, folders)],
        check=False,
        stdout=subprocess.DEVNULL,
    )


def measure(runs: int, camera_seconds: float) -> dict[str, list[Run]]:
    compile_bytecode()
    python = sys.executable
    results: dict[str, list[Run]] = {"station": [], "demo": [], "raw": [], "demo_camera": []}
    with tempfile.TemporaryDirectory(prefix="udi-bench-startup-") as folder:
        home = Path(folder)
        env = _environment(home, 200)
        station = [python, "-m", "ui.cli"]
        # First runs make the station database and the demo cache; they are not counted.
        _start([*station, "--demo"], env, 200)
        _start(station, env, 200)
        for _ in range(runs):
            results["station"].append(_start(station, env, 200))
            results["demo"].append(_start([*station, "--demo"], env, 200))
            results["raw"].append(_start([python, "-c", RAW_QT, "200"], env, 200))
        camera_ms = int(camera_seconds * 1000)
        camera_env = _environment(home, camera_ms)
        results["demo_camera"].append(_start([*station, "--demo"], camera_env, camera_ms))
        raw = [python, "-c", RAW_QT, str(camera_ms)]
        results["raw_linger"] = [_start(raw, camera_env, camera_ms)]
    return results


def table(results: dict[str, list[Run]], camera_seconds: float) -> str:
    names = {
        "station": "`station` (existing database, sign-in page)",
        "demo": "`station --demo` (demo database, simulated scanner, camera, printer)",
        "raw": "raw PySide6: `QApplication` + `QMainWindow`, shown",
    }
    lines = [
        "| Start | runs | median s | p90 s | max s | peak RSS MB (median) |",
        "|---|---|---|---|---|---|",
    ]
    for key, title in names.items():
        times = sorted(run.seconds for run in results[key])
        rss = sorted(run.peak_rss_mb for run in results[key])
        lines.append(
            f"| {title} | {len(times)} | {percentile(times, 0.5):.2f} | "
            f"{percentile(times, 0.9):.2f} | {times[-1]:.2f} | {percentile(rss, 0.5):.0f} |"
        )
    camera = results["demo_camera"][0]
    raw = results["raw_linger"][0]
    lines += [
        "",
        "| Memory | peak RSS MB |",
        "|---|---|",
        (
            f"| `station --demo`, simulated camera decoding for {camera_seconds:.0f} s | "
            f"{camera.peak_rss_mb:.0f} |"
        ),
        f"| raw PySide6 window, same time | {raw.peak_rss_mb:.0f} |",
    ]
    station_median = percentile(sorted(r.seconds for r in results["station"]), 0.5)
    demo_median = percentile(sorted(r.seconds for r in results["demo"]), 0.5)
    lines += [
        "",
        (
            f"Ready to scan: station {station_median:.2f} s, demo {demo_median:.2f} s "
            f"(target 2 s: {'meets' if max(station_median, demo_median) <= 2 else 'misses'}). "
            f"Memory with the camera on: {camera.peak_rss_mb:.0f} MB "
            f"(target 400 MB: {'meets' if camera.peak_rss_mb <= 400 else 'misses'})."
        ),
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--camera-seconds", type=float, default=20.0)
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args(argv)
    results = measure(args.runs, args.camera_seconds)
    body = table(results, args.camera_seconds)
    print(body)
    if args.write:
        section = "\n".join(
            [
                SECTION,
                "",
                (
                    "Each start is a new process on the offscreen platform, timed from `Popen` "
                    "to the `READY` it prints once the window is shown with the event loop "
                    "running, the database open and the scan sources started; the three kinds "
                    "alternate."
                ),
                "",
                "```",
                command_line("benchmarks.bench_startup", argv),
                "```",
                "",
                f"Machine: {machine()}.",
                "",
                body,
                "",
            ]
        )
        kept = kept_reading(SECTION, READING)  # the hand-written reading stays
        write_section(SECTION, section + ("\n" + kept + "\n" if kept else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
