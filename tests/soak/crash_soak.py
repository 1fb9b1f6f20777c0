"""Long crash soak (DUR-2), run by hand or nightly: ``python -m tests.soak.crash_soak 10000``.

Same harness as ``tests/integration/test_crash_durability.py``, with as many SIGKILLs as asked
for on one database file. Exit status 0 when every acknowledged event survived every kill.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from tests.integration.crash_harness import run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("kills", type=int, help="how many times to SIGKILL the writer")
    parser.add_argument("--seed", type=int, default=1, help="random seed for the kill moments")
    parser.add_argument(
        "--max-delay", type=float, default=0.05, help="longest life of a worker, in seconds"
    )
    parser.add_argument("--db", type=Path, help="database file (default: a temporary one)")
    args = parser.parse_args(argv)
    if sys.platform == "win32":
        print("crash soak: SIGKILL and fork() do not exist on Windows", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="station-soak-") as scratch:
        db_path = args.db or Path(scratch) / "station.sqlite"
        report = run(db_path, args.kills, seed=args.seed, max_delay=args.max_delay)
    print(
        f"crash soak: {report.kills} kills, {len(report.acked)} acks verified, "
        f"{report.committed} events committed, {report.seconds:.1f} s"
    )
    for failure in report.failures[:50]:
        print(f"FAIL {failure}", file=sys.stderr)
    return 0 if not report.failures and report.kills == args.kills else 1


if __name__ == "__main__":
    sys.exit(main())
