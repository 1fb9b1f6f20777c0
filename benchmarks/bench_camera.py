"""Camera decoding: the station's multi-pass decoder against raw zxing-cpp and raw pyzbar.

Run::

    .venv/bin/python -m benchmarks.bench_camera            # print the tables
    .venv/bin/python -m benchmarks.bench_camera --write    # also update docs/benchmarks.md
    .venv/bin/python -m benchmarks.bench_camera --quick    # a few frames: does it run?

Every decoder sees the same frames in one run, frame by frame, in rotating order (so a noisy
neighbour process slows all of them alike). The frames come from :mod:`drivers.camera.synth`:
a *clean* set (square-on, sharp, ordinary module sizes) and the *distorted* set (small modules,
any rotation, blur, noise, perspective, low contrast, glare, one to three at a time), each
with ~15% frames that show a label but no symbol, at 1280×720 and 1920×1080.

Only exact reads count: the AIM identifier and content, GS included, must equal what was
printed. pyzbar reports no AIM identifier, so for it the content alone is compared (a
lenient rule in its favour) and DataMatrix counts as missed (ZBar cannot read it). A *false
read* is any code reported on a frame with none; a *wrong read* any other content reported on
a frame with a code (the right content without an AIM identifier, as the station's ZBar
second pass reports it, is neither exact nor wrong). The station decoder is reset before each
frame: the frames are unrelated stills, so its memory of recent hits cannot help (in a live
stream it can).

The process is pinned to one CPU (``os.sched_setaffinity``) and OpenCV to one thread, so
frames/s is what one core sustains: 1000 / mean ms per frame, empty frames included.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import cv2
import numpy as np
import zxingcpp

from benchmarks.common import (
    DOCS,
    command_line,
    machine,
    package_version,
    percentile,
    pin_one_cpu,
    unpin,
    write_results,
)
from drivers.camera.decoders import PyzbarDecoder, StationDecoder, ZxingDecoder
from drivers.camera.detection import Frame
from drivers.camera.synth import clean_set, distorted_item, standard_specs
from drivers.camera.zbar import zbar_available

SECTION = "## Camera decoding"
READING = "### Reading the camera numbers"
SIZES = {"720p": (1280, 720), "1080p": (1920, 1080)}
TARGET_FPS_720P = 60.0
TARGET_GAIN_POINTS = 5.0

#: A decoder under test: frame → the byte strings it read (AIM id + content where it has one).
Reader = Callable[[Frame], list[bytes]]


@dataclass
class Tally:
    """One decoder on one frame set."""

    reads: int = 0
    coded: int = 0
    empty: int = 0
    false_reads: int = 0
    wrong_reads: int = 0
    content_only: int = 0  # right content, no AIM identifier (ZBar second pass)
    times_ms: list[float] = field(default_factory=list)
    by_kind: dict[str, list[int]] = field(default_factory=dict)  # kind → [read, total]

    def rate(self) -> float:
        return 100.0 * self.reads / self.coded if self.coded else 0.0

    def reads_cell(self) -> str:
        extra = f" +{self.content_only} without AIM id" if self.content_only else ""
        return f"{self.reads}/{self.coded} ({self.rate():.1f}%){extra}"

    def mean_ms(self) -> float:
        return sum(self.times_ms) / len(self.times_ms) if self.times_ms else 0.0


def _station(decoder: StationDecoder) -> Reader:
    def read(frame: Frame) -> list[bytes]:
        decoder.reset()  # unrelated stills: no memory of the previous frame
        return [d.scan_bytes() for d in decoder.decode(frame)]

    return read


def _zxing_defaults(frame: Frame) -> list[bytes]:
    # No options at all. The default TextMode is HRI ("(01)…"), so the content is taken from
    # the undecorated bytes, which is what a scanner sends; detection is unaffected.
    return [r.symbology_identifier.encode("ascii") + r.bytes for r in zxingcpp.read_barcodes(frame)]


def _zxing_recommended(decoder: ZxingDecoder) -> Reader:
    return lambda frame: [d.scan_bytes() for d in decoder.decode(frame)]


def _pyzbar(decoder: PyzbarDecoder) -> Reader:
    return lambda frame: [d.raw for d in decoder.decode(frame)]


def readers(*, with_pyzbar: bool) -> dict[str, Reader]:
    """The decoders compared, by the label the tables use."""
    found: dict[str, Reader] = {
        "station `StationDecoder()`": _station(StationDecoder()),
        "zxing-cpp defaults `read_barcodes(frame)`": _zxing_defaults,
        "zxing-cpp recommended (formats, no invert)": _zxing_recommended(ZxingDecoder()),
    }
    if with_pyzbar:
        found["station + pyzbar second pass"] = _station(StationDecoder(pyzbar_second_pass=True))
        found["pyzbar (content only, no AIM id)"] = _pyzbar(PyzbarDecoder())
    return found


def pass_readers(*, with_pyzbar: bool) -> dict[str, Reader]:
    """The station decoder with its passes switched on one by one (``--passes``)."""
    found: dict[str, Reader] = {
        "pass 1 only (full frame)": _station(
            StationDecoder(candidate_pass=False, linear_pass=False, denoise=False)
        ),
        "+ smoothing of noisy frames": _station(
            StationDecoder(candidate_pass=False, linear_pass=False)
        ),
        "+ candidate crops ×2": _station(StationDecoder(linear_pass=False)),
        "+ linear finder (= default)": _station(StationDecoder()),
    }
    if with_pyzbar:
        found["+ pyzbar on crops"] = _station(StationDecoder(pyzbar_second_pass=True))
    return found


def pass_table(results: dict[tuple[str, str], dict[str, Tally]]) -> str:
    """What each pass adds: reads and mean time, per size, distorted set."""
    rows = [
        "| Station decoder, distorted | Frames | Exact reads | False reads | mean ms | p95 ms |",
        "|---|---|---|---|---|---|",
    ]
    for (size, _), tallies in results.items():
        for name, t in tallies.items():
            rows.append(
                f"| {name} | {size} | {t.reads_cell()} | "
                f"{t.false_reads}/{t.empty} | {t.mean_ms():.1f} | "
                f"{percentile(t.times_ms, 0.95):.1f} |"
            )
    return "\n".join(rows)


def _kind_of(expected: bytes) -> str:
    for spec in standard_specs():
        if spec.expected == expected:
            return spec.name
    return "?"


def _frames(
    set_name: str, size: tuple[int, int], count: int, seed: int
) -> Iterator[tuple[Frame, bytes | None]]:
    if set_name == "clean":
        yield from clean_set(size, count, seed)
    else:
        for index in range(count):  # one at a time: 200 frames at 1080p are 1.2 GB
            yield distorted_item(size, seed, index)


def measure(
    decoders: dict[str, Reader], frames: Iterator[tuple[Frame, bytes | None]]
) -> dict[str, Tally]:
    """Run every decoder on every frame (rotating order) and tally reads and times."""
    tallies = {name: Tally() for name in decoders}
    names = list(decoders)
    for index, (frame, expected) in enumerate(frames):
        turn = index % len(names)
        for name in names[turn:] + names[:turn]:
            tally = tallies[name]
            start = time.perf_counter()
            got = decoders[name](frame)
            tally.times_ms.append((time.perf_counter() - start) * 1000)
            if expected is None:
                tally.empty += 1
                tally.false_reads += bool(got)
                continue
            tally.coded += 1
            # pyzbar has no AIM identifier: compare its content with the content alone.
            target = expected[3:] if name.startswith("pyzbar") else expected
            hit = target in got
            tally.reads += hit
            tally.content_only += not hit and target != expected[3:] and expected[3:] in got
            # Right content without an AIM id (a ZBar second-pass read) is not exact, not wrong.
            tally.wrong_reads += any(g not in (target, expected[3:]) for g in got)
            kind = tally.by_kind.setdefault(_kind_of(expected), [0, 0])
            kind[0] += hit
            kind[1] += 1
    return tallies


def table(results: dict[tuple[str, str], dict[str, Tally]]) -> str:
    """The main table: decoder × size × set."""
    rows = [
        (
            "| Decoder | Frames | Exact reads | False reads (empty) | Wrong reads | "
            "median ms | p95 ms | mean ms | frames/s |"
        ),
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for (size, set_name), tallies in results.items():
        for name, t in tallies.items():
            rows.append(
                f"| {name} | {size} {set_name} | {t.reads_cell()} | "
                f"{t.false_reads}/{t.empty} | {t.wrong_reads} | "
                f"{percentile(t.times_ms, 0.5):.1f} | {percentile(t.times_ms, 0.95):.1f} | "
                f"{t.mean_ms():.1f} | {1000 / t.mean_ms():.0f} |"
            )
    return "\n".join(rows)


def kind_table(results: dict[tuple[str, str], dict[str, Tally]]) -> str:
    """Exact reads by symbol kind on the distorted sets (one figure per size)."""
    kinds = [s.name for s in standard_specs()]
    sizes = [size for size, set_name in results if set_name == "distorted"]
    distorted = [t for (_, set_name), t in results.items() if set_name == "distorted"]
    if not distorted:
        return ""
    rows = [f"| Decoder, distorted {' · '.join(sizes)} | " + " | ".join(kinds) + " |"]
    rows.append("|---|" + "---|" * len(kinds))
    for name in distorted[0]:
        cells = []
        for kind in kinds:
            parts = []
            for tallies in distorted:
                read, total = tallies[name].by_kind.get(kind, [0, 0])
                parts.append(f"{read}/{total}")
            cells.append(" · ".join(parts))
        rows.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def verdict(results: dict[tuple[str, str], dict[str, Tally]]) -> str:
    station, defaults = "station `StationDecoder()`", "zxing-cpp defaults `read_barcodes(frame)`"
    lines = []
    for (size, set_name), tallies in results.items():
        if set_name != "distorted":
            continue
        gain = tallies[station].rate() - tallies[defaults].rate()
        fps = 1000 / tallies[station].mean_ms()
        lines.append(
            f"{size} distorted: station {gain:+.1f} points over zxing-cpp defaults "
            f"(target +{TARGET_GAIN_POINTS:.0f}), {fps:.0f} frames/s on one core"
            + (f" (target {TARGET_FPS_720P:.0f})" if size == "720p" else "")
            + "."
        )
    return " ".join(lines)


def _pin_one_core() -> tuple[set[int] | None, int]:
    previous_threads = cv2.getNumThreads()
    cv2.setNumThreads(1)
    return pin_one_cpu(), previous_threads


def _unpin(previous: set[int] | None, threads: int) -> None:
    cv2.setNumThreads(threads)
    unpin(previous)


def write_docs(body: str, described: str, command: str) -> None:
    intro = (
        "Exact reads and time per frame on the same synthetic frames "
        "(`drivers/camera/synth.py`): the station's multi-pass decoder against raw "
        "zxing-cpp and raw pyzbar. Only exact bytes count (AIM identifier and content, "
        "GS included); pyzbar is compared on content alone and cannot read "
        "DataMatrix. Each process is pinned to one CPU and OpenCV to one thread; "
        "frames/s = 1000 / mean ms, empty frames included."
    )
    write_results(SECTION, READING, intro=intro, command=command, described=described, body=body)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a few frames at 720p only")
    parser.add_argument("--count", type=int, default=200, help="distorted frames per size")
    parser.add_argument("--clean", type=int, default=60, help="clean frames per size")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--sizes", default="720p,1080p", help="comma list of 720p, 1080p")
    parser.add_argument("--no-pin", action="store_true", help="do not pin to one CPU")
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    parser.add_argument(
        "--passes", action="store_true", help="instead: what each station pass adds (no --write)"
    )
    args = parser.parse_args(argv)
    sizes = ["720p"] if args.quick else [s.strip() for s in args.sizes.split(",") if s.strip()]
    count, clean = (8, 4) if args.quick else (args.count, args.clean)
    pinned = None if args.no_pin else _pin_one_core()
    try:
        make = pass_readers if args.passes else readers
        decoders = make(with_pyzbar=zbar_available())
        warm = np.zeros((64, 64, 3), np.uint8)
        for read in decoders.values():
            read(warm)
        results: dict[tuple[str, str], dict[str, Tally]] = {}
        sets = (("distorted", count),) if args.passes else (("clean", clean), ("distorted", count))
        for size in sizes:
            for set_name, n in sets:
                frames = _frames(set_name, SIZES[size], n, args.seed)
                results[(size, set_name)] = measure(decoders, frames)
    finally:
        if pinned is not None:
            _unpin(*pinned)
    pin_note = "pinned to one CPU" if pinned is not None else "not pinned"
    versions = ", ".join(f"{p} {package_version(p)}" for p in ("zxing-cpp", "pyzbar"))
    described = f"{machine()}, {versions}, OpenCV {cv2.__version__}, {pin_note}"
    print(f"Machine: {described}\n")
    if args.passes:
        print(pass_table(results))
        return 0
    body = "\n\n".join(
        part for part in (table(results), kind_table(results), verdict(results)) if part
    )
    print(body)
    if args.write:
        write_docs(body, described, command_line("benchmarks.bench_camera", argv))
        print(f"\nwrote {DOCS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
