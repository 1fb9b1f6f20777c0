"""Label rendering: resolve, ZPL, PDF and PNG per label, a 1,000-label PDF batch, and raw libraries.

Run::

    .venv/bin/python -m benchmarks.bench_labels            # print the tables
    .venv/bin/python -m benchmarks.bench_labels --write    # also update docs/benchmarks.md
    .venv/bin/python -m benchmarks.bench_labels --labels 3 --batch 5 --no-pin  # does it run?

The four stock templates (:func:`station.labels.stock.stock_template`) are filled as in a
production batch: Chinese and English product names and the lot stay the same, the serial
(``udi-unit``) or SSCC (``sscc-pallet``) changes on every label; ``udi-case`` and ``goods-in``
carry no serial, so their batch labels repeat. Extra ZPL rows give those two a new lot on every
label (and ``udi-case`` a new product name too): the first label of a lot or product, where
the lot line and name are drawn afresh.

Every measured render gets a label of its own (a fresh serial or SSCC), so on ``udi-unit`` and
``sscc-pallet`` the station's symbol cache never holds the symbol it is about to draw. The
text caches do hold the product names after the first label, as they do in a batch.

Raw rows do the least equivalent work on the same labels, in the same run, label by label in
rotating order with the station's rows (so a neighbour's load falls on all alike):

* raw zxing-cpp: ``create_barcode`` + ``write_barcode_to_image`` of the label's symbols, the
  encoder calls the station makes (it adds the check of the encoded content, the caches);
* raw reportlab: a one-page PDF with the same module rectangles, texts (same fonts and sizes)
  and lines, geometry computed beforehand (the station adds resolving, encoding, fitting and
  font checks, the ISO symbols and the document metadata);
* raw f-string ZPL: the same fields in one f-string per item, no escaping, no fitting, text in
  font 0 whatever its script (no ``^GF`` text), no ISO symbols.

The process is pinned to one CPU (``os.sched_setaffinity``).
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import partial

import zxingcpp
from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]

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
from drivers.labels.pdf import fit_font_size, pdf_font, render_pdf
from drivers.labels.raster import render_png
from drivers.labels.symbols import modules, rectangles, symbol_size_mm
from drivers.labels.zpl import render_zpl, render_zpl_batch
from drivers.reports.fonts import cjk_font
from station.labels.data import LabelData
from station.labels.model import (
    Align,
    BarcodeItem,
    BoxItem,
    LineItem,
    ResolvedLabel,
    Symbology,
    TextItem,
)
from station.labels.resolve import resolve
from station.labels.stock import STOCK_NAMES, stock_template
from station.udi.checks import gs1_check_digit

SECTION = "## Label rendering"
READING = "### Reading the label numbers"
TARGET_ZPL_MS = 1.0
TARGET_PDF_MS = 30.0
TARGET_BATCH_S = 10.0
TODAY = date(2026, 6, 1)
PT = 72 / 25.4  # points per millimetre
GS = "\x1d"

BASE = {
    "gtin": "06901234000122",
    "content_gtin": "06901234000122",
    "expiry": "2029-05-31",
    "production_date": "2026-05-12",
    "quantity": "50",
    "count": "40",
    "product_name_zh": "一次性使用无菌注射器 带针",
    "product_name_en": "Sterile hypodermic syringe for single use, with needle, 5 ml",
    "model": "SY-5ML-22G",
    "registration_no": "国械注准20213140001",
    "supplier_name": "江苏某某医疗器械有限公司",
    "po_number": "PO-2026-0412",
}
LOT = "L26/05-A(3)"  # GS1 set 82: '/', '(' and ')' are allowed and must survive every layer

#: The encoder calls drivers/labels/symbols.py makes, for the raw zxing-cpp rows.
_FORMATS: dict[Symbology, tuple[zxingcpp.BarcodeFormat, dict[str, bool]]] = {
    Symbology.GS1_DATAMATRIX: (
        zxingcpp.BarcodeFormat.DataMatrix,
        {"gs1": True, "forceSquare": True},
    ),
    Symbology.GS1_128: (zxingcpp.BarcodeFormat.Code128, {"gs1": True}),
    Symbology.GS1_QR: (zxingcpp.BarcodeFormat.QRCode, {"gs1": True}),
    Symbology.DL_QR: (zxingcpp.BarcodeFormat.QRCode, {}),
    Symbology.HIBC_128: (zxingcpp.BarcodeFormat.Code128, {}),
    Symbology.HIBC_DATAMATRIX: (zxingcpp.BarcodeFormat.DataMatrix, {"forceSquare": True}),
}


def _sscc(serial: int) -> str:
    body = f"3069012340{serial:07d}"
    return body + str(gs1_check_digit(body))


class Labels:
    """Fresh labels of one template: every call gets a serial, SSCC or lot never used before."""

    def __init__(self, template: str, start: int = 0, vary: str = "batch") -> None:
        self.template, self.next, self.vary = stock_template(template), start, vary
        self.resolve_ms: list[float] = []

    def data(self, index: int) -> dict[str, str]:
        """``batch``: a new serial or SSCC (udi-case and goods-in repeat); ``lot``: a new lot
        as well; ``product``: a new lot and a new Chinese product name as well."""
        values = dict(BASE, lot=LOT, serial=f"{index:08d}", sscc=_sscc(index))
        if self.vary in ("lot", "product"):
            values["lot"] = f"{LOT}{index:05d}"
        if self.vary == "product":
            values["product_name_zh"] = f"{values['product_name_zh']} 型号{index}"
        return values

    def take(self) -> ResolvedLabel:
        data = LabelData.from_mapping(self.data(self.next))
        self.next += 1
        start = time.perf_counter()
        label = resolve(self.template, data, today=TODAY)
        self.resolve_ms.append((time.perf_counter() - start) * 1000)
        return label


# ---------------------------------------------------------------------------- raw baselines


def raw_zxing(label: ResolvedLabel) -> None:
    """Encode the label's symbols as the station does, without its checks and caches."""
    for item in label.barcodes:
        barcode_format, options = _FORMATS[item.symbology]
        barcode = zxingcpp.create_barcode(item.data, barcode_format, **options)
        zxingcpp.write_barcode_to_image(barcode, scale=1, add_quiet_zones=False)


