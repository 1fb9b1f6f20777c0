"""Parse throughput of the station's code reader against biip, on the same GS1 scans.

Run::

    .venv/bin/python -m benchmarks.bench_parse            # print the table
    .venv/bin/python -m benchmarks.bench_parse --write    # also update docs/benchmarks.md

The inputs are ~1000 distinct, valid UDI element strings with AIM identifiers, built by the
station's own encoder from a seeded random generator: GTIN + dates + lot + serial (most
labels), SSCC pallet labels, and REF/count/protocol labels. Each repeat times one pass of
``station.udi.read_scan`` and one of ``biip.parse`` over all inputs (alternating which goes
first); the table reports the median µs per scan. Ours does more per scan (every linter, the
pairing rules, issue messages, GS1 prefix lookup) and must stay within 1.5x biip's time.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from datetime import date

import biip

from benchmarks.common import DOCS, machine, write_section
from station.udi import ReaderConfig, read_scan
from station.udi.build import UdiData, element_string
from station.udi.checks import gs1_check_digit

TODAY = date(2026, 11, 24)
CONFIG = ReaderConfig(today=TODAY)
TARGET_RATIO = 1.5
SECTION = "## Code reader: parse throughput"
_LOT_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789-/."


def _gtin(rng: random.Random) -> str:
    # Indicator 0 and a GS1 prefix from a few member organisations (400–440 DE, 690–699 CN…).
    prefix = rng.choice(["400", "401", "419", "690", "692", "760", "871", "030", "050"])
    body = "0" + prefix + "".join(rng.choice("0123456789") for _ in range(9))
    return body + str(gs1_check_digit(body))


def _sscc(rng: random.Random) -> str:
    body = str(rng.randint(0, 9)) + "4012345" + "".join(rng.choice("0123456789") for _ in range(9))
    return body + str(gs1_check_digit(body))


def _text(rng: random.Random, low: int, high: int) -> str:
    return "".join(rng.choice(_LOT_CHARS) for _ in range(rng.randint(low, high)))


def _udi(rng: random.Random) -> str:
    data = UdiData(
        gtin=_gtin(rng),
        lot=_text(rng, 4, 12),
        serial=_text(rng, 6, 16) if rng.random() < 0.8 else None,
        expiry=date(rng.randint(2025, 2031), rng.randint(1, 12), rng.randint(1, 28)),
        production_date=date(2025, rng.randint(1, 12), 1) if rng.random() < 0.6 else None,
    )
    return rng.choice(["]d2", "]d2", "]Q3", "]C1"]) + element_string(data, today=TODAY)


def _sscc_label(rng: random.Random) -> str:
    pairs = [("00", _sscc(rng))]
    if rng.random() < 0.5:
        pairs += [("02", _gtin(rng)), ("37", str(rng.randint(1, 500)))]
    return "]C1" + element_string(pairs, today=TODAY)


def _ref_label(rng: random.Random) -> str:
    pairs = [("01", _gtin(rng)), ("240", "REF-" + _text(rng, 3, 8))]
    pairs += [("30", str(rng.randint(1, 100))), ("7240", "PROT-" + _text(rng, 1, 6))]
    return "]d2" + element_string(pairs, today=TODAY)


def make_inputs(count: int = 1000, seed: int = 20261124) -> list[str]:
    """``count`` distinct scans: 70 % UDI labels, 15 % SSCC, 15 % REF/count/protocol."""
    rng = random.Random(seed)
    scans: dict[str, None] = {}
    while len(scans) < count:
        kind = rng.random()
        maker = _udi if kind < 0.70 else _sscc_label if kind < 0.85 else _ref_label
        scans[maker(rng)] = None
    return list(scans)


def _ours(scan: str) -> object:
    return read_scan(scan, CONFIG)


def _biip(scan: str) -> object:
    return biip.parse(scan)


def _one_pass(parse: Callable[[str], object], scans: Sequence[str]) -> float:
    start = time.perf_counter()
    for scan in scans:
        parse(scan)
    return (time.perf_counter() - start) / len(scans) * 1e6


def measure(scans: Sequence[str], repeats: int) -> dict[str, list[float]]:
    """µs per scan for each parser, one number per repeat."""
    for scan in scans:  # warm up: imports, biip's prefix tables, our caches
        code = read_scan(scan, CONFIG)
        if not code.valid:
            msg = f"benchmark input does not read as valid: {scan!r}: {code.issues}"
            raise SystemExit(msg)
        biip.parse(scan)
    results: dict[str, list[float]] = {"station": [], "biip": []}
    for repeat in range(repeats):
        order = [("station", _ours), ("biip", _biip)]
        if repeat % 2:
            order.reverse()
        for name, parse in order:
            results[name].append(_one_pass(parse, scans))
    return results


def report(results: dict[str, list[float]], count: int) -> str:
    ours = statistics.median(results["station"])
    theirs = statistics.median(results["biip"])
    ratio = ours / theirs
    verdict = "meets" if ratio <= TARGET_RATIO else "MISSES"
    rows = [
        "| Parser | median µs/scan | min | max | scans/s |",
        "|---|---|---|---|---|",
    ]
    for label, key, median in (
        ("station `read_scan`", "station", ours),
        ("biip `parse`", "biip", theirs),
    ):
        values = results[key]
        rows.append(
            f"| {label} | {median:.1f} | {min(values):.1f} | {max(values):.1f} | "
            f"{1e6 / median:,.0f} |"
        )
    return "\n".join(
        [
            *rows,
            "",
            (
                f"Ratio station/biip: **{ratio:.2f}** ({verdict} the {TARGET_RATIO}x target). "
                f"{count} distinct scans, {len(results['station'])} repeats."
            ),
        ]
    )


def write_docs(table: str, machine: str) -> None:
    """Replace (or add) the parse-throughput section of docs/benchmarks.md."""
    section = "\n".join(
        [
            SECTION,
            "",
            (
                "Median time to read one GS1 element string with its AIM identifier, on the "
                "same inputs, in one process (station `read_scan` does the full validation: "
                "every Syntax Dictionary linter, pairing rules, messages, GS1 prefix lookup)."
            ),
            "",
            "```",
            ".venv/bin/python -m benchmarks.bench_parse --write",
            "```",
            "",
            f"Machine: {machine}. Measured {date.today().isoformat()}.",  # noqa: DTZ011
            "",
            table,
            "",
        ]
    )
    write_section(SECTION, section)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000, help="distinct scans (default 1000)")
    parser.add_argument("--repeats", type=int, default=9, help="timed passes (default 9)")
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args(argv)
    scans = make_inputs(args.count)
    results = measure(scans, args.repeats)
    table = report(results, len(scans))
    described = f"{machine()}, biip {biip.__version__}"
    print(f"Machine: {described}\n")
    print(table)
    if args.write:
        write_docs(table, described)
        print(f"\nwrote {DOCS}")
    ratio = statistics.median(results["station"]) / statistics.median(results["biip"])
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
