"""Issue 5 acceptance: random label data → every stock template and every barcode kind → PDF
(rasterised by pypdfium2) and PNG → decoded by zxing-cpp → parsed by the code reader → the
input data, field for field. Chinese names are checked in the PDF's text layer.
"""

from __future__ import annotations

import string
from datetime import date
from pathlib import Path

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drivers.labels.pdf import render_pdf
from drivers.labels.raster import render_png
from drivers.labels.readback import read_frame, read_png
from drivers.reports.fonts import cjk_font
from station.labels.data import LabelData, LabelDataError
from station.labels.model import ResolvedLabel, Symbology
from station.labels.resolve import resolve
from station.labels.stock import stock_template
from station.labels.template import load_template
from station.udi import read_scan

TODAY = date(2026, 12, 7)
EVERY_KIND = Path(__file__).resolve().parents[1] / "data" / "labels" / "every-kind.toml"
SET82 = "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
HOSTILE = "_()/"  # the characters of set 82 a renderer could mistake for syntax
needs_cjk = pytest.mark.skipif(
    not cjk_font().embedded, reason="no CJK TrueType font (install fonts-wqy-microhei)"
)

lots = st.text(alphabet=SET82 + HOSTILE * 4, min_size=1, max_size=20)
hibc_lots = st.text(alphabet=string.ascii_uppercase + string.digits, min_size=1, max_size=12)
names_zh = st.text(alphabet="一次性使用无菌注射器输液导管接头医疗械", min_size=1, max_size=12)
expiries = st.dates(min_value=date(2027, 1, 1), max_value=date(2049, 12, 31))


def _pdf_frames(labels: list[ResolvedLabel]) -> list[list[str]]:
    document = pdfium.PdfDocument(render_pdf(labels))
    reads = []
    for page in document:
        image = page.render(scale=300 / 72, grayscale=True).to_numpy()
        reads.append(read_frame(image.squeeze()))
    return reads


def _pdf_text(labels: list[ResolvedLabel]) -> str:
    document = pdfium.PdfDocument(render_pdf(labels))
    return "".join(page.get_textpage().get_text_range() for page in document)


def _check(label: ResolvedLabel, reads: list[str]) -> None:
    """Every symbol read exactly once as recorded, and it parses to the label's data."""
    expected = sorted(item.expected for item in label.barcodes)
    assert sorted(reads) == expected
    data = dict(label.data)
    for item in label.barcodes:
        code = read_scan(item.expected.encode())
        assert code.valid, code.errors
        if item.symbology.is_gs1 or item.symbology is Symbology.DL_QR:
            if any(ai == "01" for ai, _ in item.pairs):
                assert code.gtin == data["gtin"]
            if any(ai == "10" for ai, _ in item.pairs):
                assert code.lot == data["lot"]
            if any(ai == "21" for ai, _ in item.pairs):
                assert code.serial == data["serial"]
            if any(ai == "17" for ai, _ in item.pairs):
                assert code.expiry == date.fromisoformat(data["expiry"])
            if any(ai == "00" for ai, _ in item.pairs):
                assert code.sscc == data["sscc"]
        else:
            assert code.lot == data["lot"]
            assert code.expiry == date.fromisoformat(data["expiry"])
            assert code.di == data["hibc_lic"] + data["hibc_pcn"] + data["hibc_uom"]


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lot=lots, serial=lots, expiry=expiries, name=names_zh, quantity=st.integers(1, 9999))
@pytest.mark.parametrize("template_name", ["udi-unit", "udi-case", "goods-in", "sscc-pallet"])
def test_every_stock_template_round_trips(
    template_name: str, lot: str, serial: str, expiry: date, name: str, quantity: int
) -> None:
    template = stock_template(template_name)
    values = {
        "gtin": "04012345123456",
        "lot": lot,
        "serial": serial,
        "expiry": expiry.isoformat(),
        "production_date": "2026-11-30",
        "quantity": str(quantity),
        "sscc": "340123450000000017",
        "content_gtin": "04012345123456",
        "count": str(quantity),
        "product_name_zh": name,
        "product_name_en": "Sterile syringe",
    }
    keys = set(template.fields)
    label = resolve(
        template, LabelData.from_mapping({k: v for k, v in values.items() if k in keys}),
        today=TODAY,
    )  # fmt: skip
    _check(label, read_png(render_png(label, 300)))
    [pdf_reads] = _pdf_frames([label])
    _check(label, pdf_reads)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lot=hibc_lots, serial=lots, expiry=expiries, name=names_zh)
def test_every_barcode_kind_round_trips(lot: str, serial: str, expiry: date, name: str) -> None:
    template = load_template(EVERY_KIND)
    data = LabelData.from_mapping(
        {
            "gtin": "04012345123456",
            "lot": lot,
            "serial": serial,
            "expiry": expiry.isoformat(),
            "hibc_lic": "A123",
            "hibc_pcn": "BJC5D6E7",
            "hibc_uom": "1",
            "product_name_zh": name,
        }
    )
    label = resolve(template, data, today=TODAY)
    assert {item.symbology for item in label.barcodes} == set(Symbology)
    _check(label, read_png(render_png(label, 300)))
    [pdf_reads] = _pdf_frames([label])
    _check(label, pdf_reads)


@needs_cjk
def test_chinese_names_and_hostile_lots_are_in_the_pdf_text() -> None:
    template = stock_template("udi-unit")
    lot = "A_(1)/B"
    data = LabelData.from_mapping(
        {
            "gtin": "04012345123456",
            "lot": lot,
            "serial": "S_1",
            "expiry": "2027-01-31",
            "product_name_zh": "一次性使用无菌注射器",
            "product_name_en": "Syringe",
        }
    )
    text = _pdf_text([resolve(template, data, today=TODAY)])
    assert "一次性使用无菌注射器" in text
    assert lot in text
    assert "(10)A_(1)/B" in text  # the HRI shows the lot as it is, no escape characters


@pytest.mark.parametrize("lot", ["AB^5E", "X~1", "LOT\x1d21FAKE", "批号1"])
def test_lots_outside_gs1_set_82_are_refused_before_anything_prints(lot: str) -> None:
    template = stock_template("udi-unit")
    with pytest.raises(LabelDataError) as refused:
        resolve(
            template,
            LabelData.from_mapping(
                {"gtin": "04012345123456", "lot": lot, "expiry": "2027-01-31",
                 "product_name_zh": "注射器", "product_name_en": "Syringe"}
            ),
            today=TODAY,
        )  # fmt: skip
    assert "lot" in str(refused.value).lower() or "control" in str(refused.value)