@dataclass
class Geometry:
    """What raw reportlab draws for one label, in points, computed before the clock starts."""

    size: tuple[float, float]
    rects: list[tuple[float, float, float, float]] = field(default_factory=list)
    texts: list[tuple[str, float, float, float, str]] = field(default_factory=list)
    lines: list[tuple[float, float, float, float, float]] = field(default_factory=list)


def geometry(label: ResolvedLabel) -> Geometry:
    """The label's module rectangles, texts and lines where the station puts them."""
    height = label.height
    found = Geometry((label.width * PT, label.height * PT))
    for item in label.items:
        if isinstance(item, BarcodeItem):
            cell_h = symbol_size_mm(item)[1] if item.symbology.is_linear else item.module
            for column, row, w, h in rectangles(modules(item)):
                x, top = item.x + column * item.module, item.y + (row + h) * cell_h
                found.rects.append(
                    ((x * PT), (height - top) * PT, w * item.module * PT, h * cell_h * PT)
                )
        elif isinstance(item, TextItem):
            font = pdf_font(item.text, item.bold)
            max_width = None if item.max_width is None else item.max_width * PT
            size = fit_font_size(item.text, font, item.size * PT, max_width)
            width = pdfmetrics.stringWidth(item.text, font, size)
            shift = {Align.LEFT: 0, Align.CENTER: width / 2, Align.RIGHT: width}[item.align]
            ascent, _ = pdfmetrics.getAscentDescent(font, size)
            y = (height - item.y) * PT - ascent
            found.texts.append((font, size, item.x * PT - shift, y, item.text))
        elif isinstance(item, LineItem):
            found.lines.append(
                (
                    item.x1 * PT,
                    (height - item.y1) * PT,
                    item.x2 * PT,
                    (height - item.y2) * PT,
                    item.thickness * PT,
                )
            )
    return found


