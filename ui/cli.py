"""The ``station`` command. With no subcommand it opens the GUI.

Subcommands live in ``ui/commands/`` (one module each) and import only what they need, so
``station parse`` never loads Qt.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ui.commands import (
    backup,
    checkpoint,
    decode,
    demo_data,
    diagnostics,
    erp_sim,
    export_epcis,
    key,
    label,
    masterdata,
    parse,
    recall,
    restore,
    sync,
    trace,
    user,
    verify,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="station",
        description="UDI Station (追溯码扫描站): scan, identify and trace medical-device codes.",
    )
    parser.add_argument(
        "--demo", action="store_true", help="open the GUI with demo data and simulated devices"
    )
    parser.add_argument(
        "--lang", metavar="LANG", help="user interface language: en or zh_CN (default: system)"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    gui = commands.add_parser("gui", help="open the station window (the default)")
    gui.add_argument("--demo", action="store_true", help="demo data and simulated devices")
    gui.add_argument("--lang", metavar="LANG", help="en or zh_CN")
    parse.register(commands)
    decode.register(commands)
    label.register(commands)
    diagnostics.register(commands)
    backup.register(commands)
    restore.register(commands)
    verify.register(commands)
    key.register(commands)
    checkpoint.register(commands)
    export_epcis.register(commands)
    masterdata.register(commands)
    trace.register(commands)
    recall.register(commands)
    demo_data.register(commands)
    erp_sim.register(commands)
    sync.register(commands)
    user.register(commands)
    return parser


def _run_gui(args: argparse.Namespace) -> int:
    from ui.app import run_gui  # noqa: PLC0415 - Qt loads only when the GUI is wanted

    language = args.lang if args.lang else None
    if language not in (None, "en", "zh_CN"):
        print(f"station: unknown language {language!r} (use en or zh_CN)", file=sys.stderr)
        return 2
    return run_gui(demo=bool(args.demo), language=language)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command in (None, "gui"):
        return _run_gui(args)
    handler = args.handler
    result: int = handler(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
