"""Long power-loss soak (DUR-3), by hand or nightly: ``python -m tests.soak.power_loss_soak 5000``.

The harness of ``tests/integration/test_power_loss.py``: the DUR-2 crash harness with the worker
under the fault shim (``tests/faultshim``, Linux and a C compiler needed), an emulated power cut
(every write not fsynced since is undone, ``-shm`` deleted) after each of as many SIGKILLs as
asked for, all on one database file. Exit status 0 when every acknowledged event survived every
cut and the checks passed; 2 when the shim cannot run here.

``--synchronous NORMAL`` runs the negative control: it is expected to fail (exit status 1).
``--sync-delay-us`` sets how long each fsync sleeps first, as a disk flushing its cache would;
``--max-delay`` the longest life of a worker. The shim library is built once into
``$XDG_CACHE_HOME/udi-station-faultshim`` (``~/.cache`` by default).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from tests.faultshim import Shim, build, unavailable_reason
from tests.integration.faultshim_power_harness import run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("kills", type=int, help="how many times to SIGKILL the writer")
    parser.add_argument("--seed", type=int, default=1, help="random seed for the kill moments")
    parser.add_argument(
        "--max-delay", type=float, default=0.05, help="longest life of a worker, in seconds"
    )
    parser.add_argument(
        "--sync-delay-us", type=int, default=1000, help="sleep before each fsync, microseconds"
    )
    parser.add_argument(
        "--synchronous", choices=["NORMAL"], help="negative control: expected to lose acks"
    )
    parser.add_argument("--dir", type=Path, help="empty directory for the database and logs")
    args = parser.parse_args(argv)
    if (reason := unavailable_reason()) is not None:
        print(f"power-loss soak: {reason}", file=sys.stderr)
        return 2
    library = build()
    with tempfile.TemporaryDirectory(prefix="station-power-soak-") as scratch:
        root = args.dir or Path(scratch)
        (root / "db").mkdir(parents=True, exist_ok=True)
        shim = Shim.create(library, root / "db", root, undo=True)
        report = run(
            shim.directory / "station.sqlite",
            shim,
            args.kills,
            seed=args.seed,
            max_delay=args.max_delay,
            synchronous=args.synchronous,
            sync_delay_us=args.sync_delay_us,
        )
    print(
        f"power-loss soak: {report.kills} kills, {len(report.acked)} acks verified, "
        f"{report.committed} events committed, {report.writes_undone} unsynced writes undone "
        f"after {report.lives_with_loss} kills, {report.seconds:.1f} s"
    )
    for failure in report.failures[:50]:
        print(f"FAIL {failure[:500]}", file=sys.stderr)
    return 0 if not report.failures and report.kills == args.kills else 1


if __name__ == "__main__":
    sys.exit(main())