def _raw_page(canvas: Canvas, page: Geometry) -> None:
    canvas.setPageSize(page.size)
    for x, y, w, h in page.rects:
        canvas.rect(x, y, w, h, stroke=0, fill=1)
    for font, size, x, y, text in page.texts:
        canvas.setFont(font, size)
        canvas.drawString(x, y, text)
    for x1, y1, x2, y2, width in page.lines:
        canvas.setLineWidth(width)
        canvas.line(x1, y1, x2, y2)
    canvas.showPage()


def raw_reportlab(pages: Sequence[Geometry]) -> bytes:
    """A PDF of ``pages`` drawn straight on a reportlab canvas (invariant, as the station's)."""
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=pages[0].size, invariant=1)
    for page in pages:
        _raw_page(canvas, page)
    canvas.save()
    return out.getvalue()


def raw_zpl(label: ResolvedLabel, dpi: int) -> bytes:
    """The same fields as hand-written f-strings: no escaping, no fitting, no ^GF text."""

    def d(mm: float) -> int:
        return round(mm * dpi / 25.4)

    parts = [f"^XA^CI28^PW{d(label.width)}^LL{d(label.height)}^LH0,0"]
    for item in label.items:
        if isinstance(item, BarcodeItem):
            at, mod = f"^FO{d(item.x)},{d(item.y)}", max(1, d(item.module))
            content = item.expected[3:]
            if item.symbology.is_linear:
                data = ">;>8" + content.replace(GS, ">8")
                parts.append(f"{at}^BY{mod}^BCN,{d(item.height or 0)},N,N,N,N^FD{data}^FS")
            elif item.symbology in (Symbology.GS1_QR, Symbology.DL_QR):
                parts.append(f"{at}^BQN,2,{mod}^FDMA,{content}^FS")
            else:
                parts.append(f"{at}^BXN,{mod},200,,,,_^FD_1{content.replace(GS, '_1')}^FS")
        elif isinstance(item, TextItem):
            h = d(item.size)
            parts.append(f"^FO{d(item.x)},{d(item.y)}^A0N,{h},{h}^FD{item.text}^FS")
        elif isinstance(item, LineItem):
            t = max(1, d(item.thickness))
            w, h = max(t, abs(d(item.x2) - d(item.x1))), max(t, abs(d(item.y2) - d(item.y1)))
            parts.append(
                f"^FO{d(min(item.x1, item.x2))},{d(min(item.y1, item.y2))}^GB{w},{h},{t}^FS"
            )
        elif isinstance(item, BoxItem):
            t = max(1, d(item.thickness))
            parts.append(f"^FO{d(item.x)},{d(item.y)}^GB{d(item.width)},{d(item.height)},{t}^FS")
    parts.append("^XZ")
    return ("\n".join(parts) + "\n").encode("utf-8")


# ---------------------------------------------------------------------------- measuring


@dataclass
class Row:
    """One path on one template: milliseconds per label."""

    name: str
    template: str
    times_ms: list[float] = field(default_factory=list)

    def median(self) -> float:
        return percentile(self.times_ms, 0.5)

    def p95(self) -> float:
        return percentile(self.times_ms, 0.95)


#: A measured path: given a label made for it, the call to time (any preparation, such as the
#: raw side's geometry, happens before the clock starts).
Job = Callable[[ResolvedLabel], Callable[[], object]]


def station_paths() -> dict[str, Job]:
    return {
        "station `render_zpl` 203 dpi": lambda label: partial(render_zpl, label, 203),
        "station `render_zpl` 300 dpi": lambda label: partial(render_zpl, label, 300),
        "station `render_pdf([label])`": lambda label: partial(render_pdf, [label]),
        "station `render_png` 300 dpi": lambda label: partial(render_png, label, 300),
    }


