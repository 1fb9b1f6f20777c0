"""``station diagnostics``: which optional libraries work on this machine, in plain words."""

from __future__ import annotations

import argparse
import json
import platform
import sys
from dataclasses import asdict
from typing import Any

from drivers.probe import probe_all


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "diagnostics", help="check the decoders and device libraries this station can use"
    )
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    statuses = probe_all()
    if args.json:
        report = {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "libraries": [asdict(s) for s in statuses],
        }
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(f"Python {platform.python_version()} on {platform.platform()}")
        for s in statuses:
            mark = "ok     " if s.available else ("MISSING" if s.required else "absent ")
            version = f" {s.version}" if s.version else ""
            print(f"  [{mark}] {s.name}{version}: {s.purpose}")
            if not s.available:
                print(f"            {s.detail}")
    missing_required = [s for s in statuses if s.required and not s.available]
    return 1 if missing_required else 0


if __name__ == "__main__":
    sys.exit(run(argparse.Namespace(json=False)))
