"""What every benchmark shares: the results file, machine description, percentiles."""

from __future__ import annotations

import os
import platform
import shlex
import sys
from datetime import date
from importlib import metadata
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"


def machine() -> str:
    """CPU model, cores, OS and Python: the context a reader needs to weigh the numbers."""
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return (
        f"{cpu}, {os.cpu_count()} logical CPUs, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}"
    )


def percentile(values: list[float], fraction: float) -> float:
    """The value at ``fraction`` (0–1) of the sorted values, nearest rank.

    >>> percentile([4.0, 1.0, 3.0, 2.0, 5.0], 0.5), percentile([1.0, 2.0], 0.99)
    (3.0, 2.0)
    """
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def write_section(heading: str, section: str) -> None:
    """Replace the ``heading`` section of docs/benchmarks.md with ``section``, or append it."""
    text = DOCS.read_text(encoding="utf-8") if DOCS.exists() else "# Benchmarks\n\n"
    if heading in text:
        head, _, rest = text.partition(heading)
        following = rest.find("\n## ")
        tail = rest[following + 1 :] if following >= 0 else ""
        text = head + section + ("\n" + tail if tail else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    DOCS.parent.mkdir(parents=True, exist_ok=True)
    DOCS.write_text(text, encoding="utf-8")


def command_line(module: str, argv: list[str] | None) -> str:
    """The command that produced a result, as written into docs/benchmarks.md."""
    args = sys.argv[1:] if argv is None else argv
    return shlex.join([".venv/bin/python", "-m", module, *args])


def kept_reading(heading: str, reading: str) -> str:
    """The hand-written part (from ``reading`` on) of the ``heading`` section, kept across
    ``--write`` runs that rewrite the tables above it; empty when there is none yet."""
    if not DOCS.exists():
        return ""
    text = DOCS.read_text(encoding="utf-8")
    if heading not in text or reading not in text:
        return ""
    section = text.split(heading, 1)[1]
    end = section.find("\n## ")
    section = section if end < 0 else section[:end]
    if reading not in section:
        return ""
    return section[section.index(reading) :].rstrip("\n")


def pin_one_cpu() -> set[int] | None:
    """Pin this process to one CPU (where the OS allows); returns the CPUs to restore."""
    if not hasattr(os, "sched_setaffinity"):
        return None
    previous = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(previous)})
    return previous


def unpin(previous: set[int] | None) -> None:
    if previous is not None and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, previous)


def package_version(package: str) -> str:
    """The installed version of ``package``, or ``not installed``."""
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def write_results(
    heading: str, reading: str, *, intro: str, command: str, described: str, body: str
) -> None:
    """Rewrite a benchmark's section of docs/benchmarks.md: heading, what was measured, the
    command, the machine and date, the tables; the hand-written part from ``reading`` on is
    kept."""
    section = "\n".join(
        [
            heading,
            "",
            intro,
            "",
            "```",
            command,
            "```",
            "",
            f"Machine: {described}. Measured {date.today().isoformat()}.",  # noqa: DTZ011
            "",
            body,
            "",
        ]
    )
    kept = kept_reading(heading, reading)
    write_section(heading, section + ("\n" + kept + "\n" if kept else ""))