def raw_paths() -> dict[str, Job]:
    return {
        "raw zxing-cpp: encode the symbols": lambda label: partial(raw_zxing, label),
        "raw reportlab: same rectangles, texts, lines": (
            lambda label: partial(raw_reportlab, [geometry(label)])
        ),
        "raw f-string ZPL 203 dpi": lambda label: partial(raw_zpl, label, 203),
    }


#: Extra rows: ZPL on labels whose lot (or product name too) is new on every label, so the
#: text caches miss as well (the first label of each lot or product in a batch).
FIRST_OF = {
    "udi-case": {"lot": "a new lot every label", "product": "a new lot and product every label"},
    "goods-in": {"lot": "a new lot every label"},
}


def measure_template(name: str, count: int) -> list[Row]:
    """``count`` labels per path, each path its own fresh labels, paths in rotating order."""
    paths = station_paths() | raw_paths()
    shared = Labels(name)  # a batch: every path takes the next label
    labels = dict.fromkeys(paths, shared)
    for n, (vary, what) in enumerate(FIRST_OF.get(name, {}).items(), start=1):
        path = f"station `render_zpl` 203 dpi, {what}"
        paths[path] = station_paths()["station `render_zpl` 203 dpi"]
        labels[path] = Labels(name, start=n * 10**6, vary=vary)
    rows = {path: Row(path, name) for path in paths}
    for job in station_paths().values():  # warm up: fonts loaded, product names drawn once
        job(shared.take())()
    shared.resolve_ms.clear()
    for index in range(count):
        calls = [(path, job(labels[path].take())) for path, job in paths.items()]
        turn = index % len(calls)
        for path, call in calls[turn:] + calls[:turn]:
            start = time.perf_counter()
            call()
            rows[path].times_ms.append((time.perf_counter() - start) * 1000)
    resolved = Row("station `resolve(template, data)`", name, shared.resolve_ms)
    return [resolved, *rows.values()]


@dataclass
class Batch:
    labels: int
    resolve_s: float
    pdf_s: float
    pdf_bytes: int
    zpl_s: float
    raw_pdf_s: float
    raw_zxing_s: float


def measure_batch(count: int) -> Batch:
    """``count`` udi-unit labels with distinct serials: resolve, one render_pdf, raw sides."""
    labels = Labels("udi-unit", start=10**7)
    render_pdf([labels.take()])  # fonts loaded
    made = [labels.take() for _ in range(count)]
    resolve_s = sum(labels.resolve_ms[1:]) / 1000
    start = time.perf_counter()
    pdf = render_pdf(made)
    pdf_s = time.perf_counter() - start
    fresh = [labels.take() for _ in range(count)]  # new serials: nothing cached for ZPL
    start = time.perf_counter()
    render_zpl_batch(fresh, 203)
    zpl_s = time.perf_counter() - start
    raw_labels = [labels.take() for _ in range(count)]
    start = time.perf_counter()
    for label in raw_labels:
        raw_zxing(label)
    raw_zxing_s = time.perf_counter() - start
    pages = [geometry(label) for label in raw_labels]
    start = time.perf_counter()
    raw_reportlab(pages)
    raw_pdf_s = time.perf_counter() - start
    return Batch(count, resolve_s, pdf_s, len(pdf), zpl_s, raw_pdf_s, raw_zxing_s)


# ---------------------------------------------------------------------------- reporting


def per_label_table(rows: list[Row]) -> str:
    lines = [
        "| Template | Path | median ms/label | p95 ms/label | labels |",
        "|---|---|---|---|---|",
    ]
    lines.extend(
        f"| {row.template} | {row.name} | {row.median():.2f} | {row.p95():.2f} | "
        f"{len(row.times_ms)} |"
        for row in rows
    )
    return "\n".join(lines)


