"""``station label calibrate`` and ``station label status``: the printer set-up helpers.

* ``calibrate --width MM --height MM --dpi N (--out FILE --format pdf|zpl|png | --printer NAME)``
  — the calibration label (rulers, a frame 1 mm in, a measured square, 1–5 dot bars, a symbol
  that must scan; ``station/labels/calibration.py``) as a file or straight to a printer. A test
  print carries no record data, so nothing is recorded.
* ``status --printer NAME [--printers FILE]`` — a ZPL printer's ``~HS`` status in words; exit 0
  when it is ready, 1 when not (or when it does not answer).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from station.errors import StationError
from station.labels.calibration import calibration_label

__all__ = ["register_tools"]


def register_tools(actions: Any, printer_of: Any) -> None:
    """Add the subcommands to ``station label``; ``printer_of(name, file)`` finds a printer."""
    calibrate = actions.add_parser("calibrate", help="a test print to check scale and offsets")
    calibrate.add_argument("--width", type=float, required=True, metavar="MM")
    calibrate.add_argument("--height", type=float, required=True, metavar="MM")
    calibrate.add_argument("--dpi", type=int, default=None, choices=(203, 300, 600))
    target = calibrate.add_mutually_exclusive_group(required=True)
    target.add_argument("--out", type=Path, metavar="FILE")
    target.add_argument("--printer", metavar="NAME")
    calibrate.add_argument("--format", choices=("pdf", "zpl", "png"), help="with --out")
    calibrate.add_argument("--printers", type=Path, metavar="FILE")
    calibrate.set_defaults(handler=run_calibrate, printer_of=printer_of)

    status = actions.add_parser("status", help="ask a ZPL printer whether it is ready (~HS)")
    status.add_argument("--printer", required=True, metavar="NAME")
    status.add_argument("--printers", type=Path, metavar="FILE")
    status.set_defaults(handler=run_status, printer_of=printer_of)


def _fail(message: str) -> int:
    print(f"station label: {message}", file=sys.stderr)
    return 1


def run_calibrate(args: argparse.Namespace) -> int:
    from ui.print_run import printer_transport, render_labels  # noqa: PLC0415

    try:
        if args.out is not None:
            fmt = args.format or args.out.suffix.lstrip(".").lower()
            if fmt not in ("pdf", "zpl", "png"):
                return _fail("say --format pdf, zpl or png (or name the file .pdf/.zpl/.png)")
            dpi = args.dpi or 300
            label = calibration_label(args.width, args.height, dpi)
            args.out.write_bytes(render_labels([label], fmt, dpi))
            print(f"{args.out}: calibration label {args.width:g} × {args.height:g} mm, {dpi} dpi")
            return 0
        choice = args.printer_of(args.printer, args.printers)
        dpi = args.dpi or choice.dpi
        label = calibration_label(args.width, args.height, dpi)
        payload = render_labels([label], choice.language, dpi)
        with printer_transport(choice) as transport:
            transport.send(payload, timeout=30.0)
    except (ValueError, StationError, OSError) as error:
        return _fail(f"no calibration label: {error}")
    print(f"calibration label sent to {choice.name} ({dpi} dpi): measure the square and rulers")
    return 0


def run_status(args: argparse.Namespace) -> int:
    from drivers.printers.status import printer_status  # noqa: PLC0415
    from ui.print_run import printer_transport  # noqa: PLC0415

    try:
        choice = args.printer_of(args.printer, args.printers)
        if choice.language != "zpl":
            return _fail(f"printer {choice.name} is not a ZPL printer: it cannot report status")
        with printer_transport(choice) as transport:
            status = printer_status(transport, timeout=5.0)
    except StationError as error:
        return _fail(f"printer {args.printer}: {error}")
    if status.ready:
        print(f"{choice.name}: ready")
        return 0
    print(f"{choice.name}: NOT ready: {'; '.join(status.problems)}")
    return 1
