"""The ``station`` command. With no subcommand it opens the GUI.

Subcommands live in ``ui/commands/`` (one module each) and import only what they need, so
``station parse`` never loads Qt.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def build_parser() -> argparse.ArgumentParser:
    from ui.commands import (  # noqa: PLC0415 - only when a command is asked for
        backup,
        checkpoint,
        decode,
        demo_data,
        diagnostics,
        erp_sim,
        export_epcis,
        export_record,
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
    export_record.register(commands)
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


def _gui_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="station")
    parser.add_argument("command", nargs="?", choices=["gui"])
    parser.add_argument("--demo", action="store_true")
    parser.add_argument("--lang", metavar="LANG")
    return parser


def wants_gui(argv: Sequence[str]) -> bool:
    """Whether ``argv`` opens the window (no subcommand, or ``gui``), so that start-up need not
    import every command (the camera decoder, the ERP simulator …) just to parse options.

    >>> wants_gui([]), wants_gui(["--demo", "--lang", "zh_CN"]), wants_gui(["gui", "--demo"])
    (True, True, True)
    >>> wants_gui(["parse", "x"]), wants_gui(["--help"]), wants_gui(["--lang", "en", "trace"])
    (False, False, False)
    """
    rest = list(argv)
    words: list[str] = []
    while rest:
        arg = rest.pop(0)
        if arg in ("-h", "--help"):
            return False
        if arg == "--lang":
            if rest:
                rest.pop(0)
            continue
        if arg == "--demo" or arg.startswith("--lang="):
            continue
        words.append(arg)
    return not words or words == ["gui"]


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if wants_gui(arguments):
        return _run_gui(_gui_parser().parse_args(arguments))
    args = build_parser().parse_args(argv)
    if args.command in (None, "gui"):
        return _run_gui(args)
    handler = args.handler
    result: int = handler(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