def batch_table(batch: Batch) -> str:
    n = batch.labels
    rows = [
        ("station `resolve` ×" + f"{n:,}", batch.resolve_s),
        (f"station `render_pdf(labels)`, one call ({batch.pdf_bytes / 1e6:.1f} MB)", batch.pdf_s),
        ("station resolve + render_pdf", batch.resolve_s + batch.pdf_s),
        ("station `render_zpl_batch(labels, 203)`, one call", batch.zpl_s),
        ("raw zxing-cpp: encode the symbols", batch.raw_zxing_s),
        ("raw reportlab: same rectangles, texts, lines, one document", batch.raw_pdf_s),
    ]
    lines = [
        f"| {n:,} udi-unit labels, distinct serials | total s | ms/label |",
        "|---|---|---|",
    ]
    lines.extend(f"| {name} | {s:.2f} | {1000 * s / n:.2f} |" for name, s in rows)
    return "\n".join(lines)


def verdict(rows: list[Row], batch: Batch) -> str:
    batch_rows = [r for r in rows if ", a new" not in r.name]

    def worst(prefix: str, among: list[Row]) -> Row:
        return max((r for r in among if r.name.startswith(prefix)), key=Row.p95)

    zpl = worst("station `render_zpl`", batch_rows)
    pdf = worst("station `render_pdf", batch_rows)
    total = batch.resolve_s + batch.pdf_s
    met = {True: "meets", False: "misses"}
    first = [r for r in rows if ", a new lot every label" in r.name]
    first_text = ", ".join(f"{r.template} {r.median():.1f} ms" for r in first)
    return (
        f"In a batch, slowest template at p95: ZPL {zpl.p95():.2f} ms/label ({zpl.template}, "
        f"{zpl.name.split(' ')[-2]} dpi; target {TARGET_ZPL_MS:g} ms: "
        f"{met[zpl.p95() <= TARGET_ZPL_MS]}), PDF {pdf.p95():.1f} ms/label ({pdf.template}; "
        f"target {TARGET_PDF_MS:g} ms: {met[pdf.p95() <= TARGET_PDF_MS]}). "
        + (f"The first ZPL label of a new lot (median): {first_text}. " if first else "")
        + f"{batch.labels:,}-label PDF batch: {batch.pdf_s:.1f} s to render, {total:.1f} s "
        f"with resolving (target {TARGET_BATCH_S:g} s: {met[total <= TARGET_BATCH_S]})."
    )


def write_docs(body: str, described: str, command: str) -> None:
    intro = (
        "Time per label on the four stock templates filled as in a batch (Chinese and "
        "English names, one set-82 lot, a new serial or SSCC on every label; `udi-case` "
        "and `goods-in` have none, so their batch labels repeat, and extra rows give "
        "them a new lot on every label), every render on a label of its own; raw "
        "zxing-cpp, raw reportlab and a raw f-string ZPL on the same labels in the same "
        "run, in rotating order. One process, pinned to one CPU."
    )
    write_results(SECTION, READING, intro=intro, command=command, described=described, body=body)


def run(count: int, batch_count: int) -> tuple[list[Row], Batch]:
    rows: list[Row] = []
    for name in STOCK_NAMES:
        rows.extend(measure_template(name, count))
    return rows, measure_batch(batch_count)


def _iter_versions() -> Iterator[str]:
    for package in ("zxing-cpp", "reportlab", "pillow"):
        yield f"{package} {package_version(package)}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--labels", type=int, default=200, help="labels per path and template")
    parser.add_argument("--batch", type=int, default=1000, help="labels in the PDF batch")
    parser.add_argument("--no-pin", action="store_true", help="do not pin to one CPU")
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args(argv)
    pinned = None if args.no_pin else pin_one_cpu()
    try:
        rows, batch = run(args.labels, args.batch)
    finally:
        unpin(pinned)
    font = cjk_font()
    font_note = f"CJK font {font.path.name if font.path else font.name}"
    pin_note = "pinned to one CPU" if pinned is not None else "not pinned"
    described = f"{machine()}, {', '.join(_iter_versions())}, {font_note}, {pin_note}"
    print(f"Machine: {described}\n")
    body = "\n\n".join([per_label_table(rows), batch_table(batch), verdict(rows, batch)])
    print(body)
    if args.write:
        write_docs(body, described, command_line("benchmarks.bench_labels", argv))
        print(f"\nwrote {DOCS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
